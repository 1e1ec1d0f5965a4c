from datetime import date, datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, format_amount

from .kpi_common import KpiCommon

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@tagged("post_install", "-at_install")
class TestKpiMetric(KpiCommon):
    """Every shipped metric on a crafted March 2026, worked out by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # days are Warsaw days (UTC+1 in March before the 29th)
        cls.env.company.resource_calendar_id.tz = "Europe/Warsaw"
        hunter, closer, farmer = cls.user_hunter, cls.user_closer, cls.user_farmer
        # revenue won / conversion: closer wins 1000 on 5 March and 2500 at
        # 23:30 UTC on 10 March (= 00:30 on 11 March in Warsaw), loses one of
        # 900; a win of 700 on 1 April is outside; farmer wins 300 on 20 March.
        cls._lead(closer, 1000, closed=datetime(2026, 3, 5, 10), won=True)
        cls._lead(closer, 2500, closed=datetime(2026, 3, 10, 23, 30), won=True)
        cls._lead(closer, 900, closed=datetime(2026, 3, 7, 10), lost=True)
        cls._lead(closer, 700, closed=datetime(2026, 4, 1, 10), won=True)
        cls._lead(farmer, 300, closed=datetime(2026, 3, 20, 10), won=True)
        cls._lead(farmer, 5000)  # open: counts nowhere
        # orders, confirmed in date order so "first purchase ever" follows them
        cls._order(closer, cls.customer_1, 1000, date(2026, 3, 3))  # new customer
        cls._order(farmer, cls.customer_1, 400, date(2026, 3, 15))  # repeat
        cls._order(closer, cls.customer_2, 600, date(2026, 3, 16))  # new customer
        cls.quotation = cls._order(closer, cls.customer_2, 200, date(2026, 3, 16), confirm=False)
        cls._order(farmer, cls.customer_2_contact, 800, date(2026, 3, 25))  # repeat (same company)
        # payments: closer's invoice of 1000 paid 300 on 10 March, 700 on 12 March;
        # farmer's 500 paid on 12 March; a credit note on closer's 200 is no
        # payment; farmer's 100 paid on 2 April is outside.
        invoice_closer = cls._invoice(closer, 1000)
        cls._pay(invoice_closer, 300, date(2026, 3, 10))
        cls._pay(invoice_closer, 700, date(2026, 3, 12))
        cls._pay(cls._invoice(farmer, 500), 500, date(2026, 3, 12))
        refunded = cls._invoice(closer, 200)
        reversal = refunded._reverse_moves([{"invoice_date": date(2026, 3, 12)}])
        reversal.action_post()  # posting a reversal reconciles it with the invoice
        assert refunded.payment_state == "reversed", refunded.payment_state
        cls._pay(cls._invoice(farmer, 100), 100, date(2026, 4, 2))
        # calls and meetings done; an open call counts nowhere
        call = cls.env.ref("mail.mail_activity_data_call")
        meeting = cls.env.ref("mail.mail_activity_data_meeting")
        cls._done_activities(hunter, call, [date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 4)])
        cls._done_activities(hunter, meeting, [date(2026, 3, 4)])
        cls._done_activities(closer, call, [date(2026, 3, 5)])
        cls._lead(hunter, 0).activity_schedule("mail.mail_activity_data_call", user_id=hunter.id)
        # leads qualified: two leads of the hunter reach the qualifying stage
        # (on 3 and 8 March); a lead still in the first stage does not count
        cls._qualified_leads(hunter, [datetime(2026, 3, 3, 9), datetime(2026, 3, 8, 9)])
        cls._lead(hunter, 0)
        cls.people = hunter + closer + farmer

    def facts(self, code, by_day=False):
        metric = self.metric(code)
        return {
            key[1:]: round(value, 2)
            for key, value in metric._read_facts(self.people, *MARCH, group_by_day=by_day).items()
        }

    def test_revenue_won(self):
        hunter, closer, farmer = self.people.ids
        self.assertEqual(self.facts("revenue_won"), {(closer,): 3500.0, (farmer,): 300.0})
        # 2500 won at 23:30 UTC on the 10th falls on the 11th in Warsaw
        self.assertEqual(
            self.facts("revenue_won", by_day=True),
            {
                (closer, date(2026, 3, 5)): 1000.0,
                (closer, date(2026, 3, 11)): 2500.0,
                (farmer, date(2026, 3, 20)): 300.0,
            },
        )

    def test_conversion(self):
        hunter, closer, farmer = self.people.ids
        # closer: won 2 of 3 closed = 66.67 %; farmer 1 of 1
        self.assertEqual(self.facts("conversion"), {(closer,): 66.67, (farmer,): 100.0})

    def test_orders(self):
        hunter, closer, farmer = self.people.ids
        # closer 1000 + 600 (the quotation of 200 is not an order); farmer 400 + 800
        self.assertEqual(self.facts("sales_ordered"), {(closer,): 1600.0, (farmer,): 1200.0})
        self.assertEqual(self.facts("average_order"), {(closer,): 800.0, (farmer,): 600.0})
        # closer brought both customers; farmer sold to each of them again
        self.assertEqual(self.facts("new_customers"), {(closer,): 2})
        self.assertEqual(self.facts("repeat_purchases"), {(farmer,): 2})

    def test_payments_received(self):
        hunter, closer, farmer = self.people.ids
        # closer 300 + 700 (the credit note is no payment), farmer 500
        self.assertEqual(self.facts("payments_received"), {(closer,): 1000.0, (farmer,): 500.0})
        self.assertEqual(
            self.facts("payments_received", by_day=True),
            {
                (closer, date(2026, 3, 10)): 300.0,
                (closer, date(2026, 3, 12)): 700.0,
                (farmer, date(2026, 3, 12)): 500.0,
            },
        )

    def test_calls_meetings_qualified(self):
        hunter, closer, farmer = self.people.ids
        self.assertEqual(self.facts("calls_made"), {(hunter,): 3, (closer,): 1})
        self.assertEqual(
            self.facts("calls_made", by_day=True),
            {
                (hunter, date(2026, 3, 2)): 2,
                (hunter, date(2026, 3, 4)): 1,
                (closer, date(2026, 3, 5)): 1,
            },
        )
        self.assertEqual(self.facts("meetings_held"), {(hunter,): 1})
        self.assertEqual(self.facts("leads_qualified"), {(hunter,): 2})

    def test_discipline_counts(self):
        """The daily discipline counts, summed over the days."""
        hunter, closer, _farmer = self.people.ids
        self.env["sales.discipline.daily"].create(
            [
                {
                    "date": date(2026, 3, 2),
                    "user_id": hunter,
                    "leads_without_task": 2,
                    "overdue_tasks": 1,
                },
                {
                    "date": date(2026, 3, 3),
                    "user_id": hunter,
                    "leads_without_task": 3,
                    "overdue_tasks": 0,
                },
                {
                    "date": date(2026, 3, 2),
                    "user_id": closer,
                    "leads_without_task": 1,
                    "overdue_tasks": 4,
                },
                {
                    "date": date(2026, 4, 1),
                    "user_id": closer,
                    "leads_without_task": 9,
                    "overdue_tasks": 9,
                },
            ]
        )
        # hunter 2 + 3 lead-days without a task, 1 overdue; closer 1 and 4 (April is outside)
        self.assertEqual(self.facts("leads_without_task"), {(hunter,): 5, (closer,): 1})
        self.assertEqual(self.facts("overdue_tasks"), {(hunter,): 1, (closer,): 4})
        self.assertFalse(self.metric("overdue_tasks").higher_is_better)

    def test_custom_metric_as_data(self):
        """An administrator adds "quotations" without code: the closer's draft of 200."""
        quotations = self.Metric.create(
            {
                "name": "Quotations",
                "code": "quotations",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "date_field": "date_order",
                "measure": "sum",
                "measure_field": "amount_untaxed",
                "domain": "[('state', 'in', ('draft', 'sent'))]",
            }
        )
        facts = quotations._read_facts(self.people, *MARCH)
        self.assertEqual(facts, {(quotations.id, self.user_closer.id): 200.0})

    def test_conditions_through_paths_select_what_the_orm_selects(self):
        """Path conditions are joined into the source query (not sub-selected):
        the same partials as the ORM's search, a negation and an OR included."""
        closer = self.user_closer.id
        # the shipped payments metric with other conditions on the same paths
        metric = self.metric("payments_received").copy({"code": "received_custom"})
        for domain, expected in (
            # the only March credit that is not a payment entry: the credit note of 200
            ([("credit_move_id.move_id.move_type", "!=", "entry")], {closer: 200.0}),
            # an OR stays with the ORM: the credit note or the closer's part of 700
            (
                [
                    ("debit_move_id.move_id.move_type", "=", "out_invoice"),
                    "|",
                    ("credit_move_id.move_id.move_type", "=", "out_refund"),
                    ("amount", ">", 600),
                ],
                {closer: 900.0},
            ),
        ):
            metric.domain = repr(domain)
            facts = metric._read_facts(self.people, *MARCH)
            facts = {user_id: value for (_metric_id, user_id), value in facts.items()}
            self.assertEqual(facts, expected, domain)
            by_orm = {}
            for partial in self.env["account.partial.reconcile"].search(domain):
                user = partial.debit_move_id.move_id.invoice_user_id
                if user in self.people and MARCH[0] <= partial.credit_move_id.date <= MARCH[1]:
                    by_orm[user.id] = by_orm.get(user.id, 0.0) + partial.amount
            self.assertEqual(facts, by_orm, domain)

    def test_credit_date_of_existing_reconciliations_is_filled_on_install(self):
        partials = self.env["account.partial.reconcile"].search([])
        self.assertGreaterEqual(len(partials), 5)
        expected = {partial.id: partial.credit_move_id.date for partial in partials}
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("UPDATE account_partial_reconcile SET credit_date = NULL")
        self.env["account.partial.reconcile"]._fill_credit_date()
        cr.execute("SELECT id, credit_date FROM account_partial_reconcile")
        self.assertEqual(dict(cr.fetchall()), expected)

    def test_figures_are_formatted_as_odoo_formats_amounts(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        revenue, calls = self.metric("revenue_won"), self.metric("calls_made")
        average = self.metric("conversion")
        for lang in ("en_US", "pl_PL"):
            env = self.env(context=dict(self.env.context, lang=lang))
            for currency in (self.env.ref("base.USD"), self.env.ref("base.PLN")):
                text = self.Metric.with_env(env)._value_formatter(currency)
                for value in (1234567.891, -50.5, 0.0):
                    self.assertEqual(
                        text(revenue, value),
                        format_amount(env, value, currency),
                        (lang, currency.name, value),
                    )
        text = self.Metric._value_formatter(self.env.company.currency_id)
        self.assertEqual(text(calls, 12.0), "12")
        # a day's share of a count is a whole count: 2.18 calls show as 2, 2.5 as 3
        self.assertEqual(text(calls, 2.18), "2")
        self.assertEqual(text(calls, 2.5), "3")
        self.assertEqual(text(calls, 1234.0), "1,234")
        self.assertEqual(text(average, 62.5), "62.50")
        # Polish: a decimal comma, as next to the money
        env_pl = self.env(context=dict(self.env.context, lang="pl_PL"))
        text_pl = self.Metric.with_env(env_pl)._value_formatter(self.env.company.currency_id)
        self.assertEqual(text_pl(average, 62.5), "62,50")
        self.assertEqual(text_pl(calls, 2.18), "2")

    def test_changed_metric_forgets_stored_facts(self):
        revenue = self.metric("revenue_won")
        self.env["sales.kpi.fact"]._store_facts(revenue, self.env.company, date(2026, 3, 31))
        stored = self.env["sales.kpi.fact"].search_count([("metric_id", "=", revenue.id)])
        self.assertTrue(stored)
        # the same definition written again (a module update) keeps them
        revenue.write({name: revenue[name] for name in ("date_field", "user_field", "domain")})
        revenue.model_id = revenue.model_id.id
        self.assertEqual(revenue.facts_stored_until, date(2026, 3, 31))
        self.assertEqual(
            self.env["sales.kpi.fact"].search_count([("metric_id", "=", revenue.id)]), stored
        )
        revenue.domain = "[('stage_id.is_won', '=', True), ('expected_revenue', '>', 500)]"
        self.assertFalse(revenue.facts_stored_until)
        self.assertFalse(self.env["sales.kpi.fact"].search_count([("metric_id", "=", revenue.id)]))
        # live again, with the new domain: the farmer's 300 no longer counts
        self.assertEqual(self.facts("revenue_won"), {(self.user_closer.id,): 3500.0})

    def test_bad_metric_is_refused_with_every_reason(self):
        count = self.Metric.search_count([])
        with self.assertRaises(ValidationError) as caught:
            self.Metric.create(
                {
                    "name": "Broken",
                    "code": "broken",
                    "model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "date_field": "no_such_date",
                    "user_field": "partner_id",
                    "measure": "sum",
                    "measure_field": "name",
                }
            )
        message = str(caught.exception)
        self.assertIn("no_such_date does not exist on crm.lead", message)
        self.assertIn("partner_id does not name a user", message)
        self.assertIn("name is not a number", message)
        self.assertEqual(self.Metric.search_count([]), count)

    def test_one_query_for_every_metric_whatever_the_number_of_people(self):
        many = self.people | self.env["res.users"].create(
            [{"name": f"Extra {n}", "login": f"kpi_extra_{n}"} for n in range(20)]
        )
        self.metrics._read_facts(self.people, *MARCH)  # warm the caches
        for users in (self.people[:1], many):
            with self.assertQueryCount(1):
                self.metrics._read_facts(users, *MARCH, group_by_day=True)

    def test_facts_are_read_without_jit_compiling(self):
        """Compiling a facts statement costs more than running it at scale
        (``_execute_facts``): it runs with JIT off, whatever the server's
        setting."""
        self.env.cr.execute(SQL("SET LOCAL jit = on"))
        self.assertTrue(self.metrics._read_facts(self.people, *MARCH))
        self.assertEqual(self.env.execute_query(SQL("SHOW jit")), [("off",)])

    def test_stored_facts_equal_live_and_cron_twice_changes_nothing(self):
        live = self.metrics._read_facts(self.people, *MARCH, group_by_day=True)
        Fact = self.env["sales.kpi.fact"]
        Fact._store_facts(self.metrics, self.env.company, date(2026, 3, 31))
        rows = Fact.search_read([], ["date", "metric_id", "user_id", "amount", "record_count"])
        self.assertEqual(set(self.metrics.mapped("facts_stored_until")), {date(2026, 3, 31)})
        self.metrics.facts_stored_until = date(2026, 3, 31)
        self.assertEqual(self.metrics._read_facts(self.people, *MARCH, group_by_day=True), live)
        # the stored days cost one query for every metric together
        with self.assertQueryCount(1):
            self.metrics._read_facts(self.people, *MARCH)
        self.metrics.facts_stored_until = date(2026, 3, 31)
        Fact._store_facts(self.metrics, self.env.company, date(2026, 3, 31))
        again = Fact.search_read([], ["date", "metric_id", "user_id", "amount", "record_count"])
        strip = [{k: v for k, v in row.items() if k != "id"} for row in rows]
        self.assertEqual([{k: v for k, v in row.items() if k != "id"} for row in again], strip)

    def test_each_record_on_its_own_company_day(self):
        """A second company in New York (UTC-5 until 8 March, UTC-4 after).

        Its closer wins 800 at 03:00 UTC on 11 March (23:00 on the 10th in
        New York), 600 at 02:00 UTC on 1 April (22:00 on 31 March:
        March's) and 900 at 04:30 UTC on 1 March (23:30 on 28 February: not
        March's), and marks a call done at 03:00 UTC on 11 March (a message
        has no company: the day of the person's company, the 10th). Read with
        both companies, in the same single query, the Warsaw closer's 2500 at
        23:30 UTC on the 10th stays on the 11th."""
        new_york, closer_ny, manhattan = self._new_york("kpi_nora")
        both = self.env.company | new_york
        for revenue, closed in (
            (800, datetime(2026, 3, 11, 3)),
            (600, datetime(2026, 4, 1, 2)),
            (900, datetime(2026, 3, 1, 4, 30)),
        ):
            self._lead(closer_ny, revenue, closed=closed, won=True, team_id=manhattan.id)
        [call] = self._done_activities(
            closer_ny,
            self.env.ref("mail.mail_activity_data_call"),
            [date(2026, 3, 11)],
            lead=self._lead(closer_ny, 0, team_id=manhattan.id),
        )
        call.date = datetime(2026, 3, 11, 3)
        metrics = (self.metric("revenue_won") | self.metric("calls_made")).with_context(
            allowed_company_ids=both.ids
        )
        users = self.user_closer | closer_ny
        metrics._read_facts(users, *MARCH)  # warm the caches
        with self.assertQueryCount(1):
            facts = metrics._read_facts(users, *MARCH, group_by_day=True)
        revenue, calls = metrics
        self.assertEqual(
            {key: value for key, value in facts.items() if value},
            {
                (revenue.id, self.user_closer.id, date(2026, 3, 5)): 1000.0,
                (revenue.id, self.user_closer.id, date(2026, 3, 11)): 2500.0,
                (revenue.id, closer_ny.id, date(2026, 3, 10)): 800.0,
                (revenue.id, closer_ny.id, date(2026, 3, 31)): 600.0,
                (calls.id, self.user_closer.id, date(2026, 3, 5)): 1,
                (calls.id, closer_ny.id, date(2026, 3, 10)): 1,
            },
        )
        # the month's totals follow the same days; the nightly store keeps them
        self.assertEqual(metrics._read_facts(users, *MARCH)[revenue.id, closer_ny.id], 1400.0)
        self.env["sales.kpi.fact"]._store_facts(metrics, both, date(2026, 3, 31))
        self.assertEqual(metrics._read_facts(users, *MARCH, group_by_day=True), facts)
