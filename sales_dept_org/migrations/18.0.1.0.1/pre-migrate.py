"""Pay scheme and bonus line metrics point to ``sales.kpi.metric``.

Up to 18.0.1.0.0 they held the code of a shipped metric in a selection
column ``metric_code``. Before the models are updated, each row gets the
``metric_id`` of the shipped metric with that code, so that the update finds
the new required column filled (foreign key and NOT NULL apply cleanly).
``metric_code`` is now read through the metric and its old column is left
alone.
"""

from odoo.tools import SQL
from odoo.tools.sql import column_exists

TABLES = ("sales_bonus_scheme_metric", "sales_bonus_line_metric")


def migrate(cr, version):
    if not version:
        return
    for table in TABLES:
        if not column_exists(cr, table, "metric_code"):
            continue
        cr.execute(
            SQL("ALTER TABLE %s ADD COLUMN IF NOT EXISTS metric_id integer", SQL.identifier(table))
        )
        cr.execute(
            SQL(
                """UPDATE %s AS line SET metric_id = data.res_id
                     FROM ir_model_data data
                    WHERE line.metric_id IS NULL
                      AND data.module = 'sales_dept_org' AND data.model = 'sales.kpi.metric'
                      AND data.name = 'kpi_metric_' || line.metric_code""",
                SQL.identifier(table),
            )
        )
