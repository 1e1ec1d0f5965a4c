"""KPI facts credited by contribution (see the pre-script).

- The qualifying stage: crm's "Qualified" stage, when no stage is marked yet.
- Every stage log row gets its milestones (first reach of the qualifying
  stage and of the closers' first stage): the hunter's facts read them.
- Won leads without a recorded closer (won before the hand-off recorded it,
  or with it turned off) are credited to their owner, and the orders' closer
  follows their opportunity's.
- First purchases and the customers' days were recomputed in SQL by the
  update (``sale.order._auto_init``); the stored facts of every metric are
  stored again over the range they covered, under the new definitions.
- The index of the old "Leads qualified" (conversion dates) is dropped.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import table_exists

TABLE = "sales_kpi_fact_restore_18_0_1_0_4"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    qualified = env.ref("crm.stage_lead2", raise_if_not_found=False)
    if qualified and not env["crm.stage"].search_count([("sales_qualifying", "=", True)]):
        qualified.sales_qualifying = True
    env["sales.lead.stage.log"]._mark_milestones_sql(SQL("TRUE"))
    env.cr.execute(
        SQL(
            """UPDATE crm_lead lead SET closer_user_id = lead.user_id
                 FROM crm_stage stage
                WHERE stage.id = lead.stage_id AND stage.is_won
                  AND lead.closer_user_id IS NULL AND lead.user_id IS NOT NULL"""
        )
    )
    env["sale.order"]._fill_closer_user_id()
    env.invalidate_all()
    cr.execute(SQL("DROP INDEX IF EXISTS crm_lead_sales_kpi_conversion_idx"))
    if not table_exists(cr, TABLE):
        return
    cr.execute(SQL("SELECT metric_id, date_from, date_to FROM %s", SQL.identifier(TABLE)))
    ranges = cr.fetchall()
    Fact = env["sales.kpi.fact"]
    companies = env["res.company"].with_context(active_test=False).search([])
    for metric_id, date_from, date_to in ranges:
        metric = env["sales.kpi.metric"].browse(metric_id).exists()
        if metric:
            Fact._store_range(metric, companies, date_from, date_to)
            metric.facts_stored_until = date_to
    Fact._analyze()
    cr.execute(SQL("DROP TABLE %s", SQL.identifier(TABLE)))
