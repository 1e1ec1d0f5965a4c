from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoDepartment(TransactionCase):
    """The demo department builds in an empty database (rolled back after)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.built = cls.env["sales.dept.demo"]._load_demo_department()
        cls.company = cls.env.ref("sales_dept_org.demo_company")
        cls.leads = (
            cls.env["crm.lead"]
            .with_context(active_test=False)
            .search([("company_id", "=", cls.company.id)])
        )

    def test_company_is_polish(self):
        self.assertTrue(self.built)
        self.assertEqual(self.company.currency_id.name, "PLN")
        self.assertEqual(self.company.country_id.code, "PL")
        self.assertTrue(
            self.env["account.journal"].search_count(
                [("company_id", "=", self.company.id), ("type", "=", "sale")]
            )
        )

    def test_people_and_roles(self):
        employees = self.env["hr.employee"].search([("company_id", "=", self.company.id)])
        roles = employees.grouped("sales_role")
        self.assertEqual(len(roles["head"]), 3)  # director + two heads
        self.assertEqual(len(roles["hunter"]), 2)
        self.assertEqual(len(roles["closer"]), 2)
        self.assertEqual(len(roles["farmer"]), 2)
        self.assertEqual(len(roles["universal"]), 2)
        director = self.env.ref("sales_dept_org.demo_user_director")
        self.assertTrue(director.has_group("sales_dept_org.group_sales_dept_director"))
        heads = self.env.ref("sales_dept_org.demo_user_head_north") + self.env.ref(
            "sales_dept_org.demo_user_head_south"
        )
        for head in heads:
            self.assertTrue(head.has_group("sales_dept_org.group_sales_dept_head"))
            self.assertFalse(head.has_group("sales_dept_org.group_sales_dept_director"))
        accountant = self.env.ref("sales_dept_org.demo_user_accountant")
        self.assertTrue(accountant.has_group("sales_dept_org.group_sales_dept_accountant"))

    def test_teams_head_plus_three(self):
        for xmlid in ("demo_team_polnoc", "demo_team_poludnie"):
            team = self.env.ref(f"sales_dept_org.{xmlid}")
            self.assertEqual(len(team.member_ids), 3)
            self.assertEqual(
                sorted(team.member_ids.with_company(self.company).employee_id.mapped("sales_role")),
                ["closer", "farmer", "hunter"],
            )
        universal = self.env.ref("sales_dept_org.demo_team_mazowsze")
        self.assertEqual(
            set(universal.member_ids.with_company(self.company).employee_id.mapped("sales_role")),
            {"universal"},
        )

    def test_leads_cover_every_stage_and_three_months(self):
        stages = self.env["crm.stage"].search([("team_id", "=", False)])
        self.assertEqual(set(self.leads.stage_id.ids), set(stages.ids))
        today = fields.Date.today()
        months = {lead.create_date.strftime("%Y-%m") for lead in self.leads}
        expected = {(today - relativedelta(months=n)).strftime("%Y-%m") for n in range(3)}
        self.assertTrue(expected <= months, f"{expected} not within {months}")
        self.assertGreater(len(self.leads.filtered(lambda lead: not lead.active)), 0)
        self.assertTrue(all(lead.company_id == self.company for lead in self.leads))

    def test_activities_done_and_planned(self):
        open_leads = self.leads.filtered(lambda lead: lead.active and not lead.stage_id.is_won)
        # the head's stuck-deal alerts are not the owner's tasks
        with_task = open_leads.filtered(lambda lead: not lead.has_no_task)
        self.assertGreater(len(with_task), len(open_leads) * 0.7)
        self.assertLess(len(with_task), len(open_leads), "some leads lack a task on purpose")
        overdue = with_task.activity_ids.filtered(
            lambda act: act.date_deadline < fields.Date.today()
        )
        self.assertTrue(overdue)
        done = self.env["mail.message"].search_count(
            [
                ("model", "=", "crm.lead"),
                ("res_id", "in", self.leads.ids),
                ("mail_activity_type_id", "!=", False),
            ]
        )
        self.assertGreaterEqual(done, len(self.leads))

    def test_second_build_changes_nothing(self):
        self.assertFalse(self.env["sales.dept.demo"]._load_demo_department())
        self.assertEqual(
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search_count([("company_id", "=", self.company.id)]),
            len(self.leads),
        )

    def test_organisation_wired(self):
        """North and South hand off by role, Mazowsze is universal; won
        customers of the role-split teams are kept by their farmer."""
        polnoc = self.env.ref("sales_dept_org.demo_team_polnoc")
        poludnie = self.env.ref("sales_dept_org.demo_team_poludnie")
        mazowsze = self.env.ref("sales_dept_org.demo_team_mazowsze")
        self.assertEqual(
            [team.sales_structure for team in (polnoc, poludnie, mazowsze)],
            ["split", "split", "universal"],
        )
        self.assertEqual(
            sorted(polnoc.sales_state_ids.mapped("code")), ["04", "20", "22", "28", "32"]
        )
        farmers = {
            polnoc: self.env.ref("sales_dept_org.demo_user_farmer_north"),
            poludnie: self.env.ref("sales_dept_org.demo_user_farmer_south"),
        }
        won = self.leads.filtered(
            lambda lead: lead.stage_id.is_won and lead.team_id in farmers and lead.partner_id
        )
        self.assertTrue(won)
        for lead in won:
            self.assertEqual(lead.closer_user_id, lead.user_id)
            self.assertIn(lead.partner_id.user_id, set(farmers.values()))
