"""The task flags stored on crm.lead, as the ORM keeps them.

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
    """Sets the three flags of every lead from its activities, stage and dates;
    only rows whose flags change are rewritten. Returns how many changed."""
    alert = env.ref(ALERT_XMLID)
    env.flush_all()
    env.cr.execute(
        SQL(
            """WITH fresh AS (
                SELECT lead.id,
                       lead.active AND stage.open AND NOT EXISTS (
                           SELECT 1 FROM mail_activity act
                            WHERE act.res_model = 'crm.lead' AND act.res_id = lead.id
                              AND act.activity_type_id <> %(alert)s) AS no_task,
                       lead.active AND stage.open AND EXISTS (
                           SELECT 1 FROM mail_activity act
                            WHERE act.res_model = 'crm.lead' AND act.res_id = lead.id
                              AND act.activity_type_id <> %(alert)s
                              AND act.date_deadline < bench_now()::date) AS overdue,
                       lead.active AND stage.open AND stage.sales_max_days > 0
                           AND lead.date_last_stage_update < bench_now()
                               - stage.sales_max_days * INTERVAL '1 day' AS stuck
                  FROM crm_lead lead
                  JOIN (SELECT id, sales_max_days, NOT COALESCE(is_won, FALSE) AS open
                          FROM crm_stage) stage ON stage.id = lead.stage_id
            )
            UPDATE crm_lead
               SET has_no_task = fresh.no_task,
                   has_overdue_task = fresh.overdue,
                   is_stuck = fresh.stuck
              FROM fresh
             WHERE crm_lead.id = fresh.id
               AND (crm_lead.has_no_task, crm_lead.has_overdue_task, crm_lead.is_stuck)
                   IS DISTINCT FROM (fresh.no_task, fresh.overdue, fresh.stuck)""",
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
    gen.log(f"{refresh(gen.env):,} leads whose flags were set (no task, overdue task, stuck)")
