from odoo import fields, models


class SalesBonusSheetReopen(models.TransientModel):
    _name = "sales.bonus.sheet.reopen"
    _description = "Reopen a Confirmed Bonus Sheet"

    sheet_id = fields.Many2one("sales.bonus.sheet", required=True, ondelete="cascade")
    reason = fields.Text(required=True, help="Written in the sheet's chatter.")

    def action_reopen(self):
        self.ensure_one()
        self.sheet_id.with_context(bonus_sheet_reopen_reason=self.reason).write({"state": "draft"})
        return {"type": "ir.actions.act_window_close"}
