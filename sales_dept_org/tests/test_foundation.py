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
        self.assertEqual(module.installed_version, "18.0.1.0.0")
        self.assertEqual(
            set(module.dependencies_id.mapped("name")), {"crm", "sale_crm", "hr", "mail"}
        )
