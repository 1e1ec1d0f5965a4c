"""A team member's sales role, stored the way data files, RPC and crons store
it: by an environment that names no company in its context."""

from odoo.tests import tagged

from .common import SalesDeptCommon


@tagged("post_install", "-at_install")
class TestMemberRole(SalesDeptCommon):
    def test_role_stored_without_the_teams_company_in_context(self):
        """Nora works for Big Apple only; the call that stores her membership
        runs in the main company (no ``allowed_company_ids``): her employee is
        still found, the role is hers."""
        company, nora, team = self._new_york("sdo_nora")
        self.assertNotIn("allowed_company_ids", self.env.context)
        self.assertNotEqual(self.env.company, company)
        self.env["hr.employee"].create(
            {
                "name": "Nora York",
                "user_id": nora.id,
                "company_id": company.id,
                "sales_role": "closer",
            }
        )
        self.assertEqual(team.crm_team_member_ids.sales_role, "closer")
        # a membership created over RPC, in a team of her company
        brooklyn = self.env["crm.team"].create({"name": "Brooklyn", "company_id": company.id})
        member = self.env["crm.team.member"].create(
            {"crm_team_id": brooklyn.id, "user_id": nora.id}
        )
        member.invalidate_recordset(["sales_role"])
        self.assertEqual(member.sales_role, "closer")

    def test_role_of_the_teams_company(self):
        """Two employees of one person: each team reads the one of its company;
        a team without a company the one of their own company."""
        company, nora, team = self._new_york("sdo_nora")
        nora.company_ids |= self.env.company
        self.env["hr.employee"].create(
            [
                {
                    "name": "Nora",
                    "user_id": nora.id,
                    "company_id": company.id,
                    "sales_role": "farmer",
                },
                {
                    "name": "Nora",
                    "user_id": nora.id,
                    "company_id": self.env.company.id,
                    "sales_role": "hunter",
                },
            ]
        )
        self.assertEqual(team.crm_team_member_ids.sales_role, "farmer")
        # a team without a company: the role in the person's own company
        nora.company_id = self.env.company
        self.assertFalse(self.team_north.company_id)
        self.team_north.member_ids |= nora
        north_member = self.team_north.crm_team_member_ids.filtered(lambda m: m.user_id == nora)
        self.assertEqual(north_member.sales_role, "hunter")
