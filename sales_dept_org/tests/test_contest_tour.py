"""A head runs a contest in a real browser (headless Chromium), in English
and in Polish: creates it for North, starts it, reads the leaderboard (Jan
50 calls, Tomasz 20 this month) and closes it: Jan wins the 300 prize,
approved by the head."""

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestContestTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "sales_dept_org.group_sales_dept_"
        cls.head = new_test_user(
            cls.env, "sdo_contest_head", groups=f"{group}head", name="Piotr Head"
        )
        cls.hunter, cls.closer = (
            new_test_user(cls.env, login, groups=f"{group}salesperson", name=name)
            for login, name in (("sdo_contest_jan", "Jan Hunter"), ("sdo_contest_tom", "Tomasz"))
        )
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Jan Hunter", "user_id": cls.hunter.id, "sales_role": "hunter"}
        )
        cls.env["crm.team"].create(
            {
                "name": "North",
                "user_id": cls.head.id,
                "member_ids": [(6, 0, (cls.hunter | cls.closer).ids)],
            }
        )
        calls = cls.env.ref("sales_dept_org.kpi_metric_calls_made")
        today = fields.Date.context_today(cls.env.user)
        cls.env["sales.kpi.fact"].create(
            [
                {
                    "date": today,
                    "metric_id": calls.id,
                    "user_id": user.id,
                    "company_id": cls.env.company.id,
                    "amount": amount,
                    "record_count": amount,
                }
                for user, amount in ((cls.hunter, 50), (cls.closer, 20))
            ]
        )
        calls.facts_stored_until = fields.Date.add(today, days=60)

    def _tour(self, tour):
        self.authenticate(self.head.login, self.head.login)
        url = "/odoo/action-sales_dept_org.sales_contest_action/new"
        self.url_open(url, timeout=120)
        self.start_tour(url, tour, login=self.head.login)
        contest = self.env["sales.contest"].search([("name", "=", "Sprint telefonów")])
        self.assertRecordValues(
            contest,
            [{"state": "closed", "winner_ids": self.hunter.ids, "closed_by_id": self.head.id}],
        )
        self.assertRecordValues(
            self.env["sales.bonus.instant"].search([("employee_id", "=", self.employee.id)]),
            [{"amount": 300.0, "state": "approved", "approved_by_id": self.head.id}],
        )

    def test_head_creates_starts_and_closes_a_contest(self):
        self._tour("sales_dept_contest_tour")

    def test_head_in_polish(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "crm", "sales_team", "sales_dept_org"], ["pl_PL"]
        )
        self.head.lang = "pl_PL"
        # the metric is picked by its Polish name: the head's form speaks Polish
        self._tour("sales_dept_contest_tour_pl")
