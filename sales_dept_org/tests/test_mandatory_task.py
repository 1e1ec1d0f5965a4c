from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import users

from odoo.addons.sales_dept_org.tests.stage_common import SalesStageCommon


class TestMandatoryTask(SalesStageCommon):
    # ------------------------------------------------------------------
    # first task at creation
    # ------------------------------------------------------------------
    def test_web_form_lead_gets_a_first_task_for_the_head(self):
        """A web form creates as superuser, with no salesperson: the team head gets the call."""
        self.team_north.sales_task_mode = "warn"
        lead = (
            self.env["crm.lead"]
            .sudo()
            .create({"name": "Formularz WWW", "team_id": self.team_north.id, "user_id": False})
        )
        activity = lead.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            (activity.user_id, activity.activity_type_id, activity.date_deadline),
            (self.user_head, self.call_type, date.today()),
        )
        self.assertFalse(lead.has_no_task)

    @users("sdo_hunter")
    def test_salesperson_lead_gets_a_first_task_for_its_owner(self):
        self.team_north.sudo().sales_task_mode = "enforce"
        lead = self.env["crm.lead"].create(
            {"name": "Telefon", "team_id": self.team_north.id, "user_id": self.user_hunter.id}
        )
        self.assertEqual(lead.activity_ids.user_id, self.user_hunter)

    def test_team_off_creates_no_task(self):
        lead = self.env["crm.lead"].create({"name": "Cisza", "team_id": self.team_north.id})
        self.assertFalse(lead.activity_ids)
        self.assertTrue(lead.has_no_task)
        self.assertIn(lead, self.env["crm.lead"].search([("has_no_task", "=", True)]))

    # ------------------------------------------------------------------
    # enforce: no move without a task, done asks for the next one
    # ------------------------------------------------------------------
    def test_enforce_refuses_a_move_without_a_planned_activity(self):
        self.team_north.sales_task_mode = "enforce"
        lead = self._north_leads(1, self.stage_negotiation, partner_id=self.customer.id)
        # a move to won closes the lead: no next step needed
        won_ok = self._north_leads(1, self.stage_negotiation, partner_id=self.customer.id)
        with self.assertRaises(UserError) as refused:
            lead.write({"stage_id": self.stage_proposal.id})
        self.assertIn("no planned activity", str(refused.exception))
        self._plan(lead)
        lead.write({"stage_id": self.stage_proposal.id})
        self.assertEqual(lead.stage_id, self.stage_proposal)
        won_ok.write({"stage_id": self.stage_won.id})
        self.assertEqual(won_ok.stage_id, self.stage_won)

    def test_warn_lets_the_move_through(self):
        self.team_north.sales_task_mode = "warn"
        lead = self._north_leads(1, self.stage_negotiation, partner_id=self.customer.id)
        lead.write({"stage_id": self.stage_proposal.id})
        self.assertTrue(lead.has_no_task)

    def test_done_last_activity_asks_for_the_next(self):
        self.team_north.sales_task_mode = "enforce"
        lead, other = self._north_leads(2, self.stage_new)
        first, second = self._plan(lead + lead)
        # not the last one: nothing added
        first.action_feedback(feedback="ok")
        self.assertEqual(lead.activity_ids, second)
        second.action_feedback(feedback="ok")
        self.assertEqual(len(lead.activity_ids), 1)
        self.assertEqual(
            (lead.activity_ids.activity_type_id, lead.activity_ids.user_id),
            (self.todo_type, self.user_hunter),
        )
        # Odoo's chaining: a call that suggests an e-mail next gets an e-mail task
        email_type = self.env.ref("mail.mail_activity_data_email")
        self.call_type.suggested_next_type_ids = email_type
        self._plan(other).action_feedback(feedback="ok")
        self.assertEqual(other.activity_ids.activity_type_id, email_type)

    def test_warn_mode_does_not_add_the_next_task(self):
        self.team_north.sales_task_mode = "warn"
        lead = self._north_leads(1, self.stage_new)
        self._plan(lead).action_feedback(feedback="ok")
        self.assertFalse(lead.activity_ids)
        self.assertTrue(lead.has_no_task)

    # ------------------------------------------------------------------
    # flags and the daily job
    # ------------------------------------------------------------------
    def test_overdue_flag_follows_time(self):
        lead = self._north_leads(1, self.stage_new)
        with freeze_time(datetime(2026, 3, 10, 12, 0)):
            self._plan(lead, deadline=date(2026, 3, 10))
            self.env["crm.lead"]._sales_refresh_overdue()
            self.assertFalse(lead.has_overdue_task, "due today is not overdue")
        with freeze_time(datetime(2026, 3, 11, 12, 0)):
            self.env["crm.lead"]._sales_refresh_overdue()
            self.assertTrue(lead.has_overdue_task)
            self.assertIn(lead, self.env["crm.lead"].search([("has_overdue_task", "=", True)]))

    def test_stuck_job_twice_gives_one_activity(self):
        # proposal allows 10 days; one lead 11 days in it, one 9 days
        stuck, fresh = self._north_leads(2, self.stage_proposal, partner_id=self.customer.id)
        now = datetime(2026, 3, 20, 6, 0)
        stuck.date_last_stage_update = now - timedelta(days=11)
        fresh.date_last_stage_update = now - timedelta(days=9)
        stuck_type = self.env.ref("sales_dept_org.mail_activity_type_stuck_lead")
        with freeze_time(now):
            Daily = self.env["sales.discipline.daily"]
            Daily._cron_sales_discipline()
            Daily._cron_sales_discipline()
        self.assertEqual((stuck.is_stuck, fresh.is_stuck), (True, False))
        alerts = self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", (stuck + fresh).ids),
                ("activity_type_id", "=", stuck_type.id),
            ]
        )
        self.assertEqual(alerts.mapped("res_id"), stuck.ids)
        self.assertEqual(alerts.user_id, self.user_head)
        self.assertIn(stuck, self.env["crm.lead"].search([("is_stuck", "=", True)]))
        # moving on clears the flag
        stuck.write({"stage_id": self.stage_negotiation.id, "date_deadline": date(2026, 4, 1)})
        self.assertFalse(stuck.is_stuck)

    def test_stuck_flag_released_when_lost_or_limit_raised(self):
        lost, kept = self._north_leads(2, self.stage_proposal, partner_id=self.customer.id)
        now = datetime(2026, 3, 20, 6, 0)
        (lost + kept).date_last_stage_update = now - timedelta(days=11)
        with freeze_time(now):
            self.env["crm.lead"]._sales_mark_stuck(100)
            self.assertEqual((lost.is_stuck, kept.is_stuck), (True, True))
            lost.action_set_lost()
            self.assertFalse(lost.is_stuck)
            # 11 days in the stage: no longer stuck under a 12-day limit
            self.stage_proposal.sales_max_days = 12
            self.assertFalse(kept.is_stuck)
            self.env["crm.lead"]._sales_mark_stuck(100)
            self.assertFalse(kept.is_stuck)

    def test_stuck_job_works_in_batches(self):
        leads = self._north_leads(5, self.stage_proposal, partner_id=self.customer.id)
        now = datetime(2026, 3, 20, 6, 0)
        leads.date_last_stage_update = now - timedelta(days=30)
        with freeze_time(now):
            Lead = self.env["crm.lead"]
            # 5 stuck leads by batches of 2: 3 left, then 1, then none
            self.assertEqual(Lead._sales_mark_stuck(2), 3)
            self.assertEqual(Lead._sales_mark_stuck(2), 1)
            self.assertEqual(Lead._sales_mark_stuck(2), 0)
        self.assertTrue(all(leads.mapped("is_stuck")))
