"""Issue 4's stored flags on crm.lead, as the ORM keeps them.

``has_no_task``, ``has_overdue_task`` and ``is_stuck`` are copied from the
template lead by the leads step; this step computes them for every lead with
one UPDATE (the head's stuck-deal alerts are not the owner's tasks, as in
``crm.lead._compute_sales_task_flags``). ``refresh`` is also what a benchmark
calls to bring the flags to "now" before timing a daily job.
"""

from odoo.tools import SQL

from . import bulk, step

ALERT_XMLID = "sales_dept_org.mail_activity_type_stuck_lead"


def refresh(env):
    """Sets the three flags of every lead from its activities, stage and dates."""
    alert = env.ref(ALERT_XMLID)
    env.flush_all()
    env.cr.execute(
        SQL(
            """UPDATE crm_lead lead
                  SET has_no_task = lead.active AND stage.open AND NOT EXISTS (
                          SELECT 1 FROM mail_activity act
                           WHERE act.res_model = 'crm.lead' AND act.res_id = lead.id
                             AND act.activity_type_id <> %(alert)s),
                      has_overdue_task = lead.active AND stage.open AND EXISTS (
                          SELECT 1 FROM mail_activity act
                           WHERE act.res_model = 'crm.lead' AND act.res_id = lead.id
                             AND act.activity_type_id <> %(alert)s
                             AND act.date_deadline < CURRENT_DATE),
                      is_stuck = lead.active AND stage.open AND stage.sales_max_days > 0
                             AND lead.date_last_stage_update < NOW() AT TIME ZONE 'UTC'
                                 - stage.sales_max_days * INTERVAL '1 day'
                 FROM (SELECT id, sales_max_days, NOT COALESCE(is_won, FALSE) AS open
                         FROM crm_stage) stage
                WHERE stage.id = lead.stage_id""",
            alert=alert.id,
        )
    )
    env.invalidate_all()
    return env.cr.rowcount


@step(
    "lead_flags",
    applies=lambda gen: "is_stuck" in bulk.columns(gen.cr, "crm_lead"),
)
def lead_flags(gen):
    gen.log(f"{refresh(gen.env):,} leads flagged (no task, overdue task, stuck)")
