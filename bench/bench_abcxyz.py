"""ABC-XYZ snapshot of 24 months of invoices against hand-written SQL.

Two verdicts:
- the grouping: the snapshot's read of the purchase history (query and the
  Python series it builds) against hand-written SQL doing the same grouping
  (revenue and invoice count per customer and month);
- the whole snapshot (read, classify, replace the lines) against one
  hand-written SQL statement doing the same snapshot: the grouping, ABC by
  window sums, XYZ by the CV of the months, and the same lines written into a
  second snapshot. Both sides then pay the same cost of writing a line per
  customer (foreign-key checks and indexes); the bench checks that both
  snapshots hold the same classes for every customer.
For the record, the ORM ``_read_group`` of the same grouping, which the
snapshot gave up for plain SQL.
"""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tools import SQL

CALENDAR = True  # the month, the day: also run with the clock set (make bench-calendar)
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
    # one snapshot per company and month: the hand-written one writes its lines
    # into a snapshot of another month, computed over the same window
    twin = snapshot.create(
        {"company_id": company.id, "date": snapshot.date + relativedelta(months=1)}
    )

    def whole_sql():
        env.cr.execute(_whole_snapshot_sql(snapshot, twin))

    bench.report(
        "abcxyz_snapshot_whole", bench.compare(snapshot.action_compute, whole_sql, 3), TARGET
    )
    env.flush_all()
    env.cr.execute(
        SQL(
            """SELECT count(*) FILTER (WHERE o.id IS NULL OR t.id IS NULL),
                      count(*) FILTER (WHERE o.abcxyz_class <> t.abcxyz_class
                                          OR o.user_id IS DISTINCT FROM t.user_id
                                          OR o.team_id IS DISTINCT FROM t.team_id
                                          OR round(o.revenue, 2) <> round(t.revenue, 2))
                 FROM (SELECT * FROM sales_abcxyz_snapshot_line WHERE snapshot_id = %s) o
            FULL JOIN (SELECT * FROM sales_abcxyz_snapshot_line WHERE snapshot_id = %s) t
                   ON t.partner_id = o.partner_id""",
            snapshot.id,
            twin.id,
        )
    )
    missing, different = env.cr.fetchone()
    if missing or different:
        raise AssertionError(
            f"the SQL snapshot differs: {missing} customers on one side only, {different} differ"
        )
    bench.note(f"{snapshot.customer_count:,} lines written per snapshot, the same on both sides")


def _whole_snapshot_sql(snapshot, twin):
    """The lines of ``snapshot``, by hand, into ``twin``: CV = sqrt(sum(x^2)/N - mean^2) / mean
    over the N months of the window (months without purchase are 0)."""
    return SQL(
        """WITH monthly AS (
               SELECT commercial_partner_id AS partner_id,
                      SUM(amount_untaxed_signed) AS amount,
                      COUNT(*) FILTER (WHERE move_type = 'out_invoice') AS invoices
                 FROM account_move
                WHERE company_id = %(company)s AND state = 'posted'
                  AND move_type IN ('out_invoice', 'out_refund')
                  AND invoice_date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY 1, date_trunc('month', invoice_date)),
           customer AS (
               SELECT partner_id, ROUND(SUM(amount) * 100)::bigint AS cents,
                      SUM(amount) / %(months)s AS mean, SUM(amount * amount) AS squares,
                      SUM(invoices) AS purchases,
                      COUNT(*) FILTER (WHERE amount > 0) AS months_with_purchase
                 FROM monthly GROUP BY partner_id),
           ranked AS (
               SELECT c.*,
                      COALESCE(SUM(GREATEST(cents, 0)) OVER (ORDER BY cents DESC
                          RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS above,
                      SUM(GREATEST(cents, 0)) OVER (ORDER BY cents DESC, partner_id
                          ROWS UNBOUNDED PRECEDING) AS running,
                      SUM(GREATEST(cents, 0)) OVER () AS total,
                      CASE WHEN mean > 0 THEN ROUND(
                          SQRT(GREATEST(squares / %(months)s - mean * mean, 0)) / mean, 6)
                      END AS cv
                 FROM customer c),
           classed AS (
               SELECT r.*,
                      CASE WHEN cents <= 0 OR total = 0 THEN 'c'
                           WHEN above * 100 < %(a)s * total THEN 'a'
                           WHEN above * 100 < %(b)s * total THEN 'b' ELSE 'c' END AS abc,
                      CASE WHEN purchases <= 1 OR cv IS NULL THEN 'z'
                           WHEN cv <= %(x)s THEN 'x' WHEN cv <= %(y)s THEN 'y'
                           ELSE 'z' END AS xyz
                 FROM ranked r),
           removed AS (DELETE FROM sales_abcxyz_snapshot_line WHERE snapshot_id = %(twin)s)
        INSERT INTO sales_abcxyz_snapshot_line
               (snapshot_id, company_id, date, partner_id, user_id, team_id, revenue, share,
                cumulative_share, cv, purchase_count, months_with_purchase, abc_class,
                xyz_class, abcxyz_class, create_uid, write_uid, create_date, write_date)
        SELECT %(twin)s, %(company)s, %(date)s, k.partner_id, p.user_id, team.crm_team_id,
               k.cents / 100.0,
               CASE WHEN total > 0 THEN 100.0 * GREATEST(cents, 0) / total ELSE 0 END,
               CASE WHEN total > 0 THEN 100.0 * running / total ELSE 0 END,
               COALESCE(k.cv, 0), k.purchases, k.months_with_purchase, k.abc, k.xyz,
               k.abc || k.xyz, %(uid)s, %(uid)s, bench_now(),
               bench_now()
          FROM classed k
          JOIN res_partner p ON p.id = k.partner_id
     LEFT JOIN LATERAL (SELECT m.crm_team_id FROM crm_team_member m
                         WHERE m.user_id = p.user_id AND m.active
                      ORDER BY m.create_date, m.id LIMIT 1) team ON TRUE""",
        company=snapshot.company_id.id,
        date_from=snapshot.date_from,
        date_to=snapshot.date_to,
        months=snapshot.window_months,
        a=snapshot.a_limit,
        b=snapshot.b_limit,
        x=snapshot.x_limit,
        y=snapshot.y_limit,
        twin=twin.id,
        date=twin.date,
        uid=twin.env.uid,
    )
