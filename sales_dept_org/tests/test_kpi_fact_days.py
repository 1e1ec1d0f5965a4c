"""Facts that match a hand calculation on any day: money re-dated and
reconciled across a month end, read with the clock on the 1st, the 15th and
the last day of a month; first purchases confirmed and cancelled out of
order on days already stored; each company's facts on its own days."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from .kpi_common import KpiCommon

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@tagged("post_install", "-at_install")
class TestKpiFactDays(KpiCommon):
    """Days are Warsaw's; the nightly job stores every day up to yesterday."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id.tz = "Europe/Warsaw"

    def _hand_payments(self, user, date_from, date_to):
        """{day: amount} of money received for ``user``'s invoices, by hand:
        each reconciliation on the date of its money's line."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT money.date, SUM(partial.amount)
                     FROM account_partial_reconcile partial
                     JOIN account_move_line line ON line.id = partial.debit_move_id
                     JOIN account_move invoice ON invoice.id = line.move_id
                     JOIN account_move_line money ON money.id = partial.credit_move_id
                    WHERE invoice.move_type = 'out_invoice' AND invoice.invoice_user_id = %s
                      AND money.date BETWEEN %s AND %s
                    GROUP BY 1""",
                user.id,
                date_from,
                date_to,
            )
        )
        return {(user, day): amount for day, amount in self.env.cr.fetchall()}

    def test_payments_redated_and_reconciled_across_a_month_end(self):
        farmer = self.user_farmer
        invoice = self._invoice(farmer, 1000, due=date(2026, 4, 30))
        # 300 paid on 28 February, then re-dated to 31 March and reconciled
        # again; 200 on 1 April, 400 on 15 April, 100 on 30 April
        [early] = self._pay(invoice, 300, date(2026, 2, 28))
        early.action_draft()
        # the payment and its journal entry (whose lines hold the date)
        early.date = early.move_id.date = date(2026, 3, 31)
        early.action_post()
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        money = early.move_id.line_ids.filtered(
            lambda line: line.account_id == receivable.account_id
        )
        (receivable + money).reconcile()
        for amount, day in ((200, 1), (400, 15), (100, 30)):
            self._pay(invoice, amount, date(2026, 4, day))
        self.assertEqual(invoice.payment_state, "paid")
        april = {day: {(farmer, date(2026, 4, day)): amount} for day, amount in (
            (1, 200.0), (15, 400.0), (30, 100.0))}  # fmt: skip
        march = {(farmer, date(2026, 3, 31)): 300.0}
        # the clock at noon on 1, 15 and 30 April (the last day): the month
        # to date, yesterday and before from the nightly store, today live
        for today, expected in (
            (1, april[1]),  # 200 on the 1st
            (15, april[1] | april[15]),  # 200 + 400 = 600 to date
            (30, april[1] | april[15] | april[30]),  # 700 + 100 = 800, all of it
        ):
            moment = datetime(2026, 4, today, 10)
            self._store_at(moment)
            with freeze_time(moment):
                month = (date(2026, 4, 1), date(2026, 4, today))
                facts = self._day_facts("payments_received", farmer, *month)
                self.assertEqual(facts, expected, today)
                self.assertEqual(facts, self._hand_payments(farmer, *month), today)
                # March stays 300, on its last day, stored and read again
                self.assertEqual(self._day_facts("payments_received", farmer, *MARCH), march)
        self.assertEqual(self.metric("payments_received").facts_stored_until, date(2026, 4, 29))
        self.assertEqual(
            self._stored_facts("payments_received", MARCH[0]), march | april[1] | april[15]
        )
        # paid in full on 30 April, its due date: on time, that day
        self.assertEqual(
            self._day_facts("invoices_paid_on_time", farmer, date(2026, 4, 1), date(2026, 4, 30)),
            {(farmer, date(2026, 4, 30)): 1},
        )

    def test_first_purchase_confirmed_and_cancelled_out_of_order(self):
        closer, farmer = self.user_closer, self.user_farmer
        people = closer | farmer
        # 10 March: the closer's order, the customer's first
        first = self._order(closer, self.customer_1, 1000, date(2026, 3, 10))
        self._store_at("2026-03-21 00:30:00")  # stores up to 20 March
        self.assertEqual(
            self._stored_facts("new_customers", MARCH[0]), {(closer, date(2026, 3, 10)): 1}
        )
        # 22 March: the farmer's order of 5 March (a contact of the customer)
        # is confirmed late: it was the first purchase; the closer's becomes
        # a repeat one, 5 days later
        with freeze_time("2026-03-22 10:00:00"):
            earlier = self._order(farmer, self.customer_1, 400, date(2026, 3, 5))
        self.assertEqual((earlier.is_first_purchase, first.is_first_purchase), (True, False))
        self.assertEqual(first.sales_customer_days, 5)
        expected = {
            "new_customers": {(farmer, date(2026, 3, 5)): 1},
            "repeat_purchases": {(closer, date(2026, 3, 10)): 1},
            "customer_retention": {(closer, date(2026, 3, 10)): 5.0},
        }
        for code, facts in expected.items():
            # stored again on the days that changed, though stored long ago
            self.assertEqual(self._stored_facts(code, MARCH[0]), facts, code)
            self.assertEqual(self._day_facts(code, people, *MARCH), facts, code)
        # 23 March: the farmer's order is cancelled: the closer's is first again
        with freeze_time("2026-03-23 10:00:00"):
            earlier._action_cancel()
        self.assertEqual((earlier.is_first_purchase, first.is_first_purchase), (False, True))
        self.assertEqual(first.sales_customer_days, 0)
        expected = {
            "new_customers": {(closer, date(2026, 3, 10)): 1},
            "repeat_purchases": {},
            "customer_retention": {},
        }
        for code, facts in expected.items():
            self.assertEqual(self._stored_facts(code, MARCH[0]), facts, code)
            self.assertEqual(self._day_facts(code, people, *MARCH), facts, code)

    def test_each_company_stored_on_its_own_day(self):
        """A New York company: an order at 03:00 UTC on 11 March is on
        10 March there, on 11 March in Warsaw. Storing one company leaves the
        other's facts alone."""
        other = self.env["res.company"].create({"name": "Sales NY"})
        other.resource_calendar_id.tz = "America/New_York"
        farmer, closer = self.user_farmer, self.user_closer
        farmer.write({"company_ids": [(4, other.id)]})
        home = self._order(closer, self.customer_1, 1000, date(2026, 3, 10))
        away = self._order(farmer, self.customer_2, 500, date(2026, 3, 10), company_id=other.id)
        (home | away).date_order = datetime(2026, 3, 11, 3)
        self._store_at("2026-03-21 00:30:00")
        expected = {
            (closer, date(2026, 3, 11), self.env.company): 1000.0,
            (farmer, date(2026, 3, 10), other): 500.0,
        }
        self.assertEqual(self._company_facts("sales_ordered"), expected)
        # storing the home company again replaces its facts only
        new_york = self.env["sales.kpi.fact"].search([("company_id", "=", other.id)])
        self.env["sales.kpi.fact"]._store_facts(
            self.metric("sales_ordered"), self.env.company, date(2026, 3, 20)
        )
        self.assertEqual(self._company_facts("sales_ordered"), expected)
        self.assertTrue(new_york.exists())
        self.assertEqual(new_york.exists(), new_york)

    def _company_facts(self, code):
        facts = self.env["sales.kpi.fact"].search([("metric_id", "=", self.metric(code).id)])
        return {(fact.user_id, fact.date, fact.company_id): fact.amount for fact in facts}
