"""Leads created the way RPC, imports and the mail gateway create them: with
no owner named. They are routed as the rules say, not kept by the caller."""

from odoo.tests import tagged

from .handoff_common import HandoffCommon


@tagged("post_install", "-at_install")
class TestRpcCreate(HandoffCommon):
    def _rpc_create(self, user, **values):
        """``create`` as ``user`` calls it over RPC: no context, no owner."""
        rpc_env = self.env(user=user, context={})
        return (
            rpc_env["crm.lead"]
            .create(dict({"name": "From the API", "type": "opportunity"}, **values))
            .sudo()
        )

    def test_lead_without_owner_goes_to_the_teams_hunter_with_a_first_task(self):
        """Tomasz, a closer of North, enters a lead with no owner: the team's
        first stage is the hunters', Jan gets it and its first call."""
        self.team_north.sales_task_mode = "warn"
        lead = self._rpc_create(
            self.user_closer, team_id=self.team_north.id, stage_id=self.stage_qualify.id
        )
        self.assertEqual(lead.user_id, self.user_hunter)
        self.assertEqual(lead.hunter_user_id, self.user_hunter)
        self.assertEqual(lead.activity_ids.user_id, self.user_hunter)
        # no team named: the creator's team
        lead = self._rpc_create(self.user_closer, stage_id=self.stage_qualify.id)
        self.assertEqual((lead.team_id, lead.user_id), (self.team_north, self.user_hunter))

    def test_an_owner_named_is_kept(self):
        lead = self._rpc_create(
            self.user_closer,
            team_id=self.team_north.id,
            stage_id=self.stage_proposal.id,
            user_id=self.user_closer.id,
        )
        self.assertEqual(lead.user_id, self.user_closer)

    def test_repeat_opportunity_of_a_won_customer_goes_to_the_farmer(self):
        self.customer.user_id = self.user_farmer
        lead = self._rpc_create(
            self.user_closer,
            team_id=self.team_north.id,
            stage_id=self.stage_qualify.id,
            partner_id=self.customer_contact.id,
        )
        self.assertEqual(lead.user_id, self.user_farmer)

    def test_web_client_quick_create_keeps_the_creator(self):
        """The kanban's quick create names no owner, but the user creating in
        their own pipeline keeps the lead."""
        [row] = (
            self.env["crm.lead"]
            .with_user(self.user_closer)
            .web_save(
                {
                    "name": "Quick",
                    "type": "opportunity",
                    "team_id": self.team_north.id,
                    "stage_id": self.stage_qualify.id,
                },
                {"user_id": {}},
            )
        )
        self.assertEqual(row["user_id"], self.user_closer.id)

    def test_lead_explicitly_without_owner_waits_for_odoos_assignment(self):
        """A caller that says "no owner" (Odoo's lead assignment queue, an
        import with the owner left empty) gets no team from the addon when no
        cut matches: Odoo's rule-based assignment then hands it to a team
        member, as without the addon."""
        lead = self._rpc_create(self.user_closer, user_id=False, type="lead")
        self.assertFalse(lead.team_id)
        self.assertFalse(lead.user_id)
        self.team_north.assignment_domain = f"[('id', '=', {lead.id})]"
        self.team_north.crm_team_member_ids.assignment_max = 30
        self.team_north._action_assign_leads(force_quota=True)
        self.assertEqual(lead.team_id, self.team_north)
        self.assertTrue(lead.user_id)
