"""The funnel on crafted leads of team North and their stage log.

Stages in order: New, Qualified, Proposition, Negotiation, Won.
  L1 closer, New > Qualified > Proposition > Negotiation > Won       won
  L2 closer, New > Qualified > Won (two stages skipped)              won
  L3 closer, New > Qualified > Proposition                           lost
  L4 hunter, New                                                     lost
  L5 hunter, New > Qualified                                         open
  L6 hunter, New                                                     open
Furthest stage: New 2 (1 lost), Qualified 1, Proposition 1 (1 lost), Won 2.
Reached:  New 6, Qualified 4, Proposition 3 (L2 skipped it but went further),
          Negotiation 2, Won 2.
Passed:   New 4, Qualified 3, Proposition 2, Negotiation 2, Won 0.
To next:  4/6 = 66.7%, 3/4 = 75%, 2/3 = 66.7%, 2/2 = 100%.
To won:   2/6 = 33.3%, 2/4 = 50%, 2/3 = 66.7%, 100%, 100%.
L1 and L2 belong to a customer with an invoice before them (existing), the
others are new. L7, of team South, is in no expected figure of North.
"""

from odoo import fields
from odoo.tests import tagged, users

from ..engine.funnel import funnel_stages
from .invoice_common import SalesInvoiceCommon

MEASURES = ["reached:sum", "passed:sum", "lost_there:sum", "won:sum"]


