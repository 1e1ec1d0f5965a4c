from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, users

from .common import SalesDeptCommon


class TestSetupWizard(SalesDeptCommon):
    """The first hour: a director builds a team with its people, roles, pay
    schemes and first plan from one form, as ``user_director`` (not admin)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.metric = {
            code: cls.env.ref(f"sales_dept_org.kpi_metric_{code}")
            for code in (
                "leads_qualified",
                "meetings_held",
                "repeat_purchases",
                "payments_received",
            )
        }
        # a login that is an e-mail, as the wizard's new users get
        cls.user_hunter.login = "jan.hunter@example.com"

    def _wizard(self, rows, **values):
        """A wizard as the current user, with people ``rows`` of (team, role,
        user or (name, e-mail))."""
        members = [
            Command.create(
                dict(
                    {"sequence": index, "team_name": team, "role": role},
                    **(
                        {"user_id": who.id}
                        if not isinstance(who, tuple)
                        else {"name": who[0], "email": who[1]}
                    ),
                )
            )
            for index, (team, role, who) in enumerate(rows)
        ]
        return self.env["sales.setup.wizard"].create(dict(values, member_ids=members))

    def _counts(self):
        return [
            self.env[model].sudo().with_context(active_test=False).search_count([])
            for model in (
                "res.users",
                "hr.employee",
                "crm.team",
                "crm.team.member",
                "sales.kpi.plan",
            )
        ]

    @users("sdo_director")
    @freeze_time("2026-03-15 10:00:00")
    def test_builds_a_team_with_people_roles_and_plan(self):
        wizard = self._wizard(
            [
                ("South", "head", ("Ewa Nowak", "ewa.nowak@example.com")),
                ("South", "hunter", ("Marek Lis", "Marek.Lis@example.com")),
                ("South", "farmer", self.user_farmer),
            ],
            create_schemes=True,
        )
        hunter_leads = wizard.target_ids.filtered(
            lambda t: t.role == "hunter" and t.metric_id == self.metric["leads_qualified"]
        )
        hunter_leads.target = 55
        action = wizard.action_apply()
        self.assertEqual(action["res_model"], "sales.kpi.board")
        self.assertNotIn("search_default_my_teams", action["context"])

        team = self.env["crm.team"].search([("name", "=", "South")])
        self.assertEqual(len(team), 1)
        ewa = self.env["res.users"].search([("login", "=", "ewa.nowak@example.com")])
        marek = self.env["res.users"].search([("login", "=", "marek.lis@example.com")])
        self.assertEqual(team.user_id, ewa)
        self.assertEqual(team.sales_structure, "split")
        self.assertEqual(team.member_ids, marek | self.user_farmer)
        self.assertTrue(ewa.has_group("sales_dept_org.group_sales_dept_head"))
        self.assertTrue(marek.has_group("sales_dept_org.group_sales_dept_salesperson"))
        self.assertFalse(marek.has_group("sales_dept_org.group_sales_dept_head"))
        roles = {member.user_id: member.sales_role for member in team.sudo().crm_team_member_ids}
        self.assertEqual(roles, {marek: "hunter", self.user_farmer: "farmer"})
        employee = self.env["hr.employee"].sudo().search([("user_id", "=", ewa.id)])
        self.assertEqual((employee.sales_role, employee.company_id), ("head", self.env.company))

        plan = self.env["sales.kpi.plan"].search([("team_id", "=", team.id)])
        self.assertEqual(
            (plan.name, plan.date_from, plan.date_to),
            ("South, 2026-03", date(2026, 3, 1), date(2026, 3, 31)),
        )
        lines = {(line.user_id, line.metric_id.code): line.target for line in plan.line_ids}
        # the head carries no personal target; each person those of their role
        self.assertEqual(
            lines,
            {
                (marek, "leads_qualified"): 55.0,
                (marek, "meetings_held"): 20.0,
                (self.user_farmer, "repeat_purchases"): 10.0,
                (self.user_farmer, "payments_received"): 80000.0,
            },
        )
        # the board the wizard opens shows the team's people
        rows = self.env["sales.kpi.board"].search([("team_id", "=", team.id)])
        self.assertEqual(rows.user_id, marek | self.user_farmer)
        schemes = self.env["sales.bonus.scheme"].search(
            [("company_id", "=", self.env.company.id), ("employee_id", "=", False)]
        )
        self.assertEqual(
            set(schemes.mapped("sales_role")), {"hunter", "closer", "farmer", "head", "universal"}
        )

    @users("sdo_director")
    def test_universal_team_and_zero_targets(self):
        """A team of universal people runs the whole cycle alone; a target set
        to 0 is left out of the plan."""
        wizard = self._wizard(
            [
                ("Solo", "head", ("Olga Head", "olga@example.com")),
                ("Solo", "universal", ("Uma One", "uma@example.com")),
            ]
        )
        wizard.target_ids.filtered(
            lambda t: t.role == "universal" and t.metric_id.code == "repeat_purchases"
        ).target = 0
        wizard.action_apply()
        team = self.env["crm.team"].search([("name", "=", "Solo")])
        self.assertEqual(team.sales_structure, "universal")
        plan = self.env["sales.kpi.plan"].search([("team_id", "=", team.id)])
        self.assertEqual(
            sorted((line.metric_id.code, line.target) for line in plan.line_ids),
            [("new_customers", 3.0), ("revenue_won", 60000.0)],
        )

    @users("sdo_director")
    def test_every_bad_row_is_named_and_nothing_is_written(self):
        before = self._counts()
        wizard = self._wizard(
            [
                ("East", "hunter", ("No Head", "nohead@example.com")),
                ("West", "head", ("Wanda", "wanda@example.com")),
                ("West", "head", ("Wiktor", "WANDA@example.com")),
                ("West", "closer", ("Celina", "")),
                ("West", "farmer", ("Filip", "Jan.Hunter@example.com")),
                ("", "closer", self.user_closer),
                ("North", "head", self.user_head),
            ]
        )
        wizard.target_ids[:1].target = -5
        with self.assertRaises(UserError) as caught:
            wizard.action_apply()
        message = str(caught.exception)
        for expected in (
            "Team East has no head: give one of its rows the role Head of Sales.",
            "Team West has several heads (rows 2, 3): keep one.",
            "Rows 2, 3: the same e-mail wanda@example.com.",
            "Row 4 (Celina): a new person needs an e-mail, their login.",
            "Row 5: jan.hunter@example.com is already the login of Jan Hunter; "
            "pick that user instead.",
            "Row 6 (Tomasz Closer): the team is missing.",
            "Team North already exists",
            "Target row 1 (Hunter, Leads qualified): a target cannot be negative.",
        ):
            self.assertIn(expected, message)
        self.assertEqual(self._counts(), before)

    @users("sdo_director")
    def test_a_person_twice_and_no_people(self):
        with self.assertRaises(UserError) as caught:
            self._wizard([]).action_apply()
        self.assertIn("Add at least one person", str(caught.exception))
        wizard = self._wizard(
            [("Twice", "head", self.user_head), ("Twice", "closer", self.user_head)]
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_apply()
        self.assertIn(
            "Rows 1, 2: Piotr Head is set up twice; a person belongs to one team here.",
            str(caught.exception),
        )

    @users("sdo_head")
    def test_a_head_cannot_open_it(self):
        with self.assertRaises(AccessError):
            self.env["sales.setup.wizard"].create({})

    def test_second_company(self):
        """Set up in another company: the team, the employees and the plan
        are that company's; the main company gets nothing."""
        company = self.env["res.company"].create({"name": "Kraków Sp. z o.o."})
        self.user_director.company_ids |= company
        wizard = (
            self.env["sales.setup.wizard"]
            .with_user(self.user_director)
            .with_context(allowed_company_ids=[company.id, self.env.company.id])
            .create(
                {
                    "member_ids": [
                        Command.create(
                            {"team_name": "Wawel", "role": "head", "name": "Kasia",
                             "email": "kasia@example.com"}
                        ),
                        Command.create(
                            {"team_name": "Wawel", "role": "closer", "name": "Kuba",
                             "email": "kuba@example.com"}
                        ),
                    ]
                }
            )
        )  # fmt: skip
        self.assertEqual(wizard.company_id, company)
        wizard.action_apply()
        team = self.env["crm.team"].search([("name", "=", "Wawel")])
        self.assertEqual(team.company_id, company)
        employees = self.env["hr.employee"].search([("user_id", "in", team.member_ids.ids)])
        self.assertEqual(employees.company_id, company)
        plan = self.env["sales.kpi.plan"].search([("team_id", "=", team.id)])
        self.assertEqual(plan.company_id, company)
        self.assertEqual(
            set(plan.line_ids.mapped("metric_id.code")), {"revenue_won", "new_customers"}
        )


class TestSetupWizardDays(SalesDeptCommon):
    """The first plan is the month of the day the wizard opens, on its
    first, middle and last day."""

    def test_first_month_default(self):
        for today, first, last in (
            ("2026-02-01", date(2026, 2, 1), date(2026, 2, 28)),
            ("2026-02-15", date(2026, 2, 1), date(2026, 2, 28)),
            ("2026-02-28", date(2026, 2, 1), date(2026, 2, 28)),
        ):
            with self.subTest(today=today), freeze_time(f"{today} 12:00:00"):
                form = Form(self.env["sales.setup.wizard"].with_user(self.user_director))
                self.assertEqual(form.date_from, first)
                with form.member_ids.new() as row:
                    row.team_name = f"T{today}"
                    row.role = "head"
                    row.name = "Head"
                    row.email = f"head{today}@example.com"
                with form.member_ids.new() as row:
                    row.team_name = f"T{today}"
                    row.role = "hunter"
                    row.name = "Hunter"
                    row.email = f"hunter{today}@example.com"
                form.save().action_apply()
                plan = self.env["sales.kpi.plan"].search([("team_id.name", "=", f"T{today}")])
                self.assertEqual((plan.date_from, plan.date_to), (first, last))
