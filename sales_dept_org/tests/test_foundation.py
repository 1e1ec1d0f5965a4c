from odoo.tests import tagged, users

from .common import SalesDeptCommon


@tagged("post_install", "-at_install")
class TestFoundation(SalesDeptCommon):
    def test_group_ladder(self):
        """Each rung implies the one below; the accountant stands apart."""
        self.assertTrue(self.user_head.has_group("sales_dept_org.group_sales_dept_salesperson"))
        self.assertTrue(self.user_director.has_group("sales_dept_org.group_sales_dept_head"))
        self.assertTrue(self.user_director.has_group("sales_team.group_sale_salesman_all_leads"))
        self.assertFalse(self.user_hunter.has_group("sales_dept_org.group_sales_dept_head"))
        self.assertFalse(
            self.user_accountant.has_group("sales_dept_org.group_sales_dept_salesperson")
        )
        self.assertTrue(
            self.env.ref("base.user_admin").has_group("sales_dept_org.group_sales_dept_admin")
        )

    @users("sdo_hunter")
    def test_colleague_role_readable_without_hr_rights(self):
        """A salesperson reads a colleague's role through hr.employee.public."""
        public = self.env["hr.employee.public"].browse(self.employee_closer.id)
        self.assertEqual(public.sales_role, "closer")

    def test_manifest_only_community_dependencies(self):
        module = self.env["ir.module.module"].search([("name", "=", "sales_dept_org")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.license, "LGPL-3")
        # the database is at the version the code declares (an 18.0 series)
        self.assertEqual(module.latest_version, module.installed_version)
        self.assertTrue(module.installed_version.startswith("18.0."))
        self.assertEqual(
            set(module.dependencies_id.mapped("name")), {"crm", "sale_crm", "hr", "mail"}
        )

    def test_head_reads_the_leads_of_their_team_only(self):
        Lead = self.env["crm.lead"]
        team_lead = Lead.create(
            {"name": "North deal", "team_id": self.team_north.id, "user_id": self.user_closer.id}
        )
        other_lead = Lead.create(
            {
                "name": "Other team deal",
                "team_id": self.sales_team_1.id,
                "user_id": self.user_sales_leads.id,
            }
        )
        visible = Lead.with_user(self.user_head).search(
            [("id", "in", (team_lead + other_lead).ids)]
        )
        self.assertEqual(visible, team_lead)
        # a salesperson of the team still sees only their own leads
        visible = Lead.with_user(self.user_hunter).search([("id", "in", team_lead.ids)])
        self.assertFalse(visible)
