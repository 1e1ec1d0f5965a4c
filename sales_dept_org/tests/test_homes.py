"""Each person opens on the home of their role, and the pipeline shows a head
the teams they lead."""

from odoo.tests import tagged

from .common import SalesDeptCommon


@tagged("post_install", "-at_install")
class TestHomes(SalesDeptCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # homes as res.users.action_id holds them
        actions = cls.env["ir.actions.actions"]
        cls.board = actions.browse(cls.env.ref("sales_dept_org.sales_kpi_board_action").id)
        cls.pipeline = actions.browse(cls.env.ref("crm.action_your_pipeline").id)
        cls.sheets = actions.browse(cls.env.ref("sales_dept_org.sales_bonus_sheet_action").id)

    def test_each_role_opens_on_its_home(self):
        self.assertEqual(self.user_director.action_id, self.board)
        self.assertEqual(
            (self.user_head + self.user_hunter + self.user_closer).mapped("action_id"),
            self.pipeline,
        )
        self.assertEqual(self.user_accountant.action_id, self.sheets)
        # a salesperson made a head keeps the pipeline; made an accountant only,
        # the bonus sheets
        self.user_closer.groups_id = [(4, self.group_head.id)]
        self.assertEqual(self.user_closer.action_id, self.pipeline)
        self.user_farmer.groups_id = [(3, self.group_salesperson.id)]
        self.user_farmer.groups_id = [(3, self.env.ref("sales_team.group_sale_salesman").id)]
        self.user_farmer.groups_id = [(4, self.group_accountant.id)]
        self.assertEqual(self.user_farmer.action_id, self.sheets)

    def test_a_home_chosen_by_an_administrator_is_kept(self):
        discuss = self.env.ref("mail.action_discuss")
        self.user_hunter.action_id = discuss.id
        self.user_hunter.groups_id = [(4, self.group_director.id)]
        self.assertEqual(self.user_hunter.action_id.id, discuss.id)

    def test_odoos_administrators_keep_their_home(self):
        admin = self.env.ref("base.user_admin")
        admin.action_id = False
        admin.groups_id = [(4, self.group_director.id)]
        self.assertFalse(admin.action_id)

    def test_an_employee_given_a_role_opens_on_the_pipeline(self):
        user = self.env["res.users"].create(
            {
                "name": "Olga Plain",
                "login": "sdo_plain",
                "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        self.assertFalse(user.action_id)
        employee = self.env["hr.employee"].create({"name": "Olga Plain", "user_id": user.id})
        self.assertFalse(user.action_id)
        employee.sales_role = "hunter"
        self.assertEqual(user.action_id, self.pipeline)

    def _pipeline_context(self, user):
        return self.env["crm.team"].with_user(user).action_your_pipeline()

    def test_pipeline_shows_a_head_the_teams_they_lead(self):
        action = self._pipeline_context(self.user_head)
        context = action["context"]
        self.assertEqual(context.get("search_default_sales_my_teams"), 1)
        self.assertNotIn("search_default_assigned_to_me", context)
        self.assertEqual(context["default_team_id"], self.team_north.id)
        self.assertNotIn("member of no Sales Team", action.get("help") or "")
        # the filter finds the leads of the teams led, whoever owns them
        lead = self.env["crm.lead"].create(
            {
                "name": "Of the team",
                "type": "opportunity",
                "team_id": self.team_north.id,
                "user_id": self.user_hunter.id,
            }
        )
        found = (
            self.env["crm.lead"]
            .with_user(self.user_head)
            .search([("team_id.user_id", "=", self.user_head.id)])
        )
        self.assertIn(lead, found)

    def test_pipeline_of_the_director_and_of_a_salesperson(self):
        director = self._pipeline_context(self.user_director)["context"]
        self.assertNotIn("search_default_assigned_to_me", director)
        self.assertNotIn("search_default_sales_my_teams", director)
        hunter = self._pipeline_context(self.user_hunter)["context"]
        self.assertEqual(hunter.get("search_default_assigned_to_me"), 1)
        self.assertNotIn("search_default_sales_my_teams", hunter)
        self.assertEqual(hunter["default_team_id"], self.team_north.id)
