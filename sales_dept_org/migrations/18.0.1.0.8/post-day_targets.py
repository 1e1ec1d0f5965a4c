"""Fills the day targets the pre step left empty, one plan period at a time.

Only a database older than 18.0.1.0.2 (where the pre step created the column)
is filled: a newer one keeps the targets its months were measured and paid
on. The person lines are taken by the period of their plan, at most
``BATCH`` at a time, so the working hours are read for the people of one
period over that period only; the field's own compute spreads them, each
batch is written and the cache emptied before the next.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, split_every
from odoo.tools.parse_version import parse_version

BATCH = 5000


def migrate(cr, version):
    if not version or parse_version(version) >= parse_version("18.0.1.0.2"):
        return
    cr.execute(
        SQL(
            """SELECT array_agg(line.id ORDER BY line.id)
                 FROM sales_kpi_plan_line line
                 JOIN sales_kpi_plan plan ON plan.id = line.plan_id
                WHERE line.day_targets IS NULL AND line.user_id IS NOT NULL
             GROUP BY plan.date_from, plan.date_to
             ORDER BY plan.date_from, plan.date_to"""
        )
    )
    periods = [ids for (ids,) in cr.fetchall()]
    env = api.Environment(cr, SUPERUSER_ID, {})
    lines = env["sales.kpi.plan.line"]
    field = lines._fields["day_targets"]
    for ids in periods:
        for batch in split_every(BATCH, ids, lines.browse):
            env.add_to_compute(field, batch)
            batch.flush_recordset(["day_targets"])
            env.invalidate_all()
