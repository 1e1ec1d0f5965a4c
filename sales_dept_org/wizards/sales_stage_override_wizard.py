from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.crm_lead import OVERRIDE_REASON_KEY


class SalesStageOverrideWizard(models.TransientModel):
    """A team head moves leads against the stage rules, giving the reason."""

    _name = "sales.stage.override.wizard"
    _description = "Override Stage Rules"

    lead_ids = fields.Many2many("crm.lead", string="Leads", required=True)
    stage_id = fields.Many2one("crm.stage", "Move To", required=True)
    reason = fields.Text(required=True, help="Logged on each lead and in the stage log.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "crm.lead" and "lead_ids" in fields_list:
            values["lead_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return values

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_dept_org.group_sales_dept_head"):
            raise AccessError(self.env._("Only a team head may override the stage rules."))
        self.lead_ids.with_context(**{OVERRIDE_REASON_KEY: self.reason}).write(
            {"stage_id": self.stage_id.id}
        )
        return {"type": "ir.actions.act_window_close"}
