"""The 18.0.1.0.3 post-script repairs what earlier versions stored wrong or
late, on the data rolled back after each test."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .handoff_common import HandoffCommon
from .test_migrations import _script


@tagged("post_install", "-at_install")
class TestMigrationRepairs(HandoffCommon):
    def _migrate(self):
        self.env.invalidate_all()
        _script("18.0.1.0.3", "post-migrate.py").migrate(self.env.cr, "18.0.1.0.2")
        self.env.invalidate_all()

    def test_roles_hunters_stuck_leads_and_homes_repaired(self):
        members = self.team_north.crm_team_member_ids
        sourced, handed_on = self._leads(self.team_north, self.user_hunter, 2)
        handed_on.stage_id = self.stage_proposal
        closers_own = self._leads(self.team_north, self.user_closer, 1, stage=self.stage_proposal)
        self.stage_proposal.sales_max_days = 5
        self.env.flush_all()
        cr = self.env.cr
        # what 18.0.1.0.2 left: no member roles, no hunters, no flags, no homes
        cr.execute(
            SQL("UPDATE crm_team_member SET sales_role = NULL WHERE id IN %s", tuple(members.ids))
        )
        cr.execute(
            SQL("UPDATE crm_lead SET hunter_user_id = NULL WHERE team_id = %s", self.team_north.id)
        )
        cr.execute(
            SQL(
                "UPDATE crm_lead SET date_last_stage_update = %s WHERE id IN %s",
                fields.Datetime.now() - timedelta(days=6),
                tuple((handed_on + closers_own).ids),
            )
        )
        cr.execute(SQL("UPDATE res_users SET action_id = NULL WHERE id = %s", self.user_hunter.id))
        self._migrate()
        self.assertEqual(
            {member.user_id: member.sales_role for member in members},
            {self.user_hunter: "hunter", self.user_closer: "closer", self.user_farmer: "farmer"},
        )
        # the stage log knows who sourced the first two; the closer's own lead
        # never had a hunter
        self.assertEqual(
            [lead.hunter_user_id for lead in sourced + handed_on + closers_own],
            [self.user_hunter, self.user_hunter, self.env["res.users"]],
        )
        self.assertEqual(
            [lead.is_stuck for lead in sourced + handed_on + closers_own], [False, True, True]
        )
        self.assertEqual(self.user_hunter.action_id.id, self.env.ref("crm.action_your_pipeline").id)
