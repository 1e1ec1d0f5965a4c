"""The pay world: SalesDeptCommon's team North plus a crafted month of plan and fact.

October 2026. The shipped role schemes pay the hunter, farmer, head and the
director (a head without a team); the closer has a personal scheme. The plan
is a real sales.kpi.plan of October; the facts are real records dated in
October (opportunities, won deals, meetings, orders, paid invoices), read by
the sheet through the KPI batch API like in production.
"""

from calendar import monthrange
from datetime import date, datetime

from odoo import Command

from .kpi_common import KpiCommon

OCTOBER = date(2026, 10, 1)
NOVEMBER = date(2026, 11, 1)
DECEMBER = date(2026, 12, 1)


class BonusCommon(KpiCommon):
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
                "metric_ids": [
                    (0, 0, {"metric_id": cls.metric("revenue_won").id, "weight": 100.0})
                ],
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
        cls.october_plan = cls._month_plan(
            OCTOBER,
            [
                (cls.user_hunter, "leads_qualified", 40),
                (cls.user_hunter, "meetings_held", 20),
                (cls.user_closer, "revenue_won", 100000),
                (cls.user_farmer, "repeat_purchases", 5),
                (cls.user_farmer, "payments_received", 40000),
                (cls.user_head, "revenue_won", 200000),
                (cls.user_head, "payments_received", 100000),
            ],
        )
        cls._october_facts()

    @classmethod
    def _month_plan(cls, month, targets):
        """A department plan of the month: one target line per (user, metric code, target)."""
        return cls.env["sales.kpi.plan"].create(
            {
                "name": f"Plan {month:%Y-%m}",
                "date_from": month,
                "date_to": month.replace(day=monthrange(month.year, month.month)[1]),
                "line_ids": [
                    Command.create(
                        {"user_id": user.id, "metric_id": cls.metric(code).id, "target": target}
                    )
                    for user, code, target in targets
                ],
            }
        )

    @classmethod
    def _october_facts(cls):
        """The facts of October, each a real record dated in the month."""
        # hunter: 44 leads qualified (reached the qualifying stage in October)
        cls._qualified_leads(
            cls.user_hunter, [datetime(2026, 10, 1 + index % 28, 9) for index in range(44)]
        )
        # hunter: 18 meetings marked done, on October 1st to 18th
        meeting = cls.env.ref("mail.mail_activity_data_meeting")
        cls._done_activities(cls.user_hunter, meeting, [date(2026, 10, d) for d in range(1, 19)])
        # closer: 85,000 + 40,000 = 125,000 won; the 40,000 deal is the one later lost
        cls._lead(cls.user_closer, 85000, closed=datetime(2026, 10, 10, 12), won=True)
        cls.closer_big_deal = cls._lead(
            cls.user_closer, 40000, closed=datetime(2026, 10, 20, 12), won=True
        )
        # head: 200,000 won
        cls._lead(cls.user_head, 200000, closed=datetime(2026, 10, 5, 12), won=True)
        # farmer: the customer's first order in September, then 3 repeat orders in October
        cls._order(cls.user_farmer, cls.customer_1, 1000, date(2026, 9, 15))
        for day in (6, 13, 27):
            cls._order(cls.user_farmer, cls.customer_1, 1000, date(2026, 10, day))
        # payments received in October: farmer 34,000; head 79,000 (50,000 + 29,000)
        cls._pay(cls._invoice(cls.user_farmer, 34000), 34000, date(2026, 10, 14))
        head_invoice = cls._invoice(cls.user_head, 90000)
        cls._pay(head_invoice, 50000, date(2026, 10, 8))
        cls._pay(head_invoice, 29000, date(2026, 10, 22))

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

    @classmethod
    def compute_month(cls, month, company=None):
        sheet = cls.Sheet._get_or_create_month(company or cls.company, month)
        sheet.action_compute()
        return sheet

    def line_of(self, sheet, employee, line_type="pay"):
        return sheet.line_ids.filtered(
            lambda line: line.employee_id == employee and line.line_type == line_type
        )
