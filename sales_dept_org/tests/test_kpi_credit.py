"""Credit by contribution: each role is credited with what it brought, and a
hand-off never moves it ("pay for what I bring, not for what I take over")."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .kpi_common import KpiCommon

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@tagged("post_install", "-at_install")
class TestKpiCredit(KpiCommon):
    """Team North splits the work: the hunter qualifies leads and hands them
    to the closer, who wins them; the farmer keeps the customer. Days are
    Warsaw's (UTC+1 in March before the 29th); every event below happens
    between 09:00 and 12:00 UTC, on the day it names."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id.tz = "Europe/Warsaw"
        cls.team_north.write({"sales_structure": "split", "sales_task_mode": "off"})
        # the pipeline of this world alone: no other stage is a milestone
        cls.env["crm.stage"].search([]).write(
            {"sales_qualifying": False, "responsible_role": False}
        )
        north = {"team_id": cls.team_north.id}
        cls.stage_new, cls.stage_qualified, cls.stage_proposal, cls.stage_won = cls.env[
            "crm.stage"
        ].create(
            [
                dict(north, name="C-New", sequence=201, responsible_role="hunter"),
                dict(
                    north,
                    name="C-Qualified",
                    sequence=202,
                    responsible_role="hunter",
                    sales_qualifying=True,
                ),
                dict(north, name="C-Proposal", sequence=203, responsible_role="closer"),
                dict(north, name="C-Won", sequence=204, is_won=True),
            ]
        )

    def _new_leads(self, owner, names, stage=None):
        with freeze_time("2026-03-02 09:00:00"):
            return (
                self.env["crm.lead"]
                .with_user(owner)
                .create(
                    [
                        {
                            "name": name,
                            "type": "opportunity",
                            "team_id": self.team_north.id,
                            "user_id": owner.id,
                            "stage_id": (stage or self.stage_new).id,
                            "expected_revenue": 1000,
                            "partner_id": self.customer_1.id,
                        }
                        for name in names
                    ]
                )
                .with_env(self.env)
            )

    def _move(self, user, leads, stage, moment):
        with freeze_time(moment):
            leads.with_user(user).write({"stage_id": stage.id})

    def _facts(self, code):
        """{(user, day): value} of March."""
        people = self.user_hunter | self.user_closer | self.user_farmer
        return self._day_facts(code, people, *MARCH)

    def test_hand_off_never_moves_credit(self):
        hunter, closer, farmer = self.user_hunter, self.user_closer, self.user_farmer
        lead_a, lead_b, _lead_c = self._new_leads(hunter, ["A", "B", "C"])
        # D: the closer's own lead, straight into the proposal: nobody hunted it
        [lead_d] = self._new_leads(closer, ["D"], self.stage_proposal)
        self.assertEqual((lead_a | lead_b).hunter_user_id, hunter)
        self.assertFalse(lead_d.hunter_user_id)
        self.assertEqual(lead_d.user_id, closer)
        # 3 March: A qualified; 4 March: B skips to the proposal, handed to the closer
        self._move(hunter, lead_a, self.stage_qualified, "2026-03-03 10:00:00")
        self._move(hunter, lead_b, self.stage_proposal, "2026-03-04 10:00:00")
        self.assertEqual(lead_b.user_id, closer)
        self._store_at("2026-03-05 00:30:00")  # stores up to 4 March
        # 5 March: A handed to the closer
        self._move(hunter, lead_a, self.stage_proposal, "2026-03-05 10:00:00")
        self.assertEqual(lead_a.user_id, closer)
        # 6 and 7 March: the head steps A back and forth: no milestone again
        self._move(self.user_head, lead_a, self.stage_qualified, "2026-03-06 10:00:00")
        self._move(self.user_head, lead_a, self.stage_proposal, "2026-03-07 10:00:00")
        self.assertEqual(lead_a.user_id, closer)
        self._store_at("2026-03-08 00:30:00")  # re-reads 26 Feb .. 4 March, stores up to 7 March
        # the hunter drafted the quotation of A on 4 March; it is confirmed
        # on 9 March and the closer wins A on 10 March; the customer goes to
        # the farmer; on 12 March the head gives lead A to the farmer as well
        with freeze_time("2026-03-04 11:00:00"):
            order = self._order(
                hunter, self.customer_1, 1000, date(2026, 3, 4), confirm=False,
                opportunity_id=lead_a.id,
            )  # fmt: skip
        with freeze_time("2026-03-09 10:00:00"):
            order.action_confirm()
        self._move(closer, lead_a, self.stage_won, "2026-03-10 10:00:00")
        self.assertEqual(lead_a.closer_user_id, closer)
        self.assertEqual(self.customer_1.user_id, farmer)
        with freeze_time("2026-03-12 10:00:00"):
            lead_a.with_user(self.user_head).user_id = farmer
        self._store_at("2026-03-11 00:30:00")
        self._store_at("2026-03-13 00:30:00")  # re-reads 4 .. 10 March after the changes
        # 20 March: the farmer's repeat order, 11 days after the first purchase
        with freeze_time("2026-03-20 10:00:00"):
            repeat = self._order(farmer, self.customer_1, 400, date(2026, 3, 20), confirm=False)
            repeat.with_user(farmer).action_confirm()
        self._store_at("2026-03-21 00:30:00")

        # hunter: A qualified on the 3rd, B on the 4th (its skip counts); A
        # reached the closers on the 5th, B on the 4th; D has no hunter. The
        # closer, who owns A and B now, is credited with none of it.
        self.assertEqual(
            self._facts("leads_qualified"),
            {(hunter, date(2026, 3, 3)): 1, (hunter, date(2026, 3, 4)): 1},
        )
        self.assertEqual(
            self._facts("meetings_handed_over"),
            {(hunter, date(2026, 3, 4)): 1, (hunter, date(2026, 3, 5)): 1},
        )
        # the closer won A (1,000 on the 10th) and brought its customer (the
        # order confirmed on the 9th, drafted by the hunter): the farmer, who
        # owns A now, takes neither
        self.assertEqual(self._facts("revenue_won"), {(closer, date(2026, 3, 10)): 1000.0})
        self.assertEqual(order.closer_user_id, closer)
        self.assertEqual(self._facts("new_customers"), {(closer, date(2026, 3, 9)): 1})
        # the farmer sold again on the 20th: 11 days after the first purchase
        self.assertEqual(self._facts("repeat_purchases"), {(farmer, date(2026, 3, 20)): 1})
        self.assertEqual(self._facts("customer_retention"), {(farmer, date(2026, 3, 20)): 11.0})
        # the nightly store, re-reading each day for a week, kept the same
        # credit on the days it stored (all of March up to the 20th)
        for code in ("leads_qualified", "meetings_handed_over", "revenue_won", "new_customers"):
            self.assertEqual(self._stored_facts(code, MARCH[0]), self._facts(code), code)
        self.assertEqual(self.metric("leads_qualified").facts_stored_until, date(2026, 3, 20))

    def test_invoices_paid_on_time(self):
        """Each invoice counts on the day the money settling it in full
        arrived, if that day is not after its due date."""
        farmer, closer = self.user_farmer, self.user_closer
        cases = [
            # (salesperson, amount, due day, [(paid, day)])
            (farmer, 500, 25, [(500, 24)]),  # on time: counted on the 24th
            (farmer, 300, 15, [(300, 16)]),  # a day late: not counted
            (farmer, 400, 14, [(100, 10), (300, 14)]),  # settled on the due day: the 14th
            (farmer, 200, 31, [(50, 12)]),  # a part only: not counted
            (closer, 100, 31, [(100, 5)]),  # on time: the closer's, on the 5th
        ]
        invoices = []
        for user, amount, due, payments in cases:
            invoice = self._invoice(user, amount, due=date(2026, 3, due))
            for paid, day in payments:
                self._pay(invoice, paid, date(2026, 3, day))
            invoices.append(invoice)
        self.assertEqual(
            [(invoice.sales_paid_date, invoice.sales_paid_on_time) for invoice in invoices],
            [
                (date(2026, 3, 24), True),
                (date(2026, 3, 16), False),
                (date(2026, 3, 14), True),
                (False, False),
                (date(2026, 3, 5), True),
            ],
        )
        self.assertEqual(
            self._facts("invoices_paid_on_time"),
            {
                (farmer, date(2026, 3, 14)): 1,
                (farmer, date(2026, 3, 24)): 1,
                (closer, date(2026, 3, 5)): 1,
            },
        )
        # money received: farmer 500 + 300 + 100 + 300 + 50 = 1,250
        payments = self.metric("payments_received")._read_facts(farmer, *MARCH)
        self.assertEqual(payments, {(self.metric("payments_received").id, farmer.id): 1250.0})
