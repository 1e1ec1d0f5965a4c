"""The funnel chart and the department set-up, done in a real browser
(headless Chromium) by a sales director working in Polish, not an admin."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user


@tagged("post_install", "-at_install")
class TestFirstHourTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "crm", "sales_team", "sales_dept_org"], ["pl_PL"]
        )
        cls.director = new_test_user(
            cls.env,
            login="sdo_tour_director",
            name="Dorota Dyrektor",
            groups="sales_dept_org.group_sales_dept_director",
            lang="pl_PL",
            tz="Europe/Warsaw",
        )

    def _tour(self, tour):
        self.authenticate(self.director.login, self.director.login)
        self.url_open("/odoo/crm", timeout=120)
        self.start_tour("/odoo/crm", tour, login=self.director.login)

    def test_funnel_chart(self):
        """4 leads of a new team: all reached New, 2 Qualified (50%), 1 the
        proposal (50%); one lead's customer bought before (existing)."""
        ref = self.env.ref
        new, qualified, proposition = (
            ref("crm.stage_lead1"), ref("crm.stage_lead2"), ref("crm.stage_lead3")
        )  # fmt: skip
        team = self.env["crm.team"].create({"name": "Lejek"})
        buyer = self.env["res.partner"].create({"name": "Stały klient"})
        order = self.env["sale.order"].create({"partner_id": buyer.id})
        order.action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=1)
        leads = self.env["crm.lead"].create(
            [
                {"name": f"L{n}", "type": "opportunity", "team_id": team.id,
                 "stage_id": new.id, "partner_id": partner.id}
                for n, partner in enumerate([buyer] + [self.env["res.partner"]] * 3)
            ]
        )  # fmt: skip
        self.env["sales.lead.stage.log"].sudo().create(
            [
                {"lead_id": lead.id, "stage_id": stage.id, "date_in": fields.Datetime.now(),
                 "team_id": team.id}
                for lead, stages in zip(
                    leads, [[qualified, proposition], [qualified], [], []], strict=True
                )
                for stage in stages
            ]
        )  # fmt: skip
        self._tour("sales_funnel_chart_tour")

    def test_setup_wizard(self):
        self._tour("sales_setup_wizard_tour")
        team = self.env["crm.team"].search([("name", "=", "Zespół Północ")])
        self.assertEqual(team.user_id.name, "Ewa Nowak")
        self.assertEqual(
            sorted(team.crm_team_member_ids.mapped(lambda m: (m.user_id.name, m.sales_role))),
            [("Marek Lis", "hunter"), ("Ola Wrona", "closer")],
        )
        plan = self.env["sales.kpi.plan"].search([("team_id", "=", team.id)])
        self.assertEqual(len(plan.line_ids), 4)
