"""The day targets of the KPI plan lines come empty, to be filled by the
post step period by period.

``sales.kpi.plan.line.day_targets`` (18.0.1.0.2) is a stored computed field:
a database older than that gets its column from the update, and the ORM
then computes it for every line in one batch, reading each person's working
hours over the whole span of all the plans (about eleven minutes at 300,000
lines). The column is created here, before the update, so the ORM finds it
and computes nothing. A database that already has the column is left alone.
"""

from odoo.tools.sql import column_exists, create_column


def migrate(cr, version):
    if not version or column_exists(cr, "sales_kpi_plan_line", "day_targets"):
        return
    create_column(cr, "sales_kpi_plan_line", "day_targets", "jsonb", "Day Targets")
