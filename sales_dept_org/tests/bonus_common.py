"""The pay world: SalesDeptCommon's team North plus a crafted month of plan and fact.

October 2026. The shipped role schemes pay the hunter, farmer, head and the
director (a head without a team); the closer has a personal scheme. Until the
KPI issue's batch API is on main, the plan and fact of the month come from
``PLAN_FACT`` through the sheet's one seam, ``_get_plan_fact``.
"""

from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from .common import SalesDeptCommon

OCTOBER = date(2026, 10, 1)
NOVEMBER = date(2026, 11, 1)
DECEMBER = date(2026, 12, 1)


class BonusCommon(SalesDeptCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.Sheet = cls.env["sales.bonus.sheet"]
        cls.scheme_closer = cls.env["sales.bonus.scheme"].create(
            {
                "name": "Tomasz's own scheme",
                "sales_role": "closer",
                "employee_id": cls.employee_closer.id,
                "target_pay": 10000.0,
                "metric_ids": [(0, 0, {"metric_code": "revenue_won", "weight": 100.0})],
                "tier_ids": [
                    (
                        0,
                        0,
                        {
                            "sequence": 1,
                            "attainment_from": 70,
                            "attainment_to": 100,
                            "payout_from": 40,
                            "rate": 1,
                        },
                    ),
                    (0, 0, {"sequence": 2, "attainment_from": 100, "payout_from": 100, "rate": 3}),
                ],
            }
        )
        # (user, metric) -> (plan, fact) per month; each test works on a copy
        cls.month_plan_fact = {
            OCTOBER: {
                (cls.user_hunter.id, "leads_qualified"): (40.0, 44.0),
                (cls.user_hunter.id, "meetings_held"): (20.0, 18.0),
                (cls.user_closer.id, "revenue_won"): (100000.0, 125000.0),
                (cls.user_farmer.id, "repeat_purchases"): (50000.0, 30000.0),
                (cls.user_farmer.id, "payments_received"): (40000.0, 34000.0),
                (cls.user_head.id, "revenue_won"): (200000.0, 200000.0),
                (cls.user_head.id, "payments_received"): (100000.0, 79000.0),
            },
        }

    def setUp(self):
        super().setUp()
        self.plan_fact = {month: dict(facts) for month, facts in self.month_plan_fact.items()}

    @contextmanager
    def month_facts(self):
        """Serves ``self.plan_fact`` through the sheet's plan/fact seam."""
        test = self

        def plan_fact(sheet, users, codes):
            month = test.plan_fact.get(sheet.date_from, {})
            return {
                key: value
                for key, value in month.items()
                if key[0] in users.ids and key[1] in codes
            }

        with patch.object(type(self.Sheet), "_get_plan_fact", plan_fact):
            yield

    def extra_people(self, role, count, company=None):
        """``count`` more salespeople of ``role`` (each with a user, as roles require)."""
        company = company or self.company
        users = self.env["res.users"].create(
            [
                {
                    "name": f"Extra {role} {index}",
                    "login": f"extra_{role}_{index}",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                }
                for index in range(count)
            ]
        )
        return self.env["hr.employee"].create(
            [
                {
                    "name": user.name,
                    "user_id": user.id,
                    "sales_role": role,
                    "company_id": company.id,
                }
                for user in users
            ]
        )

    def compute_month(self, month, company=None):
        with self.month_facts():
            sheet = self.Sheet._get_or_create_month(company or self.company, month)
            sheet.action_compute()
        return sheet

    def line_of(self, sheet, employee, line_type="pay"):
        return sheet.line_ids.filtered(
            lambda line: line.employee_id == employee and line.line_type == line_type
        )
