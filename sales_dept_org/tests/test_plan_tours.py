"""Weeks and quarters in a real browser (headless Chromium), each as the
person who does it: a salesperson reads this week's calls on My Plan; a head
frames a quarter and plans a month beneath it."""

from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from ..engine.kpi import days_between


@tagged("post_install", "-at_install")
class TestPlanTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.head, cls.hunter = (
            new_test_user(
                cls.env, login=login, name=name, groups=f"sales_dept_org.group_sales_dept_{group}"
            )
            for login, name, group in (
                ("tour_head", "Piotr Head", "head"),
                ("tour_hunter", "Jan Hunter", "salesperson"),
            )
        )
        calendar = cls.env.company.resource_calendar_id  # 8 h Monday to Friday
        cls.env["hr.employee"].create(
            [
                {
                    "name": user.name,
                    "user_id": user.id,
                    "sales_role": role,
                    "resource_calendar_id": calendar.id,
                }  # fmt: skip
                for user, role in ((cls.head, "head"), (cls.hunter, "hunter"))
            ]
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "North", "user_id": cls.head.id, "member_ids": [Command.set(cls.hunter.ids)]}
        )
        cls.calls = cls.env.ref("sales_dept_org.kpi_metric_calls_made")

    def _hundred_calls_a_weekday(self):
        """The hunter's plans of last, this and next month: 100 calls a
        weekday, so that this week's target is 500 whichever day today is."""
        today = self.env.company._sales_date()
        for months in (-1, 0, 1):
            first = today.replace(day=1) + relativedelta(months=months)
            last = first + relativedelta(months=1, days=-1)
            weekdays = sum(day.weekday() < 5 for day in days_between(first, last))
            self.env["sales.kpi.plan"].create(
                {
                    "name": f"North {first:%Y-%m}",
                    "team_id": self.team.id,
                    "date_from": first,
                    "date_to": last,
                    "line_ids": [
                        Command.create(
                            {
                                "metric_id": self.calls.id,
                                "user_id": self.hunter.id,
                                "target": 100 * weekdays,
                            }
                        )
                    ],
                }
            )

    def test_salesperson_reads_the_week_on_my_plan(self):
        self._hundred_calls_a_weekday()
        lead = self.env["crm.lead"].create(
            {"name": "Cold lead", "user_id": self.hunter.id, "team_id": self.team.id}
        )
        activities = self.env["mail.activity"].create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "user_id": self.hunter.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                }
                for _index in range(2)
            ]
        )
        activities.with_user(self.hunter)._action_done()  # two calls made now
        self.start_tour("/odoo/crm", "sales_dept_my_plan_week_tour", login=self.hunter.login)

    def test_head_frames_a_quarter_with_a_month_beneath(self):
        self.start_tour(
            "/odoo/action-sales_dept_org.sales_kpi_plan_action",
            "sales_dept_quarter_plan_tour",
            login=self.head.login,
        )
        quarter = self.env["sales.kpi.plan"].search([("name", "=", "Q1 2027")])
        self.assertRecordValues(
            quarter,
            [
                {
                    "level": "quarter",
                    "date_from": datetime(2027, 1, 1).date(),
                    "date_to": datetime(2027, 3, 31).date(),
                }
            ],
        )
        self.assertEqual(quarter.child_ids.name, "January 2027")
        self.assertEqual(quarter.child_ids.line_ids.target, 3100)
        self.assertIn("add up to 3100.0, Q1 2027 says 3000.0", quarter.sum_warning)
