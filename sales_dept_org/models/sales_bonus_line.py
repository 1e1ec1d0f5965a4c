from odoo import api, fields, models
from odoo.tools import create_unique_index
from odoo.tools.sql import drop_index

from .hr_employee import SALES_ROLES

LOCKED_STATES = ("confirmed", "exported")


class SalesBonusLine(models.Model):
    """One person's pay in a monthly sheet, a clawback correcting a locked
    month, or a mentor's pay for one trainee.

    Every figure is a snapshot taken when the sheet was computed: editing the
    scheme later never changes a computed month.
    """

    _name = "sales.bonus.line"
    _description = "Bonus Sheet Line"
    _order = "date_from desc, team_id, employee_id, line_type, id"
    _rec_name = "employee_id"

    sheet_id = fields.Many2one("sales.bonus.sheet", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="sheet_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="sheet_id.currency_id", store=True)
    date_from = fields.Date("Month", related="sheet_id.date_from", store=True)
    state = fields.Selection(related="sheet_id.state", store=True, string="Sheet state")
    line_type = fields.Selection(
        [("pay", "Pay"), ("clawback", "Clawback"), ("mentor", "Mentor")],
        required=True,
        default="pay",
    )
    employee_id = fields.Many2one("hr.employee", required=True, index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    team_id = fields.Many2one("crm.team", index=True)
    sales_role = fields.Selection(SALES_ROLES)
    scheme_id = fields.Many2one("sales.bonus.scheme", ondelete="restrict")
    target_pay = fields.Monetary()
    fixed_amount = fields.Monetary("Fixed")
    discipline_score = fields.Float(
        "Discipline score (%)",
        aggregator="avg",
        help="max(0, 100 - (5 x lead-days without a task + 5 x overdue task-days + 5 x "
        "lead-days missing required data + 10 x stage overrides) / days counted)",
    )
    soft_target = fields.Monetary()
    soft_amount = fields.Monetary("Soft")
    bonus_target = fields.Monetary()
    bonus_payout = fields.Float(
        "Bonus payout (%)", aggregator="avg", help="Share of the target bonus earned."
    )
    bonus_amount = fields.Monetary("Bonus")
    instant_amount = fields.Monetary("Instant bonuses")
    instant_paid_amount = fields.Monetary(
        "Paid already",
        help="The month's instant bonuses the accountant paid on their day: in the total, "
        "not in the amount to pay.",
    )
    clawback_amount = fields.Monetary("Clawback")
    total_amount = fields.Monetary("Total", compute="_compute_total_amount", store=True)
    to_pay_amount = fields.Monetary("To pay", compute="_compute_total_amount", store=True)
    metric_line_ids = fields.One2many("sales.bonus.line.metric", "line_id", string="Metrics")
    next_tier_note = fields.Char("Next tier")
    payout_share = fields.Float(
        "Payout (% of target pay)",
        aggregator="avg",
        digits=(16, 2),
        help="Fixed, soft, bonus and instant bonuses in percent of the target pay.",
    )
    payout_flagged = fields.Boolean(
        "Extreme payout",
        help="Pays more than the company's share of target pay that needs a reason to confirm.",
    )
    note = fields.Char()
    origin_line_id = fields.Many2one(
        "sales.bonus.line",
        string="Corrects",
        ondelete="restrict",
        index="btree_not_null",
        help="The line of a confirmed month whose bonus this clawback corrects.",
    )
    trainee_id = fields.Many2one(
        "hr.employee",
        index="btree_not_null",
        help="The trainee whose attainment this mentor line pays a share of.",
    )
    scheme_snapshot = fields.Json(groups="sales_dept_org.group_sales_dept_head")
    vals_digest = fields.Char(readonly=True, copy=False, groups="base.group_system")

    @api.depends(
        "fixed_amount",
        "soft_amount",
        "bonus_amount",
        "instant_amount",
        "instant_paid_amount",
        "clawback_amount",
    )
    def _compute_total_amount(self):
        for line in self:
            line.total_amount, line.to_pay_amount = self._pay_totals(line.currency_id, line)

    @api.model
    def _pay_totals(self, currency, amounts):
        """A line's total and what is left to pay of it, from its amounts (a
        line or a dict of its values): the one rule of the ORM's compute and
        of the sheet's bulk insert."""
        total = currency.round(
            sum(amounts[name] for name in ("fixed_amount", "soft_amount", "bonus_amount"))
            + amounts["instant_amount"]
            + amounts["clawback_amount"]
        )
        return total, currency.round(total - amounts["instant_paid_amount"])

    def _auto_init(self):
        result = super()._auto_init()
        # One pay line per person, one clawback per corrected line and one
        # mentor line per trainee in a sheet: two computations racing can
        # never leave duplicates behind. (The index before mentors lacked
        # the trainee: replaced.)
        drop_index(self.env.cr, "sales_bonus_line_unique_person", self._table)
        create_unique_index(
            self.env.cr,
            "sales_bonus_line_unique_person_trainee",
            self._table,
            [
                "sheet_id",
                "employee_id",
                "line_type",
                "COALESCE(origin_line_id, 0)",
                "COALESCE(trainee_id, 0)",
            ],
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        sheets = self.env["sales.bonus.sheet"].browse({vals.get("sheet_id") for vals in vals_list})
        sheets._check_unlocked()
        self.check_access("create")
        return super().create(vals_list)

    def write(self, vals):
        self.sudo().sheet_id._check_unlocked()
        self.check_access("write")
        return super().write(vals)

    def unlink(self):
        self.sudo().sheet_id._check_unlocked()
        self.check_access("unlink")
        return super().unlink()


class SalesBonusLineMetric(models.Model):
    _name = "sales.bonus.line.metric"
    _inherit = ["sales.report.unit.mixin"]
    _description = "Bonus Sheet Line Metric"
    # creation order is the scheme's metric order; ordering by line_id would
    # join the lines' own order (teams, employees) on every read
    _order = "id"
    # plans and facts of different metrics do not add up
    _unit_measures = ("plan", "fact", "to_next_tier")

    _sql_constraints = [
        ("metric_unique", "unique(line_id, metric_id)", "A metric appears once per line.")
    ]

    line_id = fields.Many2one("sales.bonus.line", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    user_id = fields.Many2one(related="line_id.user_id", store=True)
    team_id = fields.Many2one(related="line_id.team_id", store=True)
    sheet_state = fields.Selection(related="line_id.state", store=True)
    metric_id = fields.Many2one("sales.kpi.metric", required=True, ondelete="restrict")
    # not stored: the column was a selection, and Odoo cannot update a stored
    # selection into a char (ir.model.fields.selection cleanup)
    metric_code = fields.Char(related="metric_id.code", string="Code")
    weight = fields.Float("Weight (%)", aggregator="avg")
    plan = fields.Float(digits=(16, 2))
    fact = fields.Float(digits=(16, 2))
    attainment = fields.Float("Attainment (%)", digits=(16, 2), aggregator="avg")
    payout = fields.Float("Payout (% of bonus)", digits=(16, 2), aggregator="avg")
    to_next_tier = fields.Float(
        "Still needed",
        digits=(16, 2),
        help="How much more fact reaches the next tier (how much less for a metric to keep low).",
    )
    next_tier_payout = fields.Float("Next tier pays (%)", digits=(16, 2), aggregator="avg")

    @api.model_create_multi
    def create(self, vals_list):
        lines = self.env["sales.bonus.line"].browse({vals.get("line_id") for vals in vals_list})
        lines.sudo().sheet_id._check_unlocked()
        self.check_access("create")
        return super().create(vals_list)

    def write(self, vals):
        self.sudo().line_id.sheet_id._check_unlocked()
        self.check_access("write")
        return super().write(vals)

    def unlink(self):
        self.sudo().line_id.sheet_id._check_unlocked()
        self.check_access("unlink")
        return super().unlink()
