"""A regulated pipeline for team North, on top of the sales department world.

Stages of team North (sequence 101-105, after crm's test stages):
    new  → qualified → proposal → negotiation → won
- new: no forward skip;
- qualified: needs phone and expected revenue to enter; a meeting must be
  done before leaving; no forward skip; moving back allowed;
- proposal: needs a customer to enter; no moving back; 10 days at most;
- negotiation: needs an expected closing date to enter;
- won: needs a customer to enter.
Team North runs the mandatory task rule in "off" mode unless a test says
otherwise, so each stage rule can be tested alone.
"""

from odoo import fields

from odoo.addons.sales_dept_org.tests.common import SalesDeptCommon


class SalesStageCommon(SalesDeptCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_north.sales_task_mode = "off"
        lead_fields = cls.env["ir.model.fields"].search([("model", "=", "crm.lead")])
        cls.lead_field = {field.name: field for field in lead_fields}
        cls.meeting_type = cls.env.ref("mail.mail_activity_data_meeting")
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")
        cls.todo_type = cls.env.ref("mail.mail_activity_data_todo")
        Stage = cls.env["crm.stage"]
        common = {"team_id": cls.team_north.id}
        cls.stage_new = Stage.create(
            dict(common, name="N-New", sequence=101, sales_allow_skip=False)
        )
        cls.stage_qualified = Stage.create(
            dict(
                common,
                name="N-Qualified",
                sequence=102,
                sales_allow_skip=False,
                sales_required_field_ids=[
                    fields.Command.set(
                        (cls.lead_field["phone"] + cls.lead_field["expected_revenue"]).ids
                    )
                ],
                sales_required_activity_type_ids=[fields.Command.set(cls.meeting_type.ids)],
            )
        )
        cls.stage_proposal = Stage.create(
            dict(
                common,
                name="N-Proposal",
                sequence=103,
                sales_allow_back=False,
                sales_max_days=10,
                sales_required_field_ids=[fields.Command.set(cls.lead_field["partner_id"].ids)],
            )
        )
        cls.stage_negotiation = Stage.create(
            dict(
                common,
                name="N-Negotiation",
                sequence=104,
                sales_required_field_ids=[fields.Command.set(cls.lead_field["date_deadline"].ids)],
            )
        )
        cls.stage_won = Stage.create(
            dict(
                common,
                name="N-Won",
                sequence=105,
                is_won=True,
                sales_required_field_ids=[fields.Command.set(cls.lead_field["partner_id"].ids)],
            )
        )
        cls.customer = cls.env["res.partner"].create({"name": "Instal-Bud", "is_company": True})

    @classmethod
    def _north_leads(cls, count, stage, **values):
        """``count`` opportunities of team North owned by the hunter, in ``stage``."""
        leads = (
            cls.env["crm.lead"]
            .with_context(sales_stage_rules_off=True)
            .create(
                [
                    dict(
                        {
                            "name": f"Lead {index}",
                            "type": "opportunity",
                            "team_id": cls.team_north.id,
                            "user_id": cls.user_hunter.id,
                            "stage_id": stage.id,
                        },
                        **values,
                    )
                    for index in range(count)
                ]
            )
        )
        return leads.with_env(cls.env)

    def _mark_done(self, leads, activity_type):
        """Schedules and completes one activity of ``activity_type`` on each lead."""
        model_id = self.env["ir.model"]._get_id("crm.lead")
        activities = self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "activity_type_id": activity_type.id,
                    "user_id": lead.user_id.id,
                }
                for lead in leads
            ]
        )
        activities.action_feedback(feedback="done")

    def _plan(self, leads, activity_type=None, deadline=None):
        model_id = self.env["ir.model"]._get_id("crm.lead")
        return self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "activity_type_id": (activity_type or self.call_type).id,
                    "user_id": lead.user_id.id,
                    "date_deadline": deadline or fields.Date.today(),
                }
                for lead in leads
            ]
        )
