"""A move that hands the lead on, saved the way the web client saves it:
``web_save`` (the write, then a read of the record in the same call), from
the form's status bar or a card dropped in another kanban column."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .handoff_common import HandoffCommon

# What the form asks back after a save (a part of it, x2many included).
FORM_SPEC = {
    "name": {},
    "stage_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "hunter_user_id": {"fields": {"display_name": {}}},
    "activity_ids": {"fields": {"summary": {}}},
}
TO_CLOSER = "stage Proposal is worked by closers"


@tagged("post_install", "-at_install")
class TestHandoffNotice(HandoffCommon):
    def _notice(self, message, leave=True, gone=False):
        return {"title": "Handed off", "message": message, "leave": leave, "gone": gone}

    def test_hunter_saves_the_move_and_reads_what_he_sourced(self):
        lead = self._leads(self.team_north, self.user_hunter, 1)
        [row] = lead.with_user(self.user_hunter).web_save(
            {"stage_id": self.stage_proposal.id}, FORM_SPEC
        )
        self.assertEqual(lead.user_id, self.user_closer)
        self.assertEqual(
            row["user_id"], {"id": self.user_closer.id, "display_name": "Tomasz Closer"}
        )
        self.assertEqual(row["stage_id"]["id"], self.stage_proposal.id)
        self.assertEqual(
            row["sales_handoff"],
            self._notice(f"Lead North 0 now belongs to Tomasz Closer: {TO_CLOSER}."),
        )
        # he reads the lead he sourced, working it is the closer's
        hunter_lead = lead.with_user(self.user_hunter)
        self.assertEqual(hunter_lead.search([("id", "=", lead.id)]), lead)
        with self.assertRaises(AccessError):
            hunter_lead.write({"name": "Taken back"})
        with self.assertRaises(AccessError):
            hunter_lead.write({"stage_id": self.stage_qualify.id})

    def test_hunter_hands_off_a_stuck_lead(self):
        """A stuck lead is the one to move on: its hunter's move hands it
        to the closer, and the flag the move clears is cleared by the
        system, after the lead has left the hunter's hands."""
        lead = self._leads(self.team_north, self.user_hunter, 1)
        lead.is_stuck = True
        lead.with_user(self.user_hunter).write({"stage_id": self.stage_proposal.id})
        self.assertEqual(lead.user_id, self.user_closer)
        self.assertEqual(lead.stage_id, self.stage_proposal)
        self.assertFalse(lead.is_stuck)

    def test_a_lead_out_of_reach_is_answered_without_its_values(self):
        """Tomasz sends his lead back to the hunters' stage: Jan takes it and
        Tomasz may no longer read it. The save is not undone; the answer
        holds the notice only, and the won-message check finds nothing."""
        lead = self._leads(self.team_north, self.user_closer, 1, stage=self.stage_proposal)
        closer_lead = lead.with_user(self.user_closer)
        [row] = closer_lead.web_save({"stage_id": self.stage_qualify.id}, FORM_SPEC)
        self.assertEqual(lead.user_id, self.user_hunter)
        self.assertEqual(
            row,
            {
                "id": lead.id,
                "sales_handoff": self._notice(
                    "Lead North 0 now belongs to Jan Hunter: stage Qualify is worked by hunters.",
                    gone=True,
                ),
            },
        )
        self.assertFalse(closer_lead.get_rainbowman_message())

    def test_move_of_the_fix_it_dialog_tells_the_handoff(self):
        """Jan presses Move in the "fix it" dialog of a refused move: the lead
        goes to the closer and the dialog closes with the notice a save gets."""
        lead = self._leads(self.team_north, self.user_hunter, 1)
        action = (
            lead.with_user(self.user_hunter)
            .with_context(sales_fix_stage_id=self.stage_proposal.id)
            .action_sales_fix_move()
        )
        self.assertEqual(lead.user_id, self.user_closer)
        self.assertEqual(
            action,
            {
                "type": "ir.actions.act_window_close",
                "infos": {
                    "sales_handoff": self._notice(
                        f"Lead North 0 now belongs to Tomasz Closer: {TO_CLOSER}."
                    )
                },
            },
        )

    def test_head_is_told_and_stays_on_the_lead(self):
        lead = self._leads(self.team_north, self.user_hunter, 1)
        [row] = lead.with_user(self.user_head).web_save(
            {"stage_id": self.stage_proposal.id}, FORM_SPEC
        )
        self.assertEqual(row["user_id"]["id"], self.user_closer.id)
        self.assertEqual(
            row["sales_handoff"],
            self._notice(f"Lead North 0 now belongs to Tomasz Closer: {TO_CLOSER}.", leave=False),
        )

    def test_a_save_without_handoff_carries_no_notice(self):
        lead = self._leads(self.team_north, self.user_hunter, 1)
        [row] = lead.with_user(self.user_hunter).web_save({"name": "Renamed"}, FORM_SPEC)
        self.assertNotIn("sales_handoff", row)
        self.assertEqual(row["name"], "Renamed")
        # a universal member keeps the lead through the closers' stage
        solo = self._leads(self.team_solo, self.user_universal, 1)
        [row] = solo.with_user(self.user_universal).web_save(
            {"stage_id": self.stage_proposal.id}, FORM_SPEC
        )
        self.assertNotIn("sales_handoff", row)
        self.assertEqual(row["user_id"]["id"], self.user_universal.id)

    def test_new_lead_of_a_farmers_customer_goes_to_the_farmer(self):
        """Jan enters an opportunity in the form (naming himself) for a customer
        Agnieszka farms: it is hers, and Jan is told and returns to his pipeline."""
        self.customer.user_id = self.user_farmer
        [row] = (
            self.env["crm.lead"]
            .with_user(self.user_hunter)
            .web_save(
                {
                    "name": "More pumps",
                    "type": "opportunity",
                    "team_id": self.team_north.id,
                    "user_id": self.user_hunter.id,
                    "partner_id": self.customer.id,
                },
                FORM_SPEC,
            )
        )
        self.assertEqual(row["user_id"]["id"], self.user_farmer.id)
        self.assertEqual(row["hunter_user_id"]["id"], self.user_hunter.id)
        self.assertEqual(
            row["sales_handoff"],
            self._notice(
                "More pumps now belongs to Agnieszka Farmer: "
                "the customer's repeat sales are kept by their farmer."
            ),
        )
