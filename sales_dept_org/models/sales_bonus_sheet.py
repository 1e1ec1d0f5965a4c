"""sales.bonus.sheet as a record: its states, the lock that keeps a
confirmed month as it was paid, the buttons and the daily schedule.

A month's pay lines are computed in ``sales_bonus_sheet_compute.py`` (the
maths in ``engine/pay.py``); corrections of locked months are carried into
the next open one by ``sales_bonus_sheet_clawback.py``.
"""

import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .sales_bonus_line import LOCKED_STATES

# Namespace of the transaction-scoped advisory locks that keep two
# computations of the same company month apart (an arbitrary constant).
SHEET_LOCK_NAMESPACE = 640_006
# Fields of a locked sheet that its own transitions and the chatter still write.
LOCKED_WRITABLE = {
    "state",
    "exported_on",
    "exported_by_id",
    "message_main_attachment_id",
    "message_follower_ids",
}

_logger = logging.getLogger(__name__)


class SalesBonusSheet(models.Model):
    """The month's pay of a company's sales department, one line per person.

    draft -> computed -> confirmed (locked) -> exported. A locked sheet changes
    only by a head reopening it with a reason; corrections of a locked month
    land as clawback lines in the next open month.
    """

    _name = "sales.bonus.sheet"
    _description = "Monthly Bonus Sheet"
    _inherit = ["mail.thread"]
    _order = "date_from desc, company_id, id desc"

    _sql_constraints = [
        (
            "month_unique",
            "unique(company_id, date_from)",
            "A company has one bonus sheet per month.",
        )
    ]

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    date_from = fields.Date(
        "Month",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(compute="_compute_date_to", store=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("computed", "Computed"),
            ("confirmed", "Confirmed"),
            ("exported", "Exported"),
        ],
        "Status",  # not "State": Polish tells a region (województwo) from a status
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("sales.bonus.line", "sheet_id", string="Lines")
    # the company's total pay: for who reads every line, as the sheet's file
    total_amount = fields.Monetary(
        "Total",
        compute="_compute_total_amount",
        store=True,
        groups="sales_dept_org.group_sales_dept_director,sales_dept_org.group_sales_dept_accountant",
    )
    to_pay_amount = fields.Monetary(
        "To pay",
        compute="_compute_total_amount",
        store=True,
        groups="sales_dept_org.group_sales_dept_director,sales_dept_org.group_sales_dept_accountant",
        help="The total less the instant bonuses already paid on their day.",
    )
    computed_on = fields.Datetime(readonly=True, copy=False)
    exported_on = fields.Datetime(readonly=True, copy=False)
    exported_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    note = fields.Text(readonly=True, help="What the last computation could not pay.")
    flagged_line_count = fields.Integer(
        "Extreme payouts",
        compute="_compute_flagged_line_count",
        help="Lines paying more than the company's share of target pay (Settings): "
        "confirming the sheet needs a reason.",
    )

    @api.depends("date_from", "company_id")
    def _compute_name(self):
        for sheet in self:
            month = sheet.date_from.strftime("%Y-%m") if sheet.date_from else ""
            # the company's record: in its language, whoever computes it
            env = sheet.with_context(lang=sheet.company_id._sales_lang()).env
            sheet.name = env._(
                "Bonus sheet %(month)s, %(company)s", month=month, company=sheet.company_id.name
            )

    @api.depends("date_from")
    def _compute_date_to(self):
        for sheet in self:
            sheet.date_to = sheet.date_from and sheet.date_from + relativedelta(day=31)

    @api.depends("line_ids.total_amount", "line_ids.to_pay_amount")
    def _compute_total_amount(self):
        totals = {
            sheet: (total, to_pay)
            for sheet, total, to_pay in self.env["sales.bonus.line"]._read_group(
                [("sheet_id", "in", self.ids)],
                ["sheet_id"],
                ["total_amount:sum", "to_pay_amount:sum"],
            )
        }
        for sheet in self:
            sheet.total_amount, sheet.to_pay_amount = totals.get(sheet, (0.0, 0.0))

    @api.depends("line_ids.payout_flagged")
    def _compute_flagged_line_count(self):
        # every line of the sheet, whoever reads it: a head confirms the whole month
        counts = dict(
            self.env["sales.bonus.line"]
            .sudo()
            ._read_group(
                [("sheet_id", "in", self._origin.ids), ("payout_flagged", "=", True)],
                ["sheet_id"],
                ["__count"],
            )
        )
        for sheet in self:
            sheet.flagged_line_count = counts.get(sheet._origin, 0)

    @api.constrains("date_from")
    def _check_month_start(self):
        wrong = self.filtered(lambda sheet: sheet.date_from.day != 1)
        if wrong:
            raise ValidationError(
                self.env._(
                    "A bonus sheet starts on the first day of a month: %s",
                    ", ".join(str(sheet.date_from) for sheet in wrong),
                )
            )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # a second transaction creating the same month is told at once, instead
        # of waiting on the unique index and failing at the end
        for vals in vals_list:
            if vals.get("date_from"):
                company_id = vals.get("company_id") or self.env.company.id
                self.new({"company_id": company_id, "date_from": vals["date_from"]})._lock_month()
        return super().create(vals_list)

    def write(self, vals):
        # the lock answers first, whatever the user's rights, so every change
        # of a locked sheet gets the same answer
        locked = self.browse(self.sudo().filtered(lambda sheet: sheet.state in LOCKED_STATES).ids)
        if locked:
            self._check_locked_write(locked, vals)
        reopened = locked if vals.get("state") == "draft" else self.browse()
        confirming = vals.get("state") == "confirmed"
        flagged = self._check_confirm_reason() if confirming else self.browse()
        result = super().write(vals)
        flagged._log_confirm_reason()
        for sheet in reopened:
            sheet.message_post(
                body=self.env._("Reopened: %s", self.env.context["bonus_sheet_reopen_reason"])
            )
        return result

    def unlink(self):
        self._check_unlocked()
        return super().unlink()

    # ------------------------------------------------------------------
    # buttons
    # ------------------------------------------------------------------
    def action_compute(self):
        self._check_unlocked()
        self.check_access("write")
        for sheet in self:
            sheet.sudo()._compute_sheet()
        return True

    def action_confirm(self):
        self.check_access("write")
        not_computed = self.filtered(lambda sheet: sheet.state != "computed")
        if not_computed:
            raise UserError(
                self.env._(
                    "Compute these sheets before confirming them: %s",
                    ", ".join(not_computed.mapped("name")),
                )
            )
        if self.filtered("flagged_line_count") and not self._confirm_reason():
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Confirm extreme payouts"),
                "res_model": "sales.bonus.sheet.confirm",
                "view_mode": "form",
                "target": "new",
                "context": {"default_sheet_ids": self.ids},
            }
        self.write({"state": "confirmed"})
        return True

    def action_reopen(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen %s", self.name),
            "res_model": "sales.bonus.sheet.reopen",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sheet_id": self.id},
        }

    def action_export_xlsx(self):
        return self.env["sales.bonus.sheet.xlsx"]._export_action(self)

    # ------------------------------------------------------------------
    # the lock
    # ------------------------------------------------------------------
    @api.model
    def _check_locked_write(self, locked, vals):
        """A locked sheet only moves on: exported, or reopened by a head with a reason."""
        forbidden = set(vals) - LOCKED_WRITABLE
        if forbidden:
            locked._check_unlocked()
        if vals.get("state") == "draft":
            locked.check_access("write")  # reopening is a right, told as such
            if not self.env.user.has_group("sales_dept_org.group_sales_dept_head"):
                raise UserError(
                    self.env._("Only a head of sales can reopen a confirmed bonus sheet.")
                )
            if not (self.env.context.get("bonus_sheet_reopen_reason") or "").strip():
                raise UserError(self.env._("Reopening a confirmed bonus sheet needs a reason."))
        elif vals.get("state") not in (None, "exported"):
            locked._check_unlocked()

    def _confirm_reason(self):
        return (self.env.context.get("bonus_sheet_confirm_reason") or "").strip()

    def _check_confirm_reason(self):
        """Sheets with extreme payouts are confirmed only with a reason; returns them."""
        flagged = self.filtered("flagged_line_count")
        if flagged and not self._confirm_reason():
            raise UserError(
                self.env._(
                    "These bonus sheets pay more than the company's share of target pay to "
                    "some people: %s. Confirming them needs a reason.",
                    ", ".join(flagged.mapped("name")),
                )
            )
        return flagged

    def _log_confirm_reason(self):
        for sheet in self:
            limit = format(sheet.company_id.sales_payout_flag_percent, "g")
            sheet.message_post(
                body=self.env._(
                    "Confirmed with %(count)s line(s) paying more than %(limit)s%% of the target "
                    "pay: %(reason)s",
                    count=sheet.flagged_line_count,
                    limit=limit,
                    reason=self._confirm_reason(),
                )
            )

    def _check_unlocked(self):
        """One answer to every change of a locked sheet, its lines and its
        month's instant bonuses, whoever asks (told before any access error)."""
        locked = self.sudo().filtered(lambda sheet: sheet.state in LOCKED_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "%(sheets)s is confirmed and locked: nothing in it can change. A head of "
                    "sales can reopen it with the Reopen button on the sheet, giving a reason.",
                    sheets=", ".join(locked.mapped("name")),
                )
            )

    def _try_lock_month(self):
        """Only one transaction computes a company month at a time (released at its end)."""
        self.env.cr.execute(
            SQL(
                "SELECT pg_try_advisory_xact_lock(%s, %s)",
                SHEET_LOCK_NAMESPACE,
                self.company_id.id * 100_000 + self.date_from.year * 12 + self.date_from.month,
            )
        )
        return self.env.cr.fetchone()[0]

    def _lock_month(self):
        if not self._try_lock_month():
            raise UserError(
                self.env._(
                    "The bonus sheet of %(month)s for %(company)s is being computed right "
                    "now. Try again in a minute.",
                    month=self.date_from.strftime("%Y-%m"),
                    company=self.company_id.name,
                )
            )

    # ------------------------------------------------------------------
    # the schedule
    # ------------------------------------------------------------------
    @api.model
    def _get_or_create_month(self, company, month_start):
        """The company's sheet of that month, created if missing (under the month lock)."""
        sheet = self.new({"company_id": company.id, "date_from": month_start})
        sheet._lock_month()
        existing = self.search(
            [("company_id", "=", company.id), ("date_from", "=", month_start)], limit=1
        )
        return existing or self.create({"company_id": company.id, "date_from": month_start})

    @api.model
    def _cron_compute_bonus_sheets(self):
        """Daily: the current month (so everyone sees what they earned so far) and
        the previous month while it is still open. Safe to run twice."""
        companies = self.env["res.company"].browse(
            company.id
            for [company] in self.env["hr.employee"]._read_group(
                [("sales_role", "!=", False)], ["company_id"]
            )
        )
        done = 0
        for company in companies:
            this_month = company._sales_date().replace(day=1)  # on the company's own day
            for month in (this_month, this_month - relativedelta(months=1)):
                self._cron_compute_month(company, month)
            done += 1
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(companies) - done)

    @api.model
    def _cron_compute_month(self, company, month):
        sheet = self.search([("company_id", "=", company.id), ("date_from", "=", month)])
        if sheet.state in LOCKED_STATES:
            return
        probe = sheet or self.new({"company_id": company.id, "date_from": month})
        if not probe._try_lock_month():
            # a head is computing this month right now: their result stands
            _logger.info("Bonus sheet %s of %s skipped: being computed", month, company.name)
            return
        sheet = sheet or self._get_or_create_month(company, month)
        sheet._compute_sheet()
