import functools
import re

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged, users
from odoo.tools.misc import format_amount

from .common import SalesDeptCommon


def tier(sequence, start, end, payout, rate):
    return Command.create(
        {
            "sequence": sequence,
            "attainment_from": start,
            "attainment_to": end,
            "payout_from": payout,
            "rate": rate,
        }
    )


GOOD_TIERS = [tier(1, 70, 100, 40, 1), tier(2, 100, 0, 100, 3)]


@tagged("post_install", "-at_install")
class TestBonusScheme(SalesDeptCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Scheme = cls.env["sales.bonus.scheme"]
        cls.qualified = cls.env.ref("sales_dept_org.kpi_metric_leads_qualified")

    def scheme_vals(self, **overrides):
        vals = {
            "name": "Jan's scheme",
            "sales_role": "hunter",
            "employee_id": self.employee_hunter.id,
            "target_pay": 7000.0,
            "metric_ids": [Command.create({"metric_id": self.qualified.id, "weight": 100})],
            "tier_ids": GOOD_TIERS,
        }
        return dict(vals, **overrides)

    def test_shipped_defaults_follow_the_article(self):
        schemes = self.Scheme.search(
            [("company_id", "=", self.env.company.id), ("employee_id", "=", False)]
        )
        by_role = {scheme.sales_role: scheme for scheme in schemes}
        self.assertEqual(set(by_role), {"hunter", "closer", "farmer", "head", "universal"})
        closer = by_role["closer"]
        # 30/10/60, paid on first sales, uncapped, three times more over plan
        self.assertEqual(
            (closer.fixed_share, closer.soft_share, closer.bonus_share), (30.0, 10.0, 60.0)
        )
        self.assertFalse(closer.has_cap)
        self.assertEqual(
            set(closer.metric_ids.mapped("metric_code")), {"revenue_won", "new_customers"}
        )
        self.assertEqual(closer.tier_ids[-1].rate, 3.0)
        # hunters: the article's split too (a mostly fixed pay cannot pay three times
        # more at plan), on qualified leads and meetings
        hunter = by_role["hunter"]
        self.assertEqual(
            (hunter.fixed_share, hunter.soft_share, hunter.bonus_share), (30.0, 10.0, 60.0)
        )
        self.assertEqual(
            set(hunter.metric_ids.mapped("metric_code")), {"leads_qualified", "meetings_held"}
        )
        self.assertEqual(
            set(by_role["farmer"].metric_ids.mapped("metric_code")),
            {"repeat_purchases", "payments_received"},
        )
        # every shipped scheme pays three times more at plan: no warning
        self.assertEqual(schemes.mapped("three_times_warning"), [False] * 5)
        # installing again adds nothing
        self.assertFalse(self.Scheme._install_default_schemes(self.env.company))

    def test_simulator_of_the_shipped_hunter_scheme(self):
        hunter = self.Scheme.search(
            [
                ("company_id", "=", self.env.company.id),
                ("sales_role", "=", "hunter"),
                ("employee_id", "=", False),
            ]
        )
        # 6,000 at 30/10/60: fixed 1,800, soft 600, bonus target 3,600. Tiers: nothing
        # below 80%, 50 + (a - 80) up to plan, 100 + 2 x (a - 100) over it.
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", hunter.simulation_html)
        cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows[1:]]
        money = functools.partial(format_amount, self.env, currency=hunter.currency_id)
        self.assertEqual(
            [(row[0], row[1], row[4], row[5], row[6]) for row in cells],
            [
                ("50%", "0%", money(0), money(2400), "40%"),  # 1,800 + 600
                ("70%", "0%", money(0), money(2400), "40%"),
                ("80%", "50%", money(1800), money(4200), "70%"),
                ("90%", "60%", money(2160), money(4560), "76%"),
                ("100%", "100%", money(3600), money(6000), "100%"),  # the target pay
                ("120%", "140%", money(5040), money(7440), "124%"),
                ("150%", "200%", money(7200), money(9600), "160%"),
            ],
        )
        self.assertIn('<tr class="fw-bold">', hunter.simulation_html)

    def test_three_times_warning(self):
        # Jan at 60/10/30 from 70%: fixed + bonus = 60 + 30 = 90 at plan, 60 at 69%:
        # 1.5 times, not three
        scheme = self.Scheme.create(
            self.scheme_vals(fixed_share=60.0, soft_share=10.0, bonus_share=30.0)
        )
        self.assertEqual(
            scheme.three_times_warning,
            "Three times more: at plan this scheme pays 90% of the target pay for results "
            "(fixed + bonus), 1.5 times the 60% paid just below the first threshold (70% "
            "attainment). The article asks for three times: with a threshold above 0%, a "
            "bonus share at least twice the fixed share.",
        )
        # 30/10/60: 30 + 60 = 90, exactly three times 30
        scheme.write({"fixed_share": 30.0, "bonus_share": 60.0})
        self.assertFalse(scheme.three_times_warning)

    def test_company_created_later_gets_the_default_schemes(self):
        company = self.env["res.company"].create({"name": "Sales South"})
        schemes = self.Scheme.search([("company_id", "=", company.id)])
        self.assertEqual(
            sorted(schemes.mapped("sales_role")),
            ["closer", "farmer", "head", "hunter", "universal"],
        )
        self.assertEqual(schemes.filtered(lambda s: s.sales_role == "hunter").target_pay, 6000.0)
        # a role that lost its scheme gets it back through the public action; the
        # others are left alone
        by_role = {scheme.sales_role: scheme for scheme in schemes}
        by_role["farmer"].unlink()
        by_role["closer"].target_pay = 9900.0
        action = company.action_sales_create_default_schemes()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(
            action["params"]["message"], "Default bonus schemes created: Farmer (default)."
        )
        after = self.Scheme.search([("company_id", "=", company.id)])
        self.assertEqual(len(after), 5)
        self.assertEqual(by_role["closer"].target_pay, 9900.0)
        again = company.action_sales_create_default_schemes()
        self.assertEqual(again["params"]["type"], "info")
        self.assertEqual(len(self.Scheme.search([("company_id", "=", company.id)])), 5)

    def test_personal_scheme_overrides_the_role(self):
        personal = self.Scheme.create(self.scheme_vals())
        schemes = self.Scheme._schemes_for_employees(self.employee_hunter + self.employee_closer)
        self.assertEqual(schemes[self.employee_hunter.id], personal)
        self.assertEqual(schemes[self.employee_closer.id].sales_role, "closer")
        self.assertFalse(schemes[self.employee_closer.id].employee_id)

    def test_bad_input_each_named_nothing_written(self):
        cases = {
            "shares": (
                {"fixed_share": 30, "soft_share": 10, "bonus_share": 50},
                "must sum to 100% (30% + 10% + 50% = 90%)",
            ),
            "negative pay": ({"target_pay": -1.0}, "target pay cannot be negative"),
            "tiers out of order": (
                {"tier_ids": [tier(1, 100, 0, 100, 3), tier(2, 70, 100, 40, 1)]},
                "out of order",
            ),
            "tiers overlapping": (
                {"tier_ids": [tier(1, 70, 110, 40, 1), tier(2, 100, 0, 100, 3)]},
                "overlaps",
            ),
            "no metric": ({"metric_ids": []}, "at least one metric"),
            "weights": (
                {"metric_ids": [Command.create({"metric_id": self.qualified.id, "weight": 60})]},
                "must sum to 100% (they sum to 60",
            ),
            "cap under plan": ({"has_cap": True, "cap_percent": 80}, "cap below 100%"),
        }
        count = self.Scheme.search_count([])
        for name, (overrides, message) in cases.items():
            with self.subTest(name), self.assertRaisesRegex(ValidationError, re.escape(message)):
                with self.cr.savepoint():
                    self.Scheme.create(self.scheme_vals(**overrides))
        self.assertEqual(self.Scheme.search_count([]), count)

    def test_every_problem_in_one_message(self):
        with self.assertRaises(ValidationError) as caught:
            self.Scheme.create(
                self.scheme_vals(target_pay=-5.0, fixed_share=50.0, metric_ids=[], tier_ids=[])
            )
        message = str(caught.exception)
        for expected in (
            "negative",
            "sum to 100%",
            "at least one metric",
            "at least one attainment",
        ):
            self.assertIn(expected, message)

    def test_lines_edited_alone_are_checked(self):
        scheme = self.Scheme.create(self.scheme_vals())
        attempts = [
            ("must sum to 100%", lambda: scheme.metric_ids.write({"weight": 50.0})),
            ("must pay 100%", lambda: scheme.tier_ids[-1].write({"payout_from": 90.0})),
            ("at least one metric", scheme.metric_ids.unlink),
        ]
        for message, attempt in attempts:
            with self.assertRaisesRegex(ValidationError, message), self.cr.savepoint():
                attempt()
        scheme.invalidate_recordset()
        self.assertEqual(scheme.metric_ids.weight, 100.0)

    def test_one_scheme_per_role_and_per_person(self):
        self.Scheme.create(self.scheme_vals())
        with self.assertRaisesRegex(ValidationError, "already has a personal scheme"):
            self.Scheme.create(self.scheme_vals(name="Second"))
        with self.assertRaisesRegex(ValidationError, "role already has a scheme"):
            self.Scheme.create(self.scheme_vals(name="Hunters 2", employee_id=False))

    @users("sdo_accountant")
    def test_accountant_cannot_edit_schemes(self):
        scheme = self.Scheme.search([], limit=1)
        with self.assertRaises(AccessError):
            scheme.with_user(self.env.user).write({"target_pay": 1.0})
        with self.assertRaises(AccessError):
            self.env["sales.bonus.scheme"].create(self.scheme_vals())

    @users("sdo_head")
    def test_head_reads_but_director_edits_schemes(self):
        scheme = self.Scheme.with_user(self.env.user).search([("sales_role", "=", "closer")])
        self.assertEqual(scheme.target_pay, 9000.0)
        with self.assertRaises(AccessError):
            scheme.write({"target_pay": 1.0})
        scheme.with_user(self.user_director).write({"target_pay": 9500.0})
        self.assertEqual(scheme.target_pay, 9500.0)
