"""Funnel pivot: the report's ``_read_group`` by stage over every lead and its
stage log, against hand-written SQL computing the same counts straight from
``crm_lead`` and ``sales_lead_stage_log``; then the same by stage and by new
vs existing customer (the costliest cut). Before timing, every group and
every measure (reached, passed, lost there, won) of the report must equal
the SQL's."""

from odoo.tools import SQL

TARGET = 2.0
MEASURES = ["reached:sum", "passed:sum", "lost_there:sum", "won:sum"]


def _hand_sql(with_customer_type):
    customer_type = SQL(
        """CASE WHEN fp.first_invoice < l.create_date::date OR fp.first_order < l.create_date
                THEN 'existing' ELSE 'new' END"""
        if with_customer_type
        else "NULL"
    )
    return SQL(
        """WITH f AS (
               SELECT DISTINCT ON (x.lead_id) x.lead_id, s.id, s.sequence,
                      COALESCE(s.is_won, FALSE) AS is_won
                 FROM (SELECT lead_id, stage_id FROM sales_lead_stage_log
                       UNION SELECT id, stage_id FROM crm_lead WHERE stage_id IS NOT NULL) x
                 JOIN crm_stage s ON s.id = x.stage_id
             ORDER BY x.lead_id, s.sequence DESC, s.id DESC),
           fp AS (
               SELECT partner_id, MIN(first_invoice) AS first_invoice,
                      MIN(first_order) AS first_order
                 FROM (SELECT commercial_partner_id AS partner_id,
                              MIN(invoice_date) AS first_invoice, NULL::timestamp AS first_order
                         FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'
                     GROUP BY 1
                       UNION ALL
                       SELECT b.commercial_partner_id, NULL, MIN(o.date_order)
                         FROM sale_order o JOIN res_partner b ON b.id = o.partner_id
                        WHERE o.state = 'sale' GROUP BY 1) x
             GROUP BY partner_id),
           leads AS (
               SELECT l.id, l.team_id, f.id AS furthest_id, f.sequence AS furthest_sequence,
                      l.active AND f.is_won AS is_won, NOT l.active AND NOT f.is_won AS is_lost,
                      %s AS customer_type
                 FROM crm_lead l JOIN f ON f.lead_id = l.id
            LEFT JOIN res_partner p ON p.id = l.partner_id
            LEFT JOIN fp ON fp.partner_id = p.commercial_partner_id)
           SELECT s.id, leads.customer_type, COUNT(*),
                  SUM(CASE WHEN (s.sequence, s.id) < (leads.furthest_sequence, leads.furthest_id)
                           THEN 1 ELSE 0 END),
                  SUM(CASE WHEN leads.is_lost AND s.id = leads.furthest_id THEN 1 ELSE 0 END),
                  SUM(CASE WHEN leads.is_won THEN 1 ELSE 0 END)
             FROM leads
             JOIN crm_stage s ON (s.team_id IS NULL OR s.team_id = leads.team_id)
                             AND (s.sequence, s.id) <= (leads.furthest_sequence, leads.furthest_id)
         GROUP BY s.id, leads.customer_type""",
        customer_type,
    )


def run(bench):
    env = bench.env
    report = env["sales.funnel.report"]
    stage_rows = env["sales.lead.stage.log"].search_count([])
    bench.note(f"{bench.leads:,} leads, {stage_rows:,} stage-log rows")

    for name, groupby, with_type in (
        ("funnel_read_group_by_stage", ["stage_id"], False),
        ("funnel_read_group_by_stage_and_customer_type", ["stage_id", "customer_type"], True),
    ):

        def orm(groupby=groupby):
            return report._read_group([], groupby, MEASURES)

        def sql(with_type=with_type):
            env.cr.execute(_hand_sql(with_type))
            return env.cr.fetchall()

        ours = {
            (group[0].id, group[1] if with_type else None): tuple(group[len(groupby) :])
            for group in orm()
        }
        theirs = {(row[0], row[1]): tuple(row[2:]) for row in sql()}
        differ = [
            (key, ours.get(key), theirs.get(key))
            for key in set(ours) | set(theirs)
            if ours.get(key) != theirs.get(key)
        ]
        if differ:
            raise AssertionError(
                f"{name}: {len(differ)} groups differ from the SQL (group, report, SQL):"
                f" {sorted(differ, key=str)[:3]}"
            )
        reached = sum(measures[0] for measures in ours.values())
        bench.note(
            f"{name}: {len(ours):,} groups x {len(MEASURES)} measures equal to the SQL,"
            f" {reached:,} stage rows reached"
        )
        bench.report(name, bench.compare(orm, sql, repeat=3), TARGET)
