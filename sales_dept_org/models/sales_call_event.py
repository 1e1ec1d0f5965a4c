"""sales.call: a phone system's event becomes a call in the CRM.

``_log_event(integration, values)`` matches the agent and the other party,
logs the call and leaves its trace where people work:

- the other party's number is matched to an open lead, else a contact (a
  person), else a company; among several, the agent's own first, then the
  most recent (highest id): the rule in ``readme/USAGE.md``;
- an answered call is a done "Call" activity of the agent on the lead or the
  contact, with the duration and a link to the recording; a call activity
  the agent had planned there is the one marked done, so a call is counted
  once by "Calls made";
- an inbound call from an unknown number opens a lead, routed by the team
  cuts as any lead created without an owner; a missed inbound call leaves a
  call-back task to the owner of the lead or contact.
"""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.phone_validation.models.mail_thread_phone import PHONE_REGEX_PATTERN

from ..engine.phone_event import EventError, national

CALL_TYPE = "mail.mail_activity_data_call"


class SalesCall(models.Model):
    _inherit = "sales.call"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _log_event(self, integration, values):
        """The call of ``values`` (see ``engine.phone_event.parse_event``),
        logged for ``integration``; ``EventError`` before anything is written
        when the agent or a number cannot be made out."""
        values = dict(values)
        agent_name = values.pop("agent")
        agent = integration._find_agent(agent_name)
        if not agent:
            raise EventError(f"unknown agent: {agent_name}")
        numbers = {}
        for key in ("number_from", "number_to"):
            numbers[key] = integration._normalise_number(values[key])
        customer_key = "number_from" if values["direction"] == "in" else "number_to"
        customer = numbers[customer_key]
        if not customer:
            raise EventError(f"{customer_key.removeprefix('number_')} is not a phone number")
        # the agent's own environment, as superuser: what the call leaves is
        # theirs (author, creator), whatever they may read; in the company of
        # the phone system, whatever the agent's current one
        company = integration.company_id
        calls = (
            self.with_user(agent)
            .sudo()
            .with_company(company)
            .with_context(
                tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
            )
        )
        lead, partner, planned = calls._sales_match_number(customer, company, agent)
        new_lead = not lead and not partner and values["direction"] == "in"
        if new_lead:
            lead = calls._sales_lead_from_call(customer, company)
            # its first task may be the agent's call
            planned = calls._sales_planned_call(lead, agent)
        recording = values.pop("recording_url")
        team = agent._sales_team_by_user(company).get(agent.id)
        call = calls.create(
            {
                **values,
                "integration_id": integration.id,
                "company_id": company.id,
                "number_from_e164": numbers["number_from"],
                "number_to_e164": numbers["number_to"],
                "customer_number": customer,
                "recording_url": recording,
                "has_recording": bool(recording),
                "user_id": agent.id,
                "team_id": team.id if team else False,
                "lead_id": lead.id,
                "partner_id": partner.id,
            }
        )
        record = lead or partner
        if record and call.status == "answered":
            call._sales_mark_call_done(record, planned)
        elif record and call.status == "missed" and call.direction == "in":
            call._sales_ask_call_back(record, new_lead)
        return call

    # ------------------------------------------------------------------
    # matching
    # ------------------------------------------------------------------
    @api.model
    def _sales_number_forms(self, number, country_code):
        """The ways ``number`` (E.164) may be stored once Odoo's separators
        (spaces, dashes, dots, slashes, brackets) are taken out: international
        with ``+`` or ``00``, and national with or without the trunk ``0``
        when it is of ``country_code``'s country (as ``phone_mobile_search``
        compares them)."""
        forms = [number, "00" + number.removeprefix("+")]
        local = national(number, country_code)
        if local:
            forms += [local, "0" + local]
        return tuple(forms)

    @api.model
    def _sales_number_condition(self, alias, number, forms):
        """SQL: the row ``alias`` has ``number`` as its normalised phone, or
        one of ``forms`` as its phone or mobile (the expressions of Odoo's
        ``phone_mobile_search`` indexes, so that each is an index lookup)."""
        return SQL(" OR ").join(
            [
                SQL("%s = %s", SQL.identifier(alias, "phone_sanitized"), number),
                *(
                    SQL(
                        "(%(column)s IS NOT NULL AND regexp_replace(%(column)s, %(pattern)s,"
                        " '', 'g') IN %(forms)s)",
                        column=SQL.identifier(alias, column),
                        pattern=PHONE_REGEX_PATTERN,
                        forms=forms,
                    )
                    for column in ("phone", "mobile")
                ),
            ]
        )

    @api.model
    def _sales_match_number(self, number, company, agent):
        """(lead, partner, planned call) of ``number``: an open lead, else a
        contact (a person), else a company, of ``company`` or shared; among
        several, the agent's own first, then the most recent (highest id);
        and the earliest call activity the agent planned on the one found
        (its lead, else the partner), locked: one that a concurrent call is
        marking done is skipped (this call is then logged on its own) rather
        than deleted twice. One query, the rule in its ORDER BY."""
        forms = self._sales_number_forms(number, company.country_id.phone_code)
        numbered = ["phone", "mobile", "phone_sanitized", "active", "company_id", "user_id"]
        self.env["crm.lead"].flush_model([*numbered, "stage_id", "partner_id", "name"])
        self.env["res.partner"].flush_model([*numbered, "is_company"])
        self.env["crm.stage"].flush_model(["is_won"])
        self.env["mail.activity"].flush_model(
            ["res_model", "res_id", "user_id", "active", "activity_type_id", "date_deadline"]
        )
        self.env["mail.activity.type"].flush_model(["category"])
        rows = self.env.execute_query(
            SQL(
                """SELECT best.lead_id, best.partner_id, planned.id, best.lead_name
                     FROM (SELECT found.lead_id, found.partner_id, found.lead_name
                             FROM (SELECT 0 AS kind, lead.id, lead.user_id,
                                          lead.id AS lead_id, lead.partner_id,
                                          lead.name AS lead_name
                                     FROM crm_lead lead
                                     LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                                    WHERE lead.active AND stage.is_won IS NOT TRUE
                                      AND (lead.company_id = %(company)s
                                           OR lead.company_id IS NULL)
                                      AND (%(lead_number)s)
                                UNION ALL
                                   SELECT CASE WHEN partner.is_company THEN 2 ELSE 1 END,
                                          partner.id, partner.user_id, NULL, partner.id, NULL
                                     FROM res_partner partner
                                    WHERE partner.active
                                      AND (partner.company_id = %(company)s
                                           OR partner.company_id IS NULL)
                                      AND (%(partner_number)s)
                                  ) AS found
                         ORDER BY found.kind, found.user_id = %(agent)s IS NOT TRUE,
                                  found.id DESC
                            LIMIT 1) AS best
                     LEFT JOIN LATERAL (
                           SELECT activity.id
                             FROM mail_activity activity
                             JOIN mail_activity_type type
                                  ON type.id = activity.activity_type_id
                            WHERE activity.res_model = CASE WHEN best.lead_id IS NULL
                                                            THEN 'res.partner'
                                                            ELSE 'crm.lead' END
                              AND activity.res_id = COALESCE(best.lead_id, best.partner_id)
                              AND activity.user_id = %(agent)s AND activity.active
                              AND type.category = 'phonecall'
                            ORDER BY activity.date_deadline, activity.id
                            LIMIT 1
                              FOR UPDATE OF activity SKIP LOCKED) AS planned ON TRUE""",
                company=company.id,
                agent=agent.id,
                lead_number=self._sales_number_condition("lead", number, forms),
                partner_number=self._sales_number_condition("partner", number, forms),
            )
        )
        lead_id, partner_id, planned_id, lead_name = rows[0] if rows else (None,) * 4
        lead = self.env["crm.lead"].browse(lead_id)
        # its name, as the call's message keeps it (record_name)
        self.env.cache.insert_missing(lead, lead._fields["name"], [lead_name] if lead else [])
        return (
            lead,
            self.env["res.partner"].browse(partner_id),
            self.env["mail.activity"].browse(planned_id),
        )

    @api.model
    def _sales_lead_from_call(self, number, company):
        """A new lead for an unknown caller, created without an owner or a team:
        the team cuts route it (medium Phone), and a split team gives it to
        a hunter, as any lead reaching the CRM without a person."""
        return self.env["crm.lead"].create(
            {
                "name": self.env._("Call from %s", number),
                "phone": number,
                "company_id": company.id,
                "medium_id": self._sales_ref_id("utm.utm_medium_phone"),
            }
        )

    # ------------------------------------------------------------------
    # what the call leaves on the record
    # ------------------------------------------------------------------
    @api.model
    def _sales_ref_id(self, xmlid):
        """The id of ``xmlid``, from the registry's cache: ``env.ref`` would
        check that the record exists, a query on every event."""
        return self.env["ir.model.data"]._xmlid_to_res_id(xmlid, raise_if_not_found=True)

    def _sales_feedback(self):
        self.ensure_one()
        minutes, seconds = divmod(self.duration, 60)
        text = self.env._(
            "Call of %(minutes)d min %(seconds)02d s", minutes=minutes, seconds=seconds
        )
        if not self.has_recording:
            return Markup("%s") % text
        return Markup('%s · <a href="%s" target="_blank">%s</a>') % (
            text,
            self._recording_path(),
            self.env._("Listen to the recording"),
        )

    def _sales_planned_call(self, record, user=None):
        """The earliest call activity planned on ``record`` (for ``user``
        only, when given), in one query."""
        domain = [
            ("res_model", "=", record._name),
            ("res_id", "=", record.id),
            ("activity_type_id.category", "=", "phonecall"),
        ]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain, order="date_deadline, id", limit=1)

    def _sales_mark_call_done(self, record, planned):
        """A done "Call" activity of the agent on ``record``, on the day the
        call ended: ``planned``, the call activity they had planned there,
        marked done, else the message Odoo keeps of a done activity, written
        as Odoo writes a log (``_message_log``): no follower is notified of a
        call the agent made, and the activity would be created only to be
        removed."""
        self.ensure_one()
        end = self.start + timedelta(seconds=self.duration)
        if planned:
            messages, _next = planned._action_done(feedback=self._sales_feedback())
            messages.write({"date": end})
            return
        call_type = self.env["mail.activity.type"].browse(self._sales_ref_id(CALL_TYPE))
        thread = self.env["mail.thread"]
        author_id, email_from = thread._message_compute_author(
            self.user_id.partner_id.id, raise_on_email=False
        )
        self.env["mail.message"].create(
            {
                "model": record._name,
                "res_id": record.id,
                "record_company_id": self.company_id.id,
                "body": Markup("<p><b>%s</b></p><p>%s</p>")
                % (call_type.name, self._sales_feedback()),
                "message_type": "notification",
                "subtype_id": self._sales_ref_id("mail.mt_activities"),
                "mail_activity_type_id": call_type.id,
                "author_id": author_id,
                "email_from": email_from,
                "reply_to": thread._notify_get_reply_to(default=email_from)[False],
                "date": end,
            }
        )

    def _sales_ask_call_back(self, record, new_lead=False):
        """A call-back task for the owner of ``record`` (its team's head for a
        lead without owner, the agent for a contact without salesperson): on
        a ``new_lead``, the first call it got as its first task, else a new one."""
        self.ensure_one()
        owner = (
            record._sales_task_owner() if record._name == "crm.lead" else record.user_id
        ) or self.user_id
        summary = self.env._("Call back: missed call from %s", self.customer_number)
        first = new_lead and self._sales_planned_call(record)
        if first:
            first.summary = summary
            return
        # assigned as the CRM's own tasks are (``crm.lead._sales_schedule``):
        # the owner finds it among their activities, without an email each
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            {
                "res_model_id": self.env["ir.model"]._get_id(record._name),
                "res_id": record.id,
                "activity_type_id": self._sales_ref_id(CALL_TYPE),
                "summary": summary,
                "user_id": owner.id,
            }
        )

    @api.model
    def _sales_known_event(self, integration, event_id):
        """The ids of the call already logged for this event ({} if none), as
        the contract answers them."""
        domain = [("integration_id", "=", integration.id), ("event_id", "=", event_id)]
        return self.sudo().search(domain, limit=1)._sales_answer()

    def _sales_answer(self):
        return (
            {
                "call_id": call.id,
                "lead_id": call.lead_id.id or None,
                "partner_id": call.partner_id.id or None,
            }
            if (call := self[:1])
            else {}
        )
