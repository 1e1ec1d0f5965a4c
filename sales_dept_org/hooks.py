from markupsafe import Markup

from odoo.tools import SQL

# The article's pipeline: new → qualified (meeting set) → proposal →
# negotiation → won. Keys are crm's stage xml ids (and ours for negotiation).
DEFAULT_STAGE_RULES = {
    "crm.stage_lead1": {
        "responsible_role": "hunter",
        "sales_allow_skip": False,
        "sales_max_days": 2,
        "script": "Call the lead within the hour. Ask about the need, the budget, "
        "who decides and by when. Goal: book a meeting.",
        "checklist": ["Need confirmed", "Decision maker known", "Meeting booked"],
    },
    "crm.stage_lead2": {
        "responsible_role": "hunter",
        # reaching it counts as a lead qualified for the hunter
        "sales_qualifying": True,
        "required": ["phone"],
        "done": ["mail.mail_activity_data_meeting"],
        "sales_allow_skip": False,
        "sales_max_days": 7,
        "script": "Hold the meeting: show the offer that fits the need, agree the "
        "scope of the proposal and the date to present it.",
        "checklist": ["Meeting held", "Scope agreed", "Proposal date set"],
    },
    "crm.stage_lead3": {
        "responsible_role": "closer",
        "required": ["partner_id", "expected_revenue"],
        "sales_allow_skip": False,
        "sales_max_days": 10,
        "script": "Send the proposal the same day and call the next day to walk "
        "through it. Find the objections early.",
        "checklist": ["Proposal sent", "Proposal discussed", "Objections listed"],
    },
    "sales_dept_org.crm_stage_negotiation": {
        "responsible_role": "closer",
        "required": ["date_deadline"],
        "sales_allow_skip": False,
        "sales_max_days": 14,
        "script": "Answer the objections, agree price and terms, set the closing date.",
        "checklist": ["Terms agreed", "Closing date set"],
    },
    "crm.stage_lead4": {
        "responsible_role": "farmer",
        # the farmer takes the customer: a lead won without one gets it
        "sales_create_customer": True,
        "script": "Thank the customer, hand them to their farmer, plan the first delivery call.",
        "checklist": ["Order confirmed", "Farmer introduced"],
    },
}


def post_init_hook(env):
    _set_default_stage_rules(env)
    _start_stage_log(env)


def _set_default_stage_rules(env):
    """Fresh install: the article's rules on the standard stages (all editable)."""
    lead_fields = env["ir.model.fields"].search([("model", "=", "crm.lead")])
    field_by_name = {field.name: field for field in lead_fields}
    for xmlid, rules in DEFAULT_STAGE_RULES.items():
        stage = env.ref(xmlid, raise_if_not_found=False)
        if not stage:
            continue
        values = {
            key: value
            for key, value in rules.items()
            if key.startswith("sales_") or key == "responsible_role"
        }
        values["sales_required_field_ids"] = [
            (6, 0, [field_by_name[name].id for name in rules.get("required", [])])
        ]
        values["sales_required_activity_type_ids"] = [
            (6, 0, [env.ref(ref).id for ref in rules.get("done", [])])
        ]
        values["sales_script"] = Markup("<p>%s</p>") % rules["script"]
        values["sales_checklist"] = Markup("<ul>%s</ul>") % Markup("").join(
            Markup("<li>%s</li>") % item for item in rules["checklist"]
        )
        stage.write(values)


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
