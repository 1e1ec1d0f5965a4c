from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sales_bonus_line import LOCKED_STATES


class SalesBonusInstant(models.Model):
    """An instant ("Swedish") bonus: granted by a head on the day, paid with the month."""

    _name = "sales.bonus.instant"
    _description = "Instant Bonus"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _rec_name = "reason"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    employee_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        domain="[('sales_role', '!=', False), ('company_id', '=', company_id)]",
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True, string="Salesperson")
    team_id = fields.Many2one(
        "crm.team", compute="_compute_team_id", store=True, precompute=True, index=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    amount = fields.Monetary(required=True, tracking=True)
    reason = fields.Char(required=True, tracking=True)
    granted_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True, required=True
    )

    @api.depends("employee_id", "company_id")
    def _compute_team_id(self):
        for company, bonuses in self.grouped("company_id").items():
            teams = bonuses.employee_id.user_id._sales_team_by_user(company)
            for bonus in bonuses:
                bonus.team_id = teams.get(bonus.employee_id.user_id.id, False)

    @api.constrains("amount", "reason")
    def _check_amount_reason(self):
        problems = [
            self.env._(
                "%(person)s, %(date)s: an instant bonus must be positive.",
                person=bonus.employee_id.name,
                date=bonus.date,
            )
            for bonus in self
            if bonus.amount <= 0
        ] + [
            self.env._(
                "%(person)s, %(date)s: say why the bonus is granted.",
                person=bonus.employee_id.name,
                date=bonus.date,
            )
            for bonus in self
            if not (bonus.reason or "").strip()
        ]
        if problems:
            raise ValidationError("\n".join(problems))

    @api.model_create_multi
    def create(self, vals_list):
        bonuses = super().create(vals_list)
        bonuses._check_month_open()
        return bonuses

    def write(self, vals):
        self._check_month_open()
        result = super().write(vals)
        self._check_month_open()
        return result

    def unlink(self):
        self._check_month_open()
        return super().unlink()

    def _check_month_open(self):
        """A bonus in a confirmed month would change a locked sheet: refused."""
        if not self:
            return
        months = {bonus.date.replace(day=1) for bonus in self}
        locked = (
            self.env["sales.bonus.sheet"]
            .sudo()
            .search(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("date_from", "in", list(months)),
                    ("state", "in", LOCKED_STATES),
                ]
            )
        )
        closed = {(sheet.company_id, sheet.date_from) for sheet in locked}
        refused = self.filtered(
            lambda bonus: (bonus.company_id, bonus.date.replace(day=1)) in closed
        )
        if refused:
            raise UserError(
                self.env._(
                    "The bonus sheet of these months is confirmed: %s. Grant the bonus on "
                    "a day of an open month.",
                    ", ".join(
                        sorted({f"{bonus.employee_id.name} {bonus.date}" for bonus in refused})
                    ),
                )
            )
