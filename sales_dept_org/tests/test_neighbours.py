from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestRowsMadeWithoutTheAddon(TransactionCase):
    """Rows written by code that does not know the addon (a lower module's
    data or at-install tests during its update, before this addon's Python is
    loaded) get the values the ORM would have given them."""

    def _insert(self, model, values):
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) VALUES %s RETURNING id",
                SQL.identifier(self.env[model]._table),
                SQL(", ").join(SQL.identifier(name) for name in values),
                tuple(values.values()),
            )
        )
        return self.env[model].browse(self.env.cr.fetchone()[0])

    def test_company(self):
        company = self.env.company
        new = self._insert(
            "res.company",
            {
                "name": "Made by base",
                "partner_id": company.partner_id.id,
                "currency_id": company.currency_id.id,
                "layout_background": "Blank",
                "fiscalyear_last_day": 31,
                "fiscalyear_last_month": "12",
                "account_price_include": "tax_excluded",
                "account_opening_date": "2026-01-01",
            },
        )
        self.assertEqual(new.sales_span_mode, "refuse")
        self.assertEqual(new.sales_span_limit, 7)
        self.assertEqual(
            (
                new.sales_digest_morning,
                new.sales_digest_checkin_1,
                new.sales_digest_checkin_2,
                new.sales_digest_checkin_3,
            ),
            (8.5, 11.0, 14.0, 16.0),
        )
        self.assertEqual((new.abcxyz_a_limit, new.abcxyz_window_months), (80.0, 12))

    def test_team(self):
        alias = self.env.ref("sales_team.team_sales_department").alias_id
        team = self._insert("crm.team", {"name": '{"en_US": "Made by crm"}', "alias_id": alias.id})
        self.assertEqual(team.sales_structure, "universal")
        self.assertEqual(team.sales_task_mode, "warn")

    def test_stage(self):
        stage = self._insert("crm.stage", {"name": '{"en_US": "Made by crm"}'})
        self.assertTrue(stage.sales_allow_skip)
        self.assertTrue(stage.sales_allow_back)


@tagged("post_install", "-at_install")
class TestCrmUserOutsideTheDepartment(TransactionCase):
    """A salesperson of Odoo's CRM who holds none of the department's groups
    (crm's own tours log in as one) opens a lead's form as before."""

    def test_opens_the_lead_form(self):
        user = self.env["res.users"].create(
            {
                "name": "CRM only",
                "login": "crm_only",
                "groups_id": [(6, 0, self.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        lead = self.env["crm.lead"].create(
            {"name": "Walk-in", "type": "opportunity", "user_id": user.id}
        )
        Lead = self.env["crm.lead"].with_user(user)
        fields = Lead.get_views([(False, "form")])["models"]["crm.lead"]["fields"]
        self.assertNotIn("sales_stage_log_ids", fields)
        # what the web client reads to show the form: no access error
        values = lead.with_user(user).web_read({name: {} for name in fields})
        self.assertEqual(values[0]["name"], "Walk-in")
