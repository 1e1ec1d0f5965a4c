"""ABC-XYZ snapshot: the grouped read of 24 months of invoices against the
hand-written SQL doing the same grouping, and the whole snapshot.

The snapshot reads, for every customer, revenue and invoice count per month
and move type in one ``_read_group``; the baseline is that query written by
hand. The whole computation (classes, lines written) is reported apart, as
a note, against the same baseline.
"""

from odoo import fields
from odoo.tools import SQL

TARGET = 2.0


def run(bench):
    env = bench.env
    # the generated department's largest company by invoices
    company = env["account.move"]._read_group(
        [("move_type", "=", "out_invoice"), ("state", "=", "posted")],
        ["company_id"],
        ["__count"],
        order="__count desc",
        limit=1,
    )[0][0]
    snapshot = env["sales.abcxyz.snapshot"].create(
        {"company_id": company.id, "date": fields.Date.today(), "window_months": 24}
    )

    def orm():
        return snapshot._purchase_history()

    def sql():
        env.cr.execute(
            SQL(
                """SELECT commercial_partner_id, date_trunc('month', invoice_date), move_type,
                          SUM(amount_untaxed_signed), COUNT(*)
                     FROM account_move
                    WHERE company_id = %s AND state = 'posted'
                      AND move_type IN ('out_invoice', 'out_refund')
                      AND invoice_date BETWEEN %s AND %s
                    GROUP BY 1, 2, 3""",
                company.id,
                snapshot.date_from,
                snapshot.date_to,
            )
        )
        return env.cr.fetchall()

    history = orm()
    rows = sql()
    if not rows or len(history) != len({row[0] for row in rows}):
        raise AssertionError("the snapshot and the SQL baseline group differently")
    bench.note(
        f"{len(history):,} customers, {len(rows):,} (customer, month, type) groups, "
        f"{bench.queries(orm)} query(ies) per grouped read"
    )
    bench.report("abcxyz_snapshot_read_group", bench.compare(orm, sql, repeat=5), TARGET)
    whole = bench.time(snapshot.action_compute, repeat=1, warmup=0)
    baseline = bench.time(sql, repeat=3)
    bench.note(
        f"whole snapshot (read, classify, write {snapshot.customer_count:,} lines): "
        f"{whole / baseline:.1f}x the grouped SQL"
    )
