"""A call's number matched to the CRM, and what the call leaves there."""

from datetime import date, datetime

from odoo.tests import tagged

from .call_common import CallCommon


@tagged("post_install", "-at_install")
class TestCallMatching(CallCommon):
    def test_polish_numbers_match_however_typed(self):
        """The lead's number and the PBX's, each in another form: +48 or
        not, 0048, spaces, dashes, brackets."""
        cases = [
            ("+48 601 234 567", "601-234-567"),
            ("601 234 568", "+48601234568"),
            ("601234569", "0048 601 234 569"),
            ("(+48) 601-234-560", "601 234 560"),
            ("0048601234561", "+48 601 234 561"),
        ]
        for index, (typed, sent) in enumerate(cases):
            with self.subTest(typed=typed, sent=sent):
                lead = self._lead(typed)
                call = self._log(event_id=f"norm-{index}", **{"from": sent})
                self.assertEqual(call.lead_id, lead)
                self.assertEqual(
                    call.customer_number,
                    "+48"
                    + sent.replace("-", "")
                    .replace(" ", "")
                    .removeprefix("+48")
                    .removeprefix("0048"),
                )

    def test_lead_then_contact_then_company_agents_own_first(self):
        company = self.env["res.partner"].create(
            {"name": "Instal-Bud", "is_company": True, "phone": "+48 22 555 01 02"}
        )
        call = self._log(event_id="c1", **{"from": "22 555 01 02"})
        self.assertEqual((call.lead_id.id, call.partner_id), (False, company))
        person = self.env["res.partner"].create(
            {"name": "Marek", "parent_id": company.id, "phone": "22-555-01-02"}
        )
        call = self._log(event_id="c2", **{"from": "22 555 01 02"})
        self.assertEqual((call.lead_id.id, call.partner_id), (False, person))
        # two open leads: the agent's own (Jan's, older) before the newer one
        own = self._lead("+48225550102", owner=self.user_hunter, partner_id=person.id)
        newer = self._lead("+48225550102")
        call = self._log(event_id="c3", **{"from": "22 555 01 02"})
        self.assertEqual((call.lead_id, call.partner_id), (own, person))
        # Tomasz (102) owns none of them: the most recent
        call = self._log(event_id="c4", agent="102", **{"from": "22 555 01 02"})
        self.assertEqual(call.lead_id, newer)
        # a lost (archived) lead is no longer matched
        (own + newer).action_set_lost()
        call = self._log(event_id="c5", **{"from": "22 555 01 02"})
        self.assertEqual((call.lead_id.id, call.partner_id), (False, person))

    def test_only_records_of_the_pbxs_company_or_shared_match(self):
        """Jan rings 601 234 567: a lead and a contact of another company with
        that number are not the office PBX's to log on; a contact shared by
        all companies is."""
        other, nora, manhattan = self._new_york("sdo_nora_calls")
        theirs = self._lead("601 234 567", owner=nora, team_id=manhattan.id, company_id=other.id)
        self.env["res.partner"].create(
            {"name": "Their customer", "phone": "601234567", "company_id": other.id}
        )

        def ring(event_id):
            return self._log(
                event_id=event_id, direction="out", **{"from": "101", "to": "601 234 567"}
            )

        self.assertEqual((ring("co-1").lead_id.id, ring("co-2").partner_id.id), (False, False))
        shared = self.env["res.partner"].create({"name": "Shared", "mobile": "+48601234567"})
        call = ring("co-3")
        self.assertEqual((call.lead_id.id, call.partner_id), (False, shared))
        self.assertEqual(theirs.company_id, other)

    def test_an_answered_call_is_the_agents_done_call_counted_once(self):
        lead = self._lead("601 234 567", owner=self.user_hunter)
        planned = lead.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.user_hunter.id, summary="Ring them"
        )
        call = self._log(recording_url="https://pbx.example.com/rec/1.wav")
        self.assertFalse(planned.exists(), "the planned call is the one done")
        done = lead.message_ids.filtered("mail_activity_type_id")
        self.assertEqual(len(done), 1)
        self.assertEqual(
            (done.create_uid, done.author_id), (self.user_hunter, self.user_hunter.partner_id)
        )
        # 09:15 +01:00 plus 125 s
        self.assertEqual(done.date, datetime(2026, 3, 10, 8, 17, 5))
        self.assertIn("Call of 2 min 05 s", done.body)
        self.assertIn(f'href="/sales_dept_org/call/{call.id}/recording"', done.body)
        self.assertNotIn("pbx.example.com", done.body)
        # "Calls made" counts it for Jan on the day of the call, once
        metric = self.env.ref("sales_dept_org.kpi_metric_calls_made")
        day = date(2026, 3, 10)
        users = self.user_hunter + self.user_closer
        self.assertEqual(metric._read_facts(users, day, day), {(metric.id, self.user_hunter.id): 1})
        # a call with nothing planned: the done call is posted as such
        self._log(event_id="evt-4", duration=30, start="2026-03-10T15:00:00+01:00")
        done = lead.message_ids.filtered("mail_activity_type_id") - done
        self.assertEqual(
            (done.create_uid, done.author_id, done.date, done.subtype_id),
            (
                self.user_hunter,
                self.user_hunter.partner_id,
                datetime(2026, 3, 10, 14, 0, 30),
                self.env.ref("mail.mt_activities"),
            ),
        )
        self.assertIn("Call of 0 min 30 s", done.body)
        self.assertFalse(
            lead.activity_ids.filtered(lambda a: a.activity_type_id.category == "phonecall")
        )
        self.assertEqual(metric._read_facts(users, day, day), {(metric.id, self.user_hunter.id): 2})
        # a missed or outbound-failed call counts nothing
        self._log(event_id="evt-2", status="missed")
        self._log(
            event_id="evt-3",
            direction="out",
            status="failed",
            **{"from": "101", "to": "601 234 567"},
        )
        self.assertEqual(metric._read_facts(users, day, day), {(metric.id, self.user_hunter.id): 2})

    def test_missed_call_of_a_lead_is_a_call_back_for_its_owner(self):
        lead = self._lead("601 234 567", owner=self.user_closer)
        self._log(status="missed")
        task = lead.activity_ids
        self.assertEqual(
            (task.user_id, task.activity_type_id, task.summary),
            (
                self.user_closer,
                self.env.ref("mail.mail_activity_data_call"),
                "Call back: missed call from +48601234567",
            ),
        )

    def test_an_unknown_caller_becomes_a_lead_of_the_phone_teams_hunter(self):
        """Team East takes the phone's leads (its cut): Hubert, its hunter, owns
        the new lead, and its first task is to call back."""
        self.team_east.sales_task_mode = "warn"
        call = self._log(status="missed", **{"from": "+48 700 800 900"})
        lead = call.lead_id
        self.assertEqual(
            (lead.team_id, lead.user_id, lead.phone, lead.medium_id),
            (
                self.team_east,
                self.user_hunter_east,
                "+48700800900",
                self.env.ref("utm.utm_medium_phone"),
            ),
        )
        self.assertEqual(call.user_id, self.user_hunter)  # who took the call
        task = lead.activity_ids
        self.assertEqual(
            (task.user_id, task.summary),
            (self.user_hunter_east, "Call back: missed call from +48700800900"),
        )
        # an outbound call to an unknown number opens no lead
        call = self._log(
            event_id="out-1", direction="out", **{"from": "101", "to": "+48 700 800 901"}
        )
        self.assertFalse(call.lead_id or call.partner_id)

    def test_agents_by_login_and_by_work_phone(self):
        self.integration.agent_match = "login"
        self.assertEqual(self._log(event_id="a1", agent="sdo_closer").user_id, self.user_closer)
        self.integration.agent_match = "work_phone"
        employee = self.env["hr.employee"].search([("user_id", "=", self.user_closer.id)])
        employee.work_phone = "+48 22 100 00 02"
        self.assertEqual(self._log(event_id="a2", agent="22-100-00-02").user_id, self.user_closer)
