from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesBonusSheetConfirm(models.TransientModel):
    """Confirming a sheet whose lines pay more than the company's share of
    target pay: the head gives a reason, written in the sheet's chatter."""

    _name = "sales.bonus.sheet.confirm"
    _description = "Confirm a Bonus Sheet with Extreme Payouts"

    sheet_ids = fields.Many2many("sales.bonus.sheet", required=True)
    line_ids = fields.Many2many(
        "sales.bonus.line", compute="_compute_line_ids", string="Extreme payouts"
    )
    reason = fields.Text(required=True, help="Written in the sheet's chatter.")

    @api.depends("sheet_ids")
    def _compute_line_ids(self):
        for wizard in self:
            wizard.line_ids = wizard.sheet_ids.line_ids.filtered("payout_flagged")

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Confirming extreme payouts needs a reason."))
        self.sheet_ids.with_context(bonus_sheet_confirm_reason=self.reason).action_confirm()
        return {"type": "ir.actions.act_window_close"}
