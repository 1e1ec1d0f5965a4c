"""ABC-XYZ snapshot of 24 months of invoices against hand-written SQL doing
the same grouping (revenue and invoice count per customer and month).

Figures: the snapshot's read of the purchase history (query and the Python
series it builds), the whole snapshot (read, classify, write the lines), and
for the record the ORM ``_read_group`` of the same grouping, which the
snapshot gave up for plain SQL.
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
                """SELECT commercial_partner_id, date_trunc('month', invoice_date),
                          SUM(amount_untaxed_signed),
                          COUNT(*) FILTER (WHERE move_type = 'out_invoice')
                     FROM account_move
                    WHERE company_id = %s AND state = 'posted'
                      AND move_type IN ('out_invoice', 'out_refund')
                      AND invoice_date BETWEEN %s AND %s
                    GROUP BY 1, 2""",
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
        f"{len(history):,} customers, {len(rows):,} (customer, month) groups, "
        f"{bench.queries(orm)} query(ies) per read"
    )
    bench.report("abcxyz_snapshot_history", bench.compare(orm, sql, repeat=5), TARGET)

    def read_group():
        return env["account.move"]._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("invoice_date", ">=", snapshot.date_from),
                ("invoice_date", "<=", snapshot.date_to),
            ],
            ["commercial_partner_id", "invoice_date:month", "move_type"],
            ["amount_untaxed_signed:sum", "__count"],
        )

    bench.note(f"ORM _read_group of the same grouping: {bench.compare(read_group, sql, 3):.2f}x")
    bench.report(
        "abcxyz_snapshot_whole", bench.compare(snapshot.action_compute, sql, repeat=3), TARGET
    )
    bench.note(f"{snapshot.customer_count:,} lines written per snapshot")
