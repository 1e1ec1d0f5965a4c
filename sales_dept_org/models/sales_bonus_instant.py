from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .sales_bonus_line import LOCKED_STATES

# Fields that decide who may see and change a bonus, and where it stands in
# its approval and payment: set by the system only (the team from the
# employee, the granter from who grants, the rest by the buttons).
GRANT_FIELDS = (
    "team_id",
    "granted_by_id",
    "state",
    "approved_by_id",
    "approved_date",
    "paid_by_id",
    "paid_date",
)
# What an approved bonus keeps as it was approved.
APPROVED_FIELDS = {"company_id", "employee_id", "date", "amount", "reason"}


class SalesBonusInstant(models.Model):
    """An instant ("Swedish") bonus: granted by a head on the day, approved by a
    head of the employee's team or the director, and paid the same day by the
    accountant (draft -> approved -> paid). An approved bonus not yet paid is
    paid with the month; a paid one shows on the month's sheet as paid already."""

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
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("paid", "Paid")],
        "Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Date(
        readonly=True, copy=False, index=True, help="The company's day the bonus was approved."
    )
    paid_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    paid_date = fields.Date(readonly=True, copy=False, help="The company's day it was paid.")

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
        # the lock answers first, whatever the user's rights
        self._check_months_open(
            (
                vals.get("company_id") or self.env.company.id,
                vals.get("date") or fields.Date.context_today(self),
            )
            for vals in vals_list
        )
        self.check_access("create")  # no right to grant says so before the grant's rules
        if not self.env.su:
            vals_list = [self._without_grant_fields(vals) for vals in vals_list]
        employees = self.env["hr.employee"].browse(vals.get("employee_id") for vals in vals_list)
        granters = self.env["res.users"].browse(
            vals.get("granted_by_id") or self.env.uid for vals in vals_list
        )
        self._check_not_own(zip(employees, granters, strict=True))
        return super().create(vals_list)

    def write(self, vals):
        moved = [
            (vals.get("company_id") or bonus.company_id.id, vals.get("date") or bonus.date)
            for bonus in self.sudo()
        ]
        self._check_months_open(
            [(bonus.company_id.id, bonus.date) for bonus in self.sudo()] + moved
        )
        self.check_access("write")
        if not self.env.su:
            vals = self._without_grant_fields(vals)
        self._check_draft(APPROVED_FIELDS.intersection(vals))
        if "employee_id" in vals or "granted_by_id" in vals:
            employee = self.env["hr.employee"].browse(vals.get("employee_id"))
            granter = self.env["res.users"].browse(vals.get("granted_by_id"))
            self._check_not_own(
                (employee or bonus.employee_id, granter or bonus.granted_by_id) for bonus in self
            )
        result = super().write(vals)
        # the team follows the employee: the bonus must stay where the user may write
        self.check_access("write")
        return result

    def unlink(self):
        self._check_months_open((bonus.company_id.id, bonus.date) for bonus in self.sudo())
        self._check_state("draft", self.env._("Only a draft instant bonus is deleted"))
        return super().unlink()

    # ------------------------------------------------------------------
    # buttons: approval by a head or the director, payment by the accountant
    # ------------------------------------------------------------------
    def action_approve(self):
        """A head approves the bonuses of the teams he leads, the director
        anyone's; nobody their own."""
        self.check_access("write")
        self._check_state("draft", self.env._("Only a draft instant bonus is approved"))
        self._check_not_own((bonus.employee_id, self.env.user) for bonus in self)
        self._move_on({"state": "approved", "approved_by_id": self.env.uid}, "approved_date")
        return True

    def action_mark_paid(self):
        """The accountant marks approved bonuses paid (the month then pays them no more)."""
        if not self.env.user.has_group("sales_dept_org.group_sales_dept_accountant"):
            raise AccessError(self.env._("Only the bonus accountant marks instant bonuses paid."))
        self.check_access("read")
        self._check_state("approved", self.env._("Only an approved instant bonus is paid"))
        self._move_on({"state": "paid", "paid_by_id": self.env.uid}, "paid_date")
        return True

    @api.model
    def action_export_approved_today(self):
        """The accountant's file of what was approved today in the current company."""
        company = self.env.company
        return self.env["sales.bonus.instant.xlsx"]._export_day_action(
            company, company._sales_date()
        )

    def _check_state(self, state, message):
        wrong = self.filtered(lambda bonus: bonus.state != state)
        if wrong:
            raise UserError(
                self.env._(
                    "%(problem)s: %(bonuses)s", problem=message, bonuses=wrong._bonus_names()
                )
            )

    def _check_draft(self, changed):
        """An approved or paid bonus stays as it was approved: refused, named."""
        if changed:
            self._check_state(
                "draft",
                self.env._("An approved or paid instant bonus no longer changes"),
            )

    def _bonus_names(self):
        return ", ".join(
            f"{bonus.employee_id.name}, {bonus.date} ({bonus.amount:g})" for bonus in self.sudo()
        )

    def _move_on(self, vals, day_field):
        """Writes the next state as the system, on each company's own day."""
        for company, bonuses in self.grouped("company_id").items():
            bonuses.sudo().write(dict(vals, **{day_field: company._sales_date()}))

    @api.model
    def _without_grant_fields(self, vals):
        return {name: value for name, value in vals.items() if name not in GRANT_FIELDS}

    @api.model
    def _check_not_own(self, grants):
        """Nobody grants a bonus to themselves: ``grants`` is ``(employee, granter)`` pairs."""
        granters = {
            granter.sudo().name
            for employee, granter in grants
            if employee.sudo().user_id == granter
        }
        if granters:
            raise UserError(
                self.env._(
                    "%s: nobody grants their own bonus; another head or the sales director does.",
                    ", ".join(sorted(granters)),
                )
            )

    @api.model
    def _check_months_open(self, company_days):
        """A bonus in a confirmed month would change a locked sheet: refused
        with the lock's answer. ``company_days`` is ``(company id, day)`` pairs."""
        months = {
            (company_id, fields.Date.to_date(day).replace(day=1))
            for company_id, day in company_days
        }
        if not months:
            return
        sheets = (
            self.env["sales.bonus.sheet"]
            .sudo()
            .search(
                [
                    ("company_id", "in", list({company_id for company_id, _month in months})),
                    ("date_from", "in", list({month for _company_id, month in months})),
                    ("state", "in", LOCKED_STATES),
                ]
            )
        )
        sheets.filtered(
            lambda sheet: (sheet.company_id.id, sheet.date_from) in months
        )._check_unlocked()
