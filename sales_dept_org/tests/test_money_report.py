"""Money of the day on crafted invoices and payments; the day is 2026-03-10.

Invoices (no tax), salesperson / team:
  A farmer/North  1000 due 03-10, open              -> planned today 1000
  B farmer/North   500 due 03-10, 200 paid on 03-10 -> planned today  300, received 200
  C hunter/North   700 due 03-11, open              -> planned tomorrow 700
  D hunter/North   400 due 03-10, paid on 03-10     -> nothing planned, received 400
  E farmer/North   900 due 03-12                    -> outside both days
  F admin/South     50 due 03-10                    -> another team
  a draft invoice due 03-10 and a payment of 150 from A's customer on 03-09: ignored.
Money received is the "Payments received" metric: reconciled on a customer
invoice, credited to the invoice's salesperson on the payment's date.
"""

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .invoice_common import SalesInvoiceCommon

DAY = fields.Date.to_date("2026-03-10")


@tagged("post_install", "-at_install")
class TestMoneyReport(SalesInvoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_admin = cls.env.ref("base.user_admin")
        cls.team_south = cls.env["crm.team"].create(
            {"name": "South", "member_ids": [(6, 0, cls.user_admin.ids)]}
        )
        Partner = cls.env["res.partner"]
        cls.c_farmer, cls.c_hunter, cls.c_south = Partner.create(
            [
                {"name": "Farmer's customer", "user_id": cls.user_farmer.id},
                {"name": "Hunter's customer", "user_id": cls.user_hunter.id},
                {"name": "South customer", "user_id": cls.user_admin.id},
            ]
        )
        invoices = cls._post_invoices(
            [
                (cls.c_farmer, "2026-02-10", 1000, "out_invoice", "2026-03-10"),
                (cls.c_farmer, "2026-02-10", 500, "out_invoice", "2026-03-10"),
                (cls.c_hunter, "2026-02-11", 700, "out_invoice", "2026-03-11"),
                (cls.c_hunter, "2026-02-10", 400, "out_invoice", "2026-03-10"),
                (cls.c_farmer, "2026-02-12", 900, "out_invoice", "2026-03-12"),
                (cls.c_south, "2026-02-10", 50, "out_invoice", "2026-03-10"),
            ]
        )
        cls.inv_a, cls.inv_b, cls.inv_c, cls.inv_d, cls.inv_e, cls.inv_f = invoices
        # the salesperson of an invoice is its own field, not the customer's
        for invoice, user, team in (
            (invoices[:2] | cls.inv_e, cls.user_farmer, cls.team_north),
            (cls.inv_c | cls.inv_d, cls.user_hunter, cls.team_north),
            (cls.inv_f, cls.user_admin, cls.team_south),
        ):
            invoice.write({"invoice_user_id": user.id, "team_id": team.id})
        cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.c_farmer.id,
                "invoice_date": "2026-02-10",
                "invoice_date_due": "2026-03-10",
                "invoice_user_id": cls.user_farmer.id,
                "invoice_line_ids": [(0, 0, {"name": "Draft", "price_unit": 7777})],
            }
        )
        cls._register_payment(cls.inv_b, 200, "2026-03-10")
        cls._register_payment(cls.inv_d, 400, "2026-03-10")
        early = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": cls.c_farmer.id,
                "amount": 150,
                "date": "2026-03-09",
            }
        )
        early.action_post()

    @classmethod
    def _register_payment(cls, invoice, amount, date):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": date})._create_payments()

    def test_invoices_as_crafted(self):
        self.assertEqual(str(self.inv_a.invoice_date_due), "2026-03-10")
        self.assertEqual(self.inv_b.amount_residual, 300)
        self.assertEqual(self.inv_d.amount_residual, 0)

    def test_money_by_salesperson_worked_by_hand(self):
        money = self.env["sales.money.report"]._money_by_salesperson(self.company, DAY)
        self.assertEqual(
            money,
            {
                # A 1000 + B's open 300; B's payment 200
                (self.user_farmer.id, self.team_north.id): {
                    "planned_today": 1300.0,
                    "received_today": 200.0,
                    "planned_tomorrow": 0.0,
                },
                # D paid (not planned any more) and received 400; C due tomorrow 700
                (self.user_hunter.id, self.team_north.id): {
                    "planned_today": 0.0,
                    "received_today": 400.0,
                    "planned_tomorrow": 700.0,
                },
                (self.user_admin.id, self.team_south.id): {
                    "planned_today": 50.0,
                    "received_today": 0.0,
                    "planned_tomorrow": 0.0,
                },
            },
        )

    def test_next_day_moves_the_window(self):
        # on 03-11: C's 700 is due today, E's 900 tomorrow, nothing received
        money = self.env["sales.money.report"]._money_by_salesperson(
            self.company, fields.Date.to_date("2026-03-11")
        )
        self.assertEqual(money[self.user_hunter.id, self.team_north.id]["planned_today"], 700)
        self.assertEqual(money[self.user_farmer.id, self.team_north.id]["planned_tomorrow"], 900)
        self.assertNotIn((self.user_admin.id, self.team_south.id), money)

    def test_the_count_of_queries_does_not_grow_with_salespeople(self):
        Report = self.env["sales.money.report"]
        Report._money_by_salesperson(self.company, DAY)  # warm the caches
        self.env.invalidate_all()
        # the invoices due (one grouped read), the money received (the payments
        # metric: its definition, the company's time zone from its calendar,
        # then one grouped read) and everyone's team (one read): none per person
        with self.assertQueryCount(6):
            Report._money_by_salesperson(self.company, DAY)

    def test_money_received_is_the_invoice_salespersons_on_the_day_it_arrived(self):
        """G: the hunter's invoice of 300 to the farmer's customer. The customer
        pays 300 on 03-10; the payment is matched with G only on 03-12. The
        money arrived on 03-10 and pays the person who sold: the hunter, not
        the customer's salesperson (the farmer), not on the day of matching."""
        [inv_g] = self._post_invoices(
            [(self.c_farmer, "2026-02-20", 300, "out_invoice", "2026-03-20")]
        )
        inv_g.invoice_user_id = self.user_hunter
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.c_farmer.id,
                "amount": 300,
                "date": "2026-03-10",
            }
        )
        payment.action_post()
        Report = self.env["sales.money.report"]
        money = Report._money_by_salesperson(self.company, DAY)
        # not matched yet: nobody's money (the hunter's 400 is D's)
        self.assertEqual(money[self.user_hunter.id, self.team_north.id]["received_today"], 400.0)
        receivable = inv_g.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        with freeze_time("2026-03-12 10:00:00"):
            (
                receivable
                | payment.move_id.line_ids.filtered(
                    lambda line: line.account_id == receivable.account_id
                )
            ).reconcile()
        self.assertIn(inv_g.payment_state, ("paid", "in_payment"))
        # on 03-10: the hunter 400 (D) + 300 (G); the farmer 200 (B) only
        money = Report._money_by_salesperson(self.company, DAY)
        self.assertEqual(money[self.user_hunter.id, self.team_north.id]["received_today"], 700.0)
        self.assertEqual(money[self.user_farmer.id, self.team_north.id]["received_today"], 200.0)
        # the day of matching received nothing
        matched_day = Report._money_by_salesperson(self.company, fields.Date.to_date("2026-03-12"))
        self.assertFalse(any(amounts["received_today"] for amounts in matched_day.values()))
        # the board's and the pay's "Payments received" say the same
        metric = self.env.ref("sales_dept_org.kpi_metric_payments_received")
        people = self.user_hunter | self.user_farmer
        self.assertEqual(
            metric._read_facts(people, DAY, fields.Date.to_date("2026-03-12"), group_by_day=True),
            {
                (metric.id, self.user_hunter.id, DAY): 700.0,
                (metric.id, self.user_farmer.id, DAY): 200.0,
            },
        )

    @freeze_time("2026-03-10 23:30:00")
    def test_the_report_opens_on_the_companys_today(self):
        # 23:30 UTC: already the 11th in Warsaw, still the 10th in New York
        calendar = self.company.resource_calendar_id
        calendar.tz = "Europe/Warsaw"
        self.assertEqual(str(self.env["sales.money.report"].create({}).date), "2026-03-11")
        calendar.tz = "America/New_York"
        self.assertEqual(str(self.env["sales.money.report"].create({}).date), "2026-03-10")

    @freeze_time("2026-03-10 12:00:00")
    @users("sdo_head")
    def test_the_menu_opens_today_without_asking(self):
        """The menu runs a server action: today's money at once, the head's
        team (1300 planned, 600 received, 700 tomorrow), no date dialog."""
        menu = self.env.ref("sales_dept_org.sales_money_report_menu")
        today = self.env.ref("sales_dept_org.sales_money_report_action_today")
        self.assertEqual(menu.action, today)
        action = menu.action.run()
        self.assertEqual(action["res_model"], "sales.money.report.line")
        self.assertEqual(action["views"][0], (False, "list"))
        lines = self.env["sales.money.report.line"].search(action["domain"])
        self.assertEqual(lines.report_id.date, DAY)
        self.assertEqual(
            [sum(lines.mapped(fname)) for fname in ("planned_today", "received_today",
                                                    "planned_tomorrow")],
            [1300, 600, 700],
        )  # fmt: skip

    @users("sdo_farmer")
    def test_salesperson_sees_only_own_money(self):
        """As on the board: the team sees its ranking, a person's money is
        theirs, their head's and the director's."""
        report = self.env["sales.money.report"].create({"date": DAY})
        lines = self.env["sales.money.report.line"].search(report.action_compute()["domain"])
        self.assertEqual(lines.user_id, self.user_farmer)
        # A 1000 + B's open 300 planned, B's 200 received, nothing tomorrow
        self.assertEqual(
            (lines.planned_today, lines.received_today, lines.planned_tomorrow), (1300, 200, 0)
        )

    @users("sdo_head")
    def test_head_sees_the_team_he_leads(self):
        report = self.env["sales.money.report"].create({"date": DAY})
        lines = self.env["sales.money.report.line"].search(report.action_compute()["domain"])
        self.assertEqual(lines.user_id, self.user_farmer | self.user_hunter)
        # the team's totals for the day: 1300 planned, 600 received, 700 tomorrow
        self.assertEqual(sum(lines.mapped("planned_today")), 1300)
        self.assertEqual(sum(lines.mapped("received_today")), 600)
        self.assertEqual(sum(lines.mapped("planned_tomorrow")), 700)

    def test_another_companys_money_is_refused(self):
        """The farmer works in the main company only: the money of another
        one is not hers to read, whatever company the wizard is given."""
        other = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        self.assertNotIn(other, self.user_farmer.company_ids)
        report = (
            self.env["sales.money.report"]
            .with_user(self.user_farmer)
            .create({"date": DAY, "company_id": self.env.company.id})
        )
        report.sudo().company_id = other  # as a crafted RPC write would
        with self.assertRaisesRegex(AccessError, "Elsewhere Ltd"):
            report.action_compute()
        self.assertFalse(report.sudo().line_ids)
        with self.assertRaises(AccessError):
            self.env["sales.money.report"].with_user(self.user_farmer).create(
                {"date": DAY, "company_id": other.id}
            )

    @users("sdo_director")
    def test_director_sees_every_team(self):
        report = self.env["sales.money.report"].create({"date": DAY})
        lines = self.env["sales.money.report.line"].search(report.action_compute()["domain"])
        self.assertEqual(lines.team_id, self.team_north | self.team_south)
