"""KPI facts credited by contribution: before the shipped metrics are
redefined (the data update rewrites them and forgets the facts they stored),
the stored range of every metric is kept aside, so that the post-script can
store it again under the new definitions and the corrected first purchases.
"""

from odoo.tools import SQL
from odoo.tools.sql import table_exists

TABLE = "sales_kpi_fact_restore_18_0_1_0_4"


def migrate(cr, version):
    if not version or not table_exists(cr, "sales_kpi_fact"):
        return
    cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(TABLE)))
    cr.execute(
        SQL(
            """CREATE TABLE %s AS
               SELECT metric.id AS metric_id, MIN(fact.date) AS date_from,
                      metric.facts_stored_until AS date_to
                 FROM sales_kpi_metric metric
                 JOIN sales_kpi_fact fact ON fact.metric_id = metric.id
                WHERE metric.facts_stored_until IS NOT NULL
                GROUP BY metric.id""",
            SQL.identifier(TABLE),
        )
    )
