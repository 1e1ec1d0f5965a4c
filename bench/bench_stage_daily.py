"""The nightly discipline job, as it runs on any night, against hand-written
SQL counting the same figures from the sources.

Before timing, the night is set up as every night finds it: the leads that
went past their stage's limit in the last day are not flagged yet (nor
alerted), the tasks whose deadline was yesterday are not flagged overdue yet,
and today's discipline rows do not exist. Each timed run is the real job
(``sales.discipline.daily._cron_sales_discipline``, called as often as the
cron would run it: it marks at most a batch of stuck leads per call): it flags
the newly stuck leads, creates their heads' alerts, flags the new overdue
tasks and writes everybody's row; then it is rolled back.

The baseline is the SQL computing every person's counts (open leads without
a task, overdue tasks) and the newly stuck leads from leads, stages and
activities. One run of the job is compared with it value by value (each
person's row, each newly stuck lead's flag and alert) before timing.
"""

from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from .generate import lead_flags

CALENDAR = True  # the month, the day: also run with the clock set (make bench-calendar)
TARGET = 3.0
ALERT_XMLID = "sales_dept_org.mail_activity_type_stuck_lead"
OVERDUE_PARAM = "sales_dept_org.overdue_refreshed_on"


def _hand_sql(env, alert, today):
    """{user id: (leads without a task, overdue tasks)} of the open leads, and
    the ids of the open leads past their stage's limit."""
    env.cr.execute(
        SQL(
            """WITH open AS (
                   SELECT l.id, l.user_id, l.stage_id, l.date_last_stage_update, s.sales_max_days
                     FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
                    WHERE l.active AND NOT COALESCE(s.is_won, FALSE))
               SELECT o.user_id,
                      COUNT(*) FILTER (WHERE NOT EXISTS (
                          SELECT 1 FROM mail_activity a
                           WHERE a.res_model = 'crm.lead' AND a.res_id = o.id
                             AND a.activity_type_id <> %(alert)s)),
                      (SELECT COUNT(*) FROM mail_activity a JOIN open o2 ON o2.id = a.res_id
                        WHERE a.res_model = 'crm.lead' AND a.user_id = o.user_id
                          AND o2.user_id = o.user_id AND a.activity_type_id <> %(alert)s
                          AND a.date_deadline < %(today)s)
                 FROM open o WHERE o.user_id IS NOT NULL
             GROUP BY o.user_id""",
            alert=alert.id,
            today=today,
        )
    )
    counts = {user_id: (no_task, overdue) for user_id, no_task, overdue in env.cr.fetchall()}
    env.cr.execute(
        SQL(
            """SELECT l.id FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
                WHERE l.active AND NOT COALESCE(s.is_won, FALSE) AND s.sales_max_days > 0
                  AND l.date_last_stage_update
                      < bench_now() - s.sales_max_days * INTERVAL '1 day'"""
        )
    )
    return counts, {lead_id for (lead_id,) in env.cr.fetchall()}


def _set_up_the_night(env, alert):
    """Un-flags what the last day brought (stuck leads, overdue tasks), as the
    previous night left it; returns the newly stuck leads' ids."""
    lead_flags.refresh(env)
    today = fields.Date.context_today(env["crm.lead"])
    yesterday = today - timedelta(days=1)
    env.cr.execute(
        SQL(
            """UPDATE crm_lead l SET is_stuck = FALSE FROM crm_stage s
                WHERE s.id = l.stage_id AND l.is_stuck
                  AND l.date_last_stage_update >= bench_now()
                      - (s.sales_max_days + 1) * INTERVAL '1 day'
            RETURNING l.id"""
        )
    )
    newly = [lead_id for (lead_id,) in env.cr.fetchall()]
    env.cr.execute(
        SQL(
            """DELETE FROM mail_activity
                WHERE res_model = 'crm.lead' AND res_id = ANY(%s) AND activity_type_id = %s""",
            newly,
            alert.id,
        )
    )
    env.cr.execute(
        SQL(
            """UPDATE crm_lead l SET has_overdue_task = FALSE
                WHERE l.has_overdue_task AND NOT EXISTS (
                      SELECT 1 FROM mail_activity a
                       WHERE a.res_model = 'crm.lead' AND a.res_id = l.id
                         AND a.activity_type_id <> %s AND a.date_deadline < %s)""",
            alert.id,
            yesterday,
        )
    )
    env["ir.config_parameter"].sudo().set_param(OVERDUE_PARAM, fields.Date.to_string(yesterday))
    env.cr.execute(SQL("DELETE FROM sales_discipline_daily WHERE date >= %s", today))
    env.invalidate_all()
    return newly


def run(bench):
    env = bench.env
    alert = env.ref(ALERT_XMLID)
    Daily = env["sales.discipline.daily"]
    newly = _set_up_the_night(env, alert)
    if not newly:
        raise AssertionError("no lead went past its stage's limit in the last day")
    calls = len(newly) // 5000 + 1  # the job marks a batch of stuck leads per call
    today = fields.Date.context_today(Daily)

    def job():
        for _ in range(calls):
            Daily._cron_sales_discipline()

    def hand_sql():
        return _hand_sql(env, alert, today)

    def check(_result):
        counts, stuck = hand_sql()
        rows = Daily.search([("date", "=", today)])
        ours = {row.user_id.id: (row.leads_without_task, row.overdue_tasks) for row in rows}
        differ = [
            (user_id, ours.get(user_id), counts.get(user_id))
            for user_id in set(ours) | set(counts)
            if ours.get(user_id, (0, 0)) != counts.get(user_id, (0, 0))
        ]
        flagged = set(env["crm.lead"].search([("is_stuck", "=", True)]).ids)
        alerted = set(
            env["mail.activity"]
            .search([("res_model", "=", "crm.lead"), ("activity_type_id", "=", alert.id)])
            .mapped("res_id")
        )
        unalerted = [
            lead.id
            for lead in env["crm.lead"].browse(newly)
            if lead.team_id.user_id and lead.id not in alerted
        ]
        if differ or flagged != stuck or unalerted:
            raise AssertionError(
                f"the job differs from the SQL: {len(differ)} people's counts, e.g. "
                f"{differ[:3]}; {len(flagged ^ stuck)} stuck flags; {len(unalerted)} newly "
                "stuck leads without their head's alert"
            )

    bench.rolled_back(job, check)()
    people = len(hand_sql()[0])
    bench.note(
        f"{people:,} people, {len(newly):,} newly stuck leads alerted, counts equal to the SQL;"
        f" {bench.queries(bench.rolled_back(job))} queries"
    )
    ratio = bench.compare(bench.rolled_back(job), hand_sql, repeat=3)
    bench.report("stage_daily_job_vs_sql", ratio, TARGET)
