from odoo.tools import SQL


def post_init_hook(env):
    env["crm.stage"]._sales_apply_default_rules()
    _start_stage_log(env)


def _start_stage_log(env):
    """Leads that existed before the install get one open row for their stage.

    Plain SQL on purpose: a company may hold millions of leads. Lost leads get a
    closed row (they left the pipeline when they were lost). A row at or past
    the qualifying stage (or the closers' first stage) is the lead's
    milestone, on the day it entered its stage.
    """
    env.flush_all()
    env.cr.execute(
        SQL(
            """INSERT INTO sales_lead_stage_log
                   (lead_id, company_id, team_id, user_id, sales_role, stage_id,
                    date_in, date_out, duration_days,
                    create_uid, write_uid, create_date, write_date)
            SELECT lead.id, lead.company_id, lead.team_id, lead.user_id, emp.sales_role,
                   lead.stage_id, start.date_in, stop.date_out,
                   EXTRACT(EPOCH FROM (stop.date_out - start.date_in)) / 86400.0,
                   %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
              FROM crm_lead lead
         LEFT JOIN LATERAL (
                    SELECT sales_role FROM hr_employee
                     WHERE user_id = lead.user_id AND sales_role IS NOT NULL
                     ORDER BY id LIMIT 1
                   ) emp ON TRUE
             CROSS JOIN LATERAL (
                    SELECT COALESCE(lead.date_last_stage_update, lead.create_date) AS date_in
                   ) start
             CROSS JOIN LATERAL (
                    SELECT CASE WHEN lead.active THEN NULL
                                ELSE GREATEST(COALESCE(lead.date_closed, lead.write_date),
                                              start.date_in) END AS date_out
                   ) stop
             WHERE lead.stage_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM sales_lead_stage_log log WHERE log.lead_id = lead.id)
            """,
            uid=env.uid,
        )
    )
    env["sales.lead.stage.log"]._mark_milestones_sql(SQL("TRUE"))
