"""The phone system's event on its lean path: what it costs in queries,
what is read once per registry, and that what it leaves stays the same."""

from odoo.tests import tagged

from .call_common import CallCommon


@tagged("post_install", "-at_install")
class TestCallLean(CallCommon):
    def _post(self, **values):
        """The controller's path after the JSON is read: the token, the
        event, the duplicate check, the call logged."""
        integration = self.env["sales.call.integration"]._authenticate(self.token)
        values = integration._parse_event(self._event(**values))
        Call = self.env["sales.call"].sudo()
        self.assertFalse(Call._sales_known_event(integration, values["event_id"]))
        return Call._log_event(integration, values)

    def test_a_known_numbers_answered_call_costs_eight_queries(self):
        """The duplicate check, the agent (with the company's country and the
        agent's partner), the match (with the lead's name), the agent's team,
        the call, the call type's name, the company's mail domain (the
        reply-to, when it has one), the done call's message; nothing read
        twice. (Over HTTP add the registry's check and the transaction's
        clock.)"""
        lead = self._lead("601 234 567", owner=self.user_hunter)
        self._post(event_id="warm-up")  # loads the registry's caches
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(8):
            call = self._post(event_id="evt-lean", duration=65)
            self.env.flush_all()
        self.assertEqual((call.lead_id, call.user_id), (lead, self.user_hunter))
        done = lead.message_ids.filtered("mail_activity_type_id").sorted("id")[-1]
        partner = self.user_hunter.partner_id
        self.assertEqual(
            (done.author_id, done.email_from, done.record_name, done.record_company_id),
            (partner, partner.email_formatted, "Lead 601 234 567", self.env.company),
        )
        self.assertIn("Call of 1 min 05 s", done.body)

    def test_the_token_is_looked_up_once_per_registry(self):
        Integration = self.env["sales.call.integration"]
        Integration._authenticate(self.token)
        self.env.invalidate_all()
        with self.assertQueryCount(0):
            integration = Integration._authenticate(self.token)
            self.assertEqual(
                (integration, integration.company_id, integration.agent_match),
                (self.integration, self.env.company, "extension"),
            )
        # any change of an integration is seen at once
        self.integration.agent_match = "login"
        self.env.invalidate_all()
        self.assertEqual(Integration._authenticate(self.token).agent_match, "login")
        self.integration.active = False
        self.assertFalse(Integration._authenticate(self.token))
        self.integration.active = True
        new = self.integration.rotate_token()
        self.assertFalse(Integration._authenticate(self.token))
        self.assertEqual(Integration._authenticate(new), self.integration)

    def test_a_call_back_task_is_assigned_without_an_email(self):
        """Jan (101) misses a call on Tomasz's lead: Tomasz gets the task in
        his activities, as the CRM's own tasks, without a message each."""
        lead = self._lead("601 234 567", owner=self.user_closer)
        messages = self.env["mail.message"].sudo().search_count([])
        mails = self.env["mail.mail"].sudo().search_count([])
        self._log(status="missed")
        self.assertEqual(
            (lead.activity_ids.user_id, lead.activity_ids.summary),
            (self.user_closer, "Call back: missed call from +48601234567"),
        )
        self.assertIn(self.user_closer.partner_id, lead.message_partner_ids)
        self.assertEqual(self.env["mail.message"].sudo().search_count([]), messages)
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), mails)