@tagged("post_install", "-at_install")
class TestFunnelReport(SalesInvoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.stages = (
            ref("crm.stage_lead1")
            | ref("crm.stage_lead2")
            | ref("crm.stage_lead3")
            | ref("sales_dept_org.crm_stage_negotiation")
            | ref("crm.stage_lead4")
        )
        # crm's test fixtures renumber the stages and add global ones: put the
        # pipeline back in order and keep the fixtures' stages to their own team
        for sequence, stage in zip((1, 2, 3, 4, 70), cls.stages, strict=True):
            stage.sequence = sequence
        cls.env["crm.stage"].search(
            [("team_id", "=", False), ("id", "not in", cls.stages.ids)]
        ).team_id = cls.sales_team_1
        new, qualified, proposition, negotiation, won = cls.stages
        cls.team_south = cls.env["crm.team"].create(
            {"name": "South", "user_id": cls.user_director.id}
        )
        cls.category_pumps, cls.category_valves = cls.env["product.category"].create(
            [{"name": "Pumps"}, {"name": "Valves"}]
        )
        cls.industry = cls.env["res.partner.industry"].create({"name": "Construction"})
        cls.customer_old = cls.env["res.partner"].create(
            {"name": "Old customer", "industry_id": cls.industry.id}
        )
        cls._post_invoices([(cls.customer_old, "2025-01-15", 500)])
        cls.source = cls.env["utm.source"].create({"name": "Fair"})
        cls.medium = cls.env["utm.medium"].create({"name": "Booth"})
        cls.tag = cls.env["crm.tag"].create({"name": "Installers"})
        cls.state = cls.env["res.country.state"].search([], limit=1)
        north, closer, hunter = cls.team_north, cls.user_closer, cls.user_hunter
        stories = [
            (closer, north, [new, qualified, proposition, negotiation, won], cls.customer_old),
            (closer, north, [new, qualified, won], cls.customer_old),
            (closer, north, [new, qualified, proposition], False),
            (hunter, north, [new], False),
            (hunter, north, [new, qualified], False),
            (hunter, north, [new], False),
            (cls.user_director, cls.team_south, [new, qualified], False),
        ]
        cls.leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"L{n}",
                    "type": "opportunity",
                    "user_id": user.id,
                    "team_id": team.id,
                    "partner_id": partner and partner.id,
                    "stage_id": new.id,
                }
                for n, (user, team, _moves, partner) in enumerate(stories, start=1)
            ]
        )
        l1, l2, l3, l4, l5, _l6, _l7 = cls.leads
        l1.write({"source_id": cls.source.id, "medium_id": cls.medium.id, "state_id": cls.state.id})
        (l1 | l5).tag_ids = cls.tag
        # the moves as the stage log holds them (the first stage is logged at creation)
        cls.env["sales.lead.stage.log"].sudo().create(
            [
                {
                    "lead_id": lead.id,
                    "stage_id": stage.id,
                    "date_in": fields.Datetime.now(),
                    "team_id": lead.team_id.id,
                    "user_id": lead.user_id.id,
                }
                for lead, (_user, _team, moves, _partner) in zip(cls.leads, stories, strict=True)
                for stage in moves[1:]
            ]
        )
        (l3 | l4).action_set_lost()
        cls._quotation(l1, [(cls.category_pumps, 100)])
        # the largest line decides: valves
        cls._quotation(l2, [(cls.category_pumps, 50), (cls.category_valves, 900)])
        cls.Report = cls.env["sales.funnel.report"]
        cls.north = [("team_id", "=", cls.team_north.id)]

    @classmethod
    def _quotation(cls, lead, lines):
        products = cls.env["product.product"].create(
            [{"name": f"{categ.name} item", "categ_id": categ.id} for categ, _price in lines]
        )
        cls.env["sale.order"].create(
            {
                "partner_id": (lead.partner_id or cls.customer_old).id,
                "opportunity_id": lead.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "price_unit": price, "tax_id": []})
                    for product, (_categ, price) in zip(products, lines, strict=True)
                ],
            }
        )

    def _by(self, domain, groupby, aggregates=MEASURES):
        return {
            group[: len(groupby)]: group[len(groupby) :]
            for group in self.Report._read_group(domain, groupby, aggregates)
        }

    def test_stages_worked_by_hand(self):
        figures = self._by(self.north, ["stage_id"])
        new, qualified, proposition, negotiation, won = self.stages
        self.assertEqual(
            {stage: figures.get((stage,)) for stage in self.stages},
            {
                # reached, passed, lost there, won
                new: (6, 4, 1, 2),
                qualified: (4, 3, 0, 2),
                proposition: (3, 2, 1, 2),
                negotiation: (2, 2, 0, 2),
                won: (2, 0, 0, 2),
            },
        )
        # the engine's maths agree: furthest counts 2, 1, 1, 0, 2 and lost 1, 0, 1, 0, 0
        engine = funnel_stages([2, 1, 1, 0, 2], [1, 0, 1, 0, 0])
        self.assertEqual(
            [(step.reached, step.passed, step.lost_there) for step in engine],
            [figures[(stage,)][:3] for stage in self.stages],
        )

    def test_conversions_worked_by_hand(self):
        rates = self._by(self.north, ["stage_id"], ["conversion_next:avg", "conversion_won:avg"])
        new, qualified, proposition, negotiation, _won = self.stages
        expected = {
            new: (66.67, 33.33),  # 4/6, 2/6
            qualified: (75.0, 50.0),  # 3/4, 2/4
            proposition: (66.67, 66.67),  # 2/3, 2/3
            negotiation: (100.0, 100.0),  # 2/2, 2/2
        }
        for stage, (to_next, to_won) in expected.items():
            self.assertAlmostEqual(rates[(stage,)][0], to_next, places=1)
            self.assertAlmostEqual(rates[(stage,)][1], to_won, places=1)

    def test_totals_across_stages_count_no_lead_twice(self):
        """The pivot's Total row (no stage grouping): a lead is counted once per
        stage it reached, so reached, passed, won and the conversions have no
        total across stages; lost there counts each lost lead once: 2."""
        measures = [*MEASURES, "conversion_next:avg", "conversion_won:avg"]
        self.assertEqual(
            self._by(self.north, [], measures), {(): (False, False, 2, False, False, False)}
        )
        # grouped by a cut only: the same per existing / new customers
        by_type = self._by(self.north, ["customer_type"], measures)
        self.assertEqual(by_type[("new",)], (False, False, 2, False, False, False))
        # within one stage the cut still adds up: New, existing 2 + new 4 = 6
        at_new = [*self.north, ("stage_id", "=", self.stages[0].id)]
        self.assertEqual(self._by(at_new, ["customer_type"], ["reached:sum"]),
                         {("existing",): (2,), ("new",): (4,)})  # fmt: skip

    def test_cut_new_versus_existing_customers(self):
        figures = self._by(self.north, ["customer_type", "stage_id"], ["reached:sum"])
        new, qualified, proposition, negotiation, won = self.stages
        # existing: L1, L2 reach every stage (L2 by skipping); new: L3..L6
        self.assertEqual(
            [figures.get(("existing", stage), (0,))[0] for stage in self.stages], [2, 2, 2, 2, 2]
        )
        self.assertEqual(
            [figures.get(("new", stage), (0,))[0] for stage in self.stages], [4, 2, 1, 0, 0]
        )

    def test_cut_product_category_channel_and_target_group(self):
        new = self.stages[0]
        at_new = [*self.north, ("stage_id", "=", new.id)]
        categories = self._by(at_new, ["product_categ_id"], ["reached:sum"])
        self.assertEqual(
            {categ.name or "not set": count for (categ,), (count,) in categories.items()},
            {"Pumps": 1, "Valves": 1, "not set": 4},
        )
        channels = self._by(at_new, ["source_id", "medium_id"], ["reached:sum"])
        self.assertEqual(channels[(self.source, self.medium)], (1,))
        tags = self._by(at_new, ["tag_ids"], ["reached:sum"])
        self.assertEqual(tags[(self.tag,)], (2,))  # L1 and L5
        industries = self._by(at_new, ["industry_id"], ["reached:sum"])
        self.assertEqual(industries[(self.industry,)], (2,))  # the old customer's L1, L2

    def test_cut_manager_team_and_region(self):
        new = self.stages[0]
        at_new = [("stage_id", "=", new.id)]
        managers = self._by([*at_new, *self.north], ["user_id"], ["reached:sum", "won:sum"])
        self.assertEqual(managers[(self.user_closer,)], (3, 2))  # L1..L3, two won
        self.assertEqual(managers[(self.user_hunter,)], (3, 0))
        teams = self._by(
            [*at_new, ("team_id", "in", (self.team_north | self.team_south).ids)],
            ["team_id"],
            ["reached:sum"],
        )
        self.assertEqual(teams, {(self.team_north,): (6,), (self.team_south,): (1,)})
        regions = self._by(
            [*at_new, *self.north, ("state_id", "!=", False)], ["state_id"], ["reached:sum"]
        )
        self.assertEqual(regions, {(self.state,): (1,)})

    def _opened(self, domain):
        action = self.Report.action_open_leads(domain, "bar")
        leads = self.env["crm.lead"].with_context(**action["context"]).search(action["domain"])
        return sorted(leads.mapped("name"))

    def test_a_bar_opens_the_leads_it_counts(self):
        """Each bar opens as many leads as it shows: Qualified 4 (L3 lost,
        yet it reached it); Proposition of existing customers 2 (L2 skipped
        it on its way to Won); Negotiation of new customers none."""
        _new, qualified, proposition, negotiation, _won = self.stages

        def at(stage, *cut):
            return [*self.north, ("stage_id", "=", stage.id), *cut]

        self.assertEqual(self._opened(at(qualified)), ["L1", "L2", "L3", "L5"])
        self.assertEqual(
            self._opened(at(proposition, ("customer_type", "=", "existing"))), ["L1", "L2"]
        )
        self.assertEqual(self._opened(at(negotiation, ("customer_type", "=", "new"))), [])
        # every stage: as many leads as reached
        for (stage,), (reached,) in self._by(self.north, ["stage_id"], ["reached:sum"]).items():
            self.assertEqual(len(self._opened(at(stage))), reached, stage.name)

    def test_period_filter_on_lead_creation(self):
        # L6 created last year falls out of this year's funnel
        l6 = self.leads[5]
        self.env.cr.execute("UPDATE crm_lead SET create_date = '2025-06-01' WHERE id = %s", [l6.id])
        domain = [*self.north, ("date", ">=", "2026-01-01"), ("stage_id", "=", self.stages[0].id)]
        self.assertEqual(self._by(domain, ["stage_id"], ["reached:sum"]), {(self.stages[0],): (5,)})

    def test_other_company_only_when_active(self):
        """A lead of company 2 shows in the funnel of a director who works in
        both companies only while company 2 is active, and never adds to the
        main company's figures."""
        self._activate_multi_company()
        east = self.env["crm.team"].create({"name": "East", "company_id": self.company_2.id})
        east_lead = self.env["crm.lead"].create(
            {
                "name": "East lead",
                "type": "opportunity",
                "team_id": east.id,
                "company_id": self.company_2.id,
                "stage_id": self.stages[0].id,
            }
        )
        self.user_director.company_ids |= self.company_2
        report = self.Report.with_user(self.user_director)
        main_only = report.with_context(allowed_company_ids=self.env.company.ids)
        self.assertFalse(main_only.search([("lead_id", "=", east_lead.id)]))
        at_new = [
            ("stage_id", "=", self.stages[0].id),
            ("lead_id", "in", (self.leads | east_lead).ids),
        ]
        # L1-L6 of North and L7 of South reached New in the main company
        self.assertEqual(main_only._read_group(at_new, [], ["reached:sum"]), [(7,)])
        both = report.with_context(allowed_company_ids=(self.env.company | self.company_2).ids)
        self.assertEqual(both.search([("lead_id", "=", east_lead.id)]).team_id, east)
        self.assertEqual(both._read_group(at_new, [], ["reached:sum"]), [(8,)])

    @users("sdo_farmer")
    def test_salesperson_reads_only_their_team_funnel(self):
        rows = self.env["sales.funnel.report"].search([("lead_id", "in", self.leads.ids)])
        self.assertEqual(rows.team_id, self.team_north)
        self.assertEqual(len(rows), 6 + 4 + 3 + 2 + 2)

    @users("sdo_hunter")
    def test_salesperson_opens_only_the_leads_they_read(self):
        """The bar counts the team; the leads it opens are those the
        salesperson reads: the hunter's own L4 (lost), L5 and L6 at New, L5
        at Qualified; never L7 of South."""
        new, qualified = self.stages[:2]
        self.assertEqual(self._opened([("stage_id", "=", new.id)]), ["L4", "L5", "L6"])
        self.assertEqual(self._opened([("stage_id", "=", qualified.id)]), ["L5"])
