from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import users
from odoo.tools.safe_eval import safe_eval

from odoo.addons.sales_dept_org.models.crm_lead_stage_rules import FIX_KEY, FIX_VIEW
from odoo.addons.sales_dept_org.tests.stage_common import SalesStageCommon


class TestStageFix(SalesStageCommon):
    """The "fix it" step of a refused move, server side: what the web client
    is told, the dialog's form and its buttons."""

    def _fix(self, lead, stage):
        return lead.with_context(sales_fix_stage_id=stage.id)

    @users("sdo_hunter")
    def test_refusal_names_the_lead_and_stage_for_the_web_client(self):
        leads = self._north_leads(2, self.stage_new).with_user(self.env.user)
        with self.assertRaises(UserError) as refused:
            leads[0].write({"stage_id": self.stage_qualified.id})
        self.assertEqual(
            refused.exception.context,
            {FIX_KEY: {"lead_id": leads[0].id, "stage_id": self.stage_qualified.id}},
        )
        # several leads refused at once (a mass edit): the message alone
        with self.assertRaises(UserError) as refused:
            leads.write({"stage_id": self.stage_qualified.id})
        self.assertEqual(getattr(refused.exception, "context", {}), {})

    @users("sdo_hunter")
    def test_dialog_form_shows_the_stage_entry_fields(self):
        """The web client reads the dialog's form without the action's
        context (only ``lang`` and ``*_view_ref`` keys reach ``get_views``):
        the form holds every stage's entry fields and the lead, read with the
        dialog's stage, says which of them show."""
        view = self.env.ref(FIX_VIEW)
        arch = self.env["crm.lead"].get_views([(view.id, "form")])["views"]["form"]["arch"]
        [group] = etree.fromstring(arch).xpath("//group[@name='sales_fix_fields']")
        lead = self._north_leads(1, self.stage_new).with_user(self.env.user)
        for stage, shown in (
            (self.stage_qualified, {"phone", "expected_revenue"}),
            (self.stage_proposal, {"partner_id"}),
        ):
            names = self._fix(lead, stage).sales_fix_field_names
            visible = {
                field.get("name")
                for field in group.iterchildren("field")
                if not safe_eval(field.get("invisible"), {"sales_fix_field_names": names})
            }
            self.assertEqual(visible, shown)
        self.assertFalse(lead.sales_fix_field_names)  # not opened from a refused move

    def test_a_new_entry_field_reaches_the_dialog_form(self):
        view = self.env.ref(FIX_VIEW)
        Lead = self.env["crm.lead"]
        self.assertNotIn(
            'name="mobile"', Lead.get_views([(view.id, "form")])["views"]["form"]["arch"]
        )
        mobile = self.env["ir.model.fields"]._get("crm.lead", "mobile")
        self.stage_proposal.sales_required_field_ids = [Command.link(mobile.id)]
        self.assertIn('name="mobile"', Lead.get_views([(view.id, "form")])["views"]["form"]["arch"])

    @users("sdo_hunter")
    def test_fill_in_mark_done_and_move(self):
        lead = self._north_leads(1, self.stage_qualified, phone="+48 1", expected_revenue=10)
        lead = self._fix(lead.with_user(self.env.user), self.stage_proposal)
        self.assertEqual(lead.sales_fix_stage_id, self.stage_proposal)
        self.assertIn("N-Proposal needs Customer", lead.sales_fix_problems)
        self.assertIn("not done before leaving N-Qualified: Meeting", lead.sales_fix_problems)
        self.assertTrue(lead.sales_fix_undone)
        self.assertFalse(lead.sales_fix_override_only)
        # no meeting was planned: planned, then done; the dialog stays open
        self.assertEqual(
            lead.action_sales_fix_done(), lead.action_sales_stage_fix(self.stage_proposal.id)
        )
        self.assertFalse(lead.activity_ids)
        lead.invalidate_recordset()
        self.assertNotIn("Meeting", lead.sales_fix_problems)
        self.assertFalse(lead.sales_fix_undone)
        lead.partner_id = self.customer
        lead.invalidate_recordset()
        self.assertFalse(lead.sales_fix_problems)
        self.assertEqual(lead.action_sales_fix_move(), {"type": "ir.actions.act_window_close"})
        self.assertEqual(lead.stage_id, self.stage_proposal)

    def test_plan_the_next_step(self):
        self.team_north.sales_task_mode = "enforce"
        lead = self._north_leads(1, self.stage_new)
        lead.activity_ids.unlink()
        lead = self._fix(lead, self.stage_qualified)
        self.assertIn("no planned activity", lead.sales_fix_problems)
        self.assertTrue(lead.sales_fix_activity)
        self.assertFalse(lead.sales_fix_undone)
        again = lead.action_sales_fix_plan()
        self.assertEqual(
            (again["res_id"], again["target"], again["context"]),
            (lead.id, "new", {"sales_fix_stage_id": self.stage_qualified.id}),
        )
        self.assertEqual(lead.activity_ids.activity_type_id, self.todo_type)
        self.assertEqual(lead.activity_ids.user_id, self.user_hunter)
        lead.action_sales_fix_plan()  # planned already: nothing more
        self.assertEqual(len(lead.activity_ids), 1)
        lead.invalidate_recordset()
        self.assertNotIn("no planned activity", lead.sales_fix_problems)

    @users("sdo_hunter")
    def test_ask_the_head_to_override(self):
        lead = self._north_leads(1, self.stage_proposal, partner_id=self.customer.id)
        lead = self._fix(lead.with_user(self.env.user), self.stage_new)
        self.assertTrue(lead.sales_fix_override_only)
        self.assertIn("moving back from N-Proposal is not allowed", lead.sales_fix_problems)
        action = lead.action_sales_fix_request_override()
        self.assertEqual(action["params"]["next"], {"type": "ir.actions.act_window_close"})
        request = lead.sudo().activity_ids.filtered(
            lambda activity: activity.user_id == self.user_head
        )
        self.assertEqual(request.summary, "Override requested: move to N-New")
        self.assertIn("moving back from N-Proposal is not allowed", request.note)
        self.assertEqual(lead.stage_id, self.stage_proposal, "nothing moved")

    def test_dialog_refuses_a_missing_stage(self):
        lead = self._north_leads(1, self.stage_new)
        with self.assertRaises(UserError):
            lead.action_sales_stage_fix(0)
        with self.assertRaises(UserError):
            lead.action_sales_fix_move()  # not opened from a refused move

    def test_stage_rules_in_a_few_lines(self):
        self.assertEqual(
            self.stage_qualified.sales_requirements,
            "To enter: Expected Revenue, Phone\n"
            "Done before leaving: Meeting\n"
            "No skipping the next stages",
        )
        self.assertEqual(
            self.stage_proposal.sales_requirements,
            "To enter: Customer\nNo moving back\nStuck after 10 days",
        )
        self.assertFalse(self.env["crm.stage"].create({"name": "Free"}).sales_requirements)
