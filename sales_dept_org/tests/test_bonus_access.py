from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users

from .bonus_common import NOVEMBER, OCTOBER, BonusCommon


@tagged("post_install", "-at_install")
class TestBonusAccess(BonusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sheet = cls.Sheet._get_or_create_month(cls.company, OCTOBER)
        cls.Line = cls.env["sales.bonus.line"]

    def setUp(self):
        super().setUp()
        self.sheet.action_compute()

    @users("sdo_hunter")
    def test_salesperson_sees_only_own_pay(self):
        lines = self.Line.with_user(self.env.user).search([])
        self.assertEqual(lines.employee_id, self.employee_hunter)
        self.assertEqual(
            lines.metric_line_ids.mapped("metric_code"), ["leads_qualified", "meetings_held"]
        )
        colleague = self.line_of(self.sheet, self.employee_closer).with_user(self.env.user)
        with self.assertRaises(AccessError):
            colleague.read(["total_amount"])
        with self.assertRaises(AccessError):
            colleague.metric_line_ids.with_user(self.env.user).read(["fact"])
        with self.assertRaises(AccessError):
            self.sheet.with_user(self.env.user).read(["total_amount"])

    def test_my_pay_this_month_action(self):
        action = self.env.ref("sales_dept_org.sales_bonus_line_action_my_pay")
        self.assertEqual(action.domain, "[('user_id', '=', uid)]")
        self.assertIn("search_default_this_month", action.context)

    @users("sdo_head")
    def test_head_sees_the_team_not_the_director(self):
        lines = self.Line.with_user(self.env.user).search([])
        self.assertEqual(
            set(lines.employee_id.ids),
            set(
                (
                    self.employee_head
                    + self.employee_hunter
                    + self.employee_closer
                    + self.employee_farmer
                ).ids
            ),
        )

    @users("sdo_director")
    def test_director_sees_everyone(self):
        self.assertEqual(len(self.Line.with_user(self.env.user).search([])), 5)

    @users("sdo_accountant")
    def test_accountant_reads_confirmed_sheets_only_and_changes_nothing(self):
        Sheet = self.env["sales.bonus.sheet"]
        self.assertFalse(Sheet.search([]))
        self.assertFalse(self.env["sales.bonus.line"].search([]))
        self.sheet.action_confirm()  # by the test's superuser
        self.assertEqual(Sheet.search([]), self.sheet)
        self.assertEqual(len(self.env["sales.bonus.line"].search([])), 5)
        # each line's metrics by name, as the line's form reads them
        metrics = self.env["sales.bonus.line"].search([]).metric_line_ids
        self.assertEqual(
            {
                vals["metric_id"]["display_name"]
                for vals in metrics.web_read({"metric_id": {"fields": {"display_name": {}}}})
            },
            {
                "Leads qualified",
                "Meetings held",
                "Revenue won",
                "Repeat purchases",
                "Payments received",
            },
        )
        # a confirmed sheet gives everyone the same answer (test_sheet_lock.py)
        with self.assertRaisesRegex(UserError, "confirmed and locked"):
            self.sheet.with_user(self.env.user).write({"note": "x"})
        with self.assertRaisesRegex(UserError, "confirmed and locked"):
            self.sheet.with_user(self.env.user).action_compute()
        with self.assertRaises(AccessError):
            self.env["sales.bonus.instant"].create(
                {
                    "employee_id": self.employee_hunter.id,
                    "date": date(2026, 11, 3),
                    "amount": 5.0,
                    "reason": "no",
                }
            )

    @users("sdo_accountant")
    def test_accountant_cannot_edit_plans(self):
        plan = self.october_plan.with_user(self.env.user)
        target = self.october_plan.line_ids[:1].with_user(self.env.user)
        attempts = {
            "plan write": lambda: plan.write({"name": "Easier plan"}),
            "plan create": lambda: self.env["sales.kpi.plan"].create(
                {"name": "Own plan", "date_from": NOVEMBER, "date_to": date(2026, 11, 30)}
            ),
            "plan unlink": plan.unlink,
            "target write": lambda: target.write({"target": 1.0}),
            "target create": lambda: self.env["sales.kpi.plan.line"].create(
                {"plan_id": plan.id, "metric_id": target.metric_id.id, "target": 1.0}
            ),
            "target unlink": target.unlink,
        }
        for name, attempt in attempts.items():
            with self.subTest(name), self.assertRaises(AccessError):
                attempt()
        # nothing changed: the plan, its 7 targets and the first one's value
        self.assertEqual(self.october_plan.name, "Plan 2026-10")
        self.assertEqual(len(self.october_plan.line_ids), 7)
        self.assertNotEqual(self.october_plan.line_ids[:1].target, 1.0)

    @users("sdo_hunter")
    def test_salesperson_cannot_grant_instant_bonuses(self):
        with self.assertRaises(AccessError):
            self.env["sales.bonus.instant"].create(
                {
                    "employee_id": self.employee_hunter.id,
                    "date": date(2026, 11, 3),
                    "amount": 500.0,
                    "reason": "self-service",
                }
            )

    @users("sdo_head")
    def test_head_grants_to_the_team_only(self):
        bonus = self.env["sales.bonus.instant"].create(
            {
                "employee_id": self.employee_closer.id,
                "date": date(2026, 11, 3),
                "amount": 300.0,
                "reason": "Won the Gdańsk tender",
            }
        )
        self.assertEqual((bonus.team_id, bonus.granted_by_id), (self.team_north, self.user_head))
        with self.assertRaises(AccessError):
            self.env["sales.bonus.instant"].create(
                {
                    "employee_id": self.employee_director.id,
                    "date": date(2026, 11, 3),
                    "amount": 300.0,
                    "reason": "my boss",
                }
            )


@tagged("post_install", "-at_install")
class TestBonusMultiCompany(BonusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_multi_company()
        cls.env["sales.bonus.scheme"]._install_default_schemes(cls.company_2)
        cls.user_c2 = cls._sales_user(
            "sdo_hunter_c2", "Bruce C2", "sales_dept_org.group_sales_dept_salesperson"
        )
        cls.user_c2.write(
            {"company_ids": [(6, 0, cls.company_2.ids)], "company_id": cls.company_2.id}
        )
        cls.employee_c2 = cls.env["hr.employee"].create(
            {
                "name": "Bruce C2",
                "user_id": cls.user_c2.id,
                "sales_role": "hunter",
                "company_id": cls.company_2.id,
            }
        )

    def test_each_company_its_own_sheet(self):
        main = self.compute_month(OCTOBER)
        other = self.compute_month(OCTOBER, self.company_2)
        self.assertNotEqual(main, other)
        self.assertEqual(other.line_ids.employee_id, self.employee_c2)
        self.assertNotIn(self.employee_c2, main.line_ids.employee_id)
        # the company's own shipped hunter scheme, in its own currency (AUD): 6,000 at 30%
        self.assertEqual(other.currency_id, self.company_2.currency_id)
        self.assertEqual(other.line_ids.fixed_amount, 1800.0)
        self.assertEqual(other.line_ids.scheme_id.company_id, self.company_2)

    def test_head_of_one_company_never_sees_the_other(self):
        other = self.compute_month(OCTOBER, self.company_2)
        Sheet = self.env["sales.bonus.sheet"].with_user(self.user_director)
        self.assertNotIn(other, Sheet.search([]))
        with self.assertRaises(AccessError):
            other.with_user(self.user_director).read(["total_amount"])
        self.assertFalse(
            self.env["sales.bonus.scheme"]
            .with_user(self.user_director)
            .search([("company_id", "=", self.company_2.id)])
        )
