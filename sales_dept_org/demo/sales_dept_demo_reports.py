"""Demo data of the scheduled reports: 14 months of customer invoices for the
demo department, two ABC-XYZ snapshots a month apart, the money of today and
today's morning digests.

Kept apart from the department builder (its own method and demo file) so the
reports can grow without touching the people and leads. Seeded: every build
is the same, relative to today.
"""

import random
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

from .sales_dept_demo import DEMO_SEED, PEOPLE, TEAMS

HISTORY_MONTHS = 14
# customers buying every month, now and then, or once (the rest stay out)
REGULAR, IRREGULAR, ONE_OFF = "regular", "irregular", "one_off"


class SalesDeptDemoReports(models.AbstractModel):
    _name = "sales.dept.demo.reports"
    _description = "Sales Department Demo Builder: invoices and reports"

    @api.model
    def _load_demo_reports(self):
        """Invoices, payments and snapshots; a second call changes nothing."""
        company = self.env.ref("sales_dept_org.demo_company", raise_if_not_found=False)
        if not company or self.env.ref(
            "sales_dept_org.demo_abcxyz_snapshot_current", raise_if_not_found=False
        ):
            return False
        rng = random.Random(DEMO_SEED + 7)
        self = self.with_company(company)
        customers = self.env["res.partner"].search(
            [
                ("company_id", "=", company.id),
                ("is_company", "=", True),
                ("id", "!=", company.partner_id.id),
            ],
            order="id",
        )
        self._demo_assign_farmers(customers)
        today = fields.Date.context_today(self)
        self._demo_invoice_history(rng, company, customers, today)
        self._demo_money_of_today(company, customers, today)
        self._demo_abcxyz_snapshots(company, today)
        self._demo_digests(company, today)
        return True

    def _demo_digests(self, company, today):
        """Today's morning planning digest in each team's channel."""
        teams = self.env["crm.team"].search([("company_id", "=", company.id)])
        self.env["sales.digest.post"]._claim(company, teams, "morning", today)._publish()

    def _demo_assign_farmers(self, customers):
        """Each customer goes to the farmer (or a universal) of its region's team."""
        users = {key: self.env.ref(f"sales_dept_org.demo_user_{key}") for key, *_r in PEOPLE}
        farmer_by_team = {
            "polnoc": users["farmer_north"],
            "poludnie": users["farmer_south"],
            "mazowsze": users["universal_1"],
        }
        farmer_by_state = {
            code: farmer_by_team[team_key]
            for team_key, _name, _head, codes in TEAMS
            for code in codes
        }
        for farmer in set(farmer_by_team.values()):
            customers.filtered(
                lambda partner, farmer=farmer: farmer_by_state.get(partner.state_id.code) == farmer
            ).user_id = farmer

    def _demo_invoice_history(self, rng, company, customers, today):
        """Most customers keep a pattern for 14 months; in the last full month some
        place a big order, some stop and a few new ones start: the two snapshots
        then show customers migrating between classes."""
        month_start = today.replace(day=1)
        specs = []
        for index, customer in enumerate(customers):
            kind = (REGULAR, REGULAR, IRREGULAR, ONE_OFF)[index % 4]
            size = rng.choice([800, 1500, 3000, 6000, 12000, 25000])
            for months_ago in range(HISTORY_MONTHS, 0, -1):
                day = month_start - relativedelta(months=months_ago) + timedelta(days=index % 25)
                buys = {
                    REGULAR: True,
                    IRREGULAR: rng.random() < 0.4,
                    ONE_OFF: months_ago == HISTORY_MONTHS - index % HISTORY_MONTHS,
                }[kind]
                amount = round(size * rng.uniform(0.7, 1.3), 2)
                if months_ago == 1 and index % 5 == 0:
                    amount *= 6  # the big order of last month
                if months_ago <= 2 and index % 7 == 3:
                    buys = False  # stopped buying
                if buys:
                    specs.append((customer, day, amount))
        self._demo_post_invoices(company, specs)

    def _demo_money_of_today(self, company, customers, today):
        """Invoices due today and tomorrow, and a few paid today."""
        specs = [
            (
                customer,
                today - timedelta(days=30),
                1000 + 250 * index,
                today + timedelta(days=index % 2),
            )
            for index, customer in enumerate(customers[:8])
        ]
        invoices = self._demo_post_invoices(company, specs)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices[::3].ids
        ).create({"payment_date": today, "group_payment": False})._create_payments()

    def _demo_post_invoices(self, company, specs):
        """specs: (customer, invoice date, untaxed amount[, due date])."""
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "invoice_user_id": customer.user_id.id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": rest[0] if rest else invoice_date + timedelta(days=14),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Materiały instalacyjne", "price_unit": amount, "tax_ids": []}
                        )
                    ],
                }
                for customer, invoice_date, amount, *rest in specs
            ]
        )
        invoices.action_post()
        return invoices

    def _demo_abcxyz_snapshots(self, company, today):
        month_start = today.replace(day=1)
        snapshots = self.env["sales.abcxyz.snapshot"].create(
            [
                {"company_id": company.id, "date": month_start - relativedelta(months=1)},
                {"company_id": company.id, "date": month_start},
            ]
        )
        snapshots.action_compute()
        self.env["sales.dept.demo"]._demo_xmlids(
            {
                "demo_abcxyz_snapshot_previous": snapshots[0],
                "demo_abcxyz_snapshot_current": snapshots[1],
            }
        )
