from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..engine import abcxyz, company_day, kpi
from ..engine.digest_schedule import slot_minutes
from .column_defaults import set_column_defaults

# slot of the meeting rhythm -> company field holding its local time
DIGEST_SLOT_FIELDS = {
    "morning": "sales_digest_morning",
    "checkin_1": "sales_digest_checkin_1",
    "checkin_2": "sales_digest_checkin_2",
    "checkin_3": "sales_digest_checkin_3",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    abcxyz_a_limit = fields.Float(
        "ABC: A up to (%)",
        default=abcxyz.DEFAULT_A_LIMIT,
        help="Customers are A while the larger customers bring less than this share of revenue.",
    )
    abcxyz_b_limit = fields.Float(
        "ABC: B up to (%)",
        default=abcxyz.DEFAULT_B_LIMIT,
        help="Customers are B while the larger customers bring less than this share; C after.",
    )
    abcxyz_x_limit = fields.Float(
        "XYZ: X up to CV",
        default=abcxyz.DEFAULT_X_LIMIT,
        digits=(16, 3),
        help="Coefficient of variation of monthly purchases up to which a customer is regular.",
    )
    abcxyz_y_limit = fields.Float(
        "XYZ: Y up to CV",
        default=abcxyz.DEFAULT_Y_LIMIT,
        digits=(16, 3),
        help="Up to this coefficient of variation a customer is irregular (Y); above it Z.",
    )
    abcxyz_window_months = fields.Integer(
        "ABC-XYZ window (months)",
        default=12,
        help="Full calendar months of posted customer invoices before the snapshot date.",
    )

    sales_digest_morning = fields.Float(
        "Morning planning", default=8.5, help="Local time of the morning planning digest."
    )
    sales_digest_checkin_1 = fields.Float("First check-in", default=11.0)
    sales_digest_checkin_2 = fields.Float("Second check-in", default=14.0)
    sales_digest_checkin_3 = fields.Float("Third check-in", default=16.0)

    sales_span_limit = fields.Integer(
        string="Span of Control",
        default=7,
        help="Most salespeople one head of sales may lead (the article: 6-7).",
    )
    sales_span_mode = fields.Selection(
        [("refuse", "Refuse"), ("warn", "Warn")],
        string="Span of Control Breach",
        default="refuse",
        required=True,
        help="Refuse: adding a salesperson over the limit is blocked. "
        "Warn: it is allowed and logged on the team.",
    )

    sales_board_attainment_cap = fields.Float(
        "Board attainment cap (%)",
        default=kpi.RANKING_CAP * 100,
        help="The board counts each metric's attainment up to this share of its plan, so "
        "that one metric cannot carry the ranking (a fact 12 times the plan counts as "
        "200%). 0: no cap, the board shows the true percentage. Pay never caps an "
        "attainment.",
    )
    sales_payout_flag_percent = fields.Float(
        "Flag payouts above (% of target pay)",
        default=300.0,
        help="A bonus sheet line paying more than this share of the person's target pay is "
        "flagged; confirming a sheet with flagged lines needs a reason, logged on the sheet.",
    )

    sales_plan_sum_check = fields.Selection(
        [("warning", "Warning"), ("block", "Block")],
        string="Month Plans Over Their Parent",
        default="warning",
        required=True,
        help="When the month plans beneath a quarter or year plan add up to more than "
        "it for a person and metric. Warning: the parent plan's form says so. "
        "Block: saving is refused.",
    )

    sales_call_review_sample = fields.Integer(
        "Calls reviewed per person",
        default=3,
        help="Each week, the head of a team gets this many answered calls of each "
        "person of the team, picked at random, to review.",
    )

    @api.constrains("sales_call_review_sample")
    def _check_sales_call_review_sample(self):
        negative = self.filtered(lambda company: company.sales_call_review_sample < 0)
        if negative:
            raise ValidationError(
                self.env._(
                    "The calls reviewed per person cannot be negative: %s.",
                    ", ".join(negative.mapped("name")),
                )
            )

    @api.constrains("sales_board_attainment_cap", "sales_payout_flag_percent")
    def _check_sales_pay_limits(self):
        problems = []
        for company in self:
            cap, flag = company.sales_board_attainment_cap, company.sales_payout_flag_percent
            if cap and cap < 100:
                problems.append(
                    self.env._(
                        "%(company)s: the board attainment cap must be 0 (no cap) or at least "
                        "100%% (got %(cap)s%%).",
                        company=company.display_name,
                        cap=cap,
                    )
                )
            if flag < 100:
                problems.append(
                    self.env._(
                        "%(company)s: payouts are flagged above a share of the target pay of "
                        "at least 100%% (got %(limit)s%%).",
                        company=company.display_name,
                        limit=flag,
                    )
                )
        if problems:
            raise ValidationError("\n".join(problems))

    @api.constrains(*DIGEST_SLOT_FIELDS.values())
    def _check_digest_times(self):
        problems = [
            self.env._(
                "%(company)s: %(slot)s must be between 00:00 and 23:59 (got %(hours)s hours).",
                company=company.display_name,
                slot=company._fields[fname]._description_string(self.env),
                hours=company[fname],
            )
            for company in self
            for fname in DIGEST_SLOT_FIELDS.values()
            if slot_minutes(company[fname]) is None
        ]
        if problems:
            raise ValidationError("\n".join(problems))

    @api.constrains(
        "abcxyz_a_limit",
        "abcxyz_b_limit",
        "abcxyz_x_limit",
        "abcxyz_y_limit",
        "abcxyz_window_months",
    )
    def _check_abcxyz_limits(self):
        check_abcxyz_limits(
            self,
            ("abcxyz_a_limit", "abcxyz_b_limit", "abcxyz_x_limit", "abcxyz_y_limit"),
            "abcxyz_window_months",
            self.env._("Invalid ABC-XYZ settings:"),
        )

    @api.constrains("sales_span_limit")
    def _check_sales_span_limit(self):
        wrong = self.filtered(lambda company: company.sales_span_limit < 1)
        if wrong:
            raise ValidationError(
                self.env._(
                    "The span of control must be at least 1: %(companies)s.",
                    companies=", ".join(
                        f"{company.name} ({company.sales_span_limit})" for company in wrong
                    ),
                )
            )

    def _auto_init(self):
        result = super()._auto_init()
        set_column_defaults(self)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # as the module's data does on install: pay needs a scheme per role
        self.env["sales.bonus.scheme"].sudo()._install_default_schemes(companies)
        return companies

    def write(self, vals):
        result = super().write(vals)
        if "resource_calendar_id" in vals:
            # people without an employee work to their company's calendar
            self.env["sales.kpi.plan.line"]._respread_not_over([("company_id", "in", self.ids)])
        return result

    def action_sales_create_default_schemes(self):
        """Creates the shipped bonus scheme of every role these companies lack
        (a role's scheme an administrator changed or archived is kept)."""
        created = self.env["sales.bonus.scheme"]._install_default_schemes(self)
        if created:
            message = self.env._(
                "Default bonus schemes created: %s.", ", ".join(created.mapped("display_name"))
            )
        else:
            message = self.env._(
                "Every role already has a bonus scheme in %s.", ", ".join(self.mapped("name"))
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "success" if created else "info",
            },
        }

    # ------------------------------------------------------------------
    # the company's day: KPI facts, digests, discipline counts, the board,
    # the money of the day and the monthly jobs all place moments on it
    # ------------------------------------------------------------------
    def _sales_tz(self):
        """The company's time zone: the time zone of its working hours
        (``resource_calendar_id``, the hours its people's targets are spread
        over), else its partner's, else UTC."""
        self.ensure_one()
        return self.resource_calendar_id.tz or self.partner_id.tz or "UTC"

    def _sales_lang(self):
        """The language of what the department writes for the company as a
        whole (bonus sheets' names and notes, team digests): its partner's."""
        self.ensure_one()
        return self.partner_id.lang or "en_US"

    def _sales_date(self, moment=None):
        """The company's date of ``moment`` (naive UTC, as Odoo keeps it; now
        by default): its "today"."""
        return company_day.local_date(moment or fields.Datetime.now(), self._sales_tz())

    def _sales_day_start(self, day):
        """The naive UTC moment the company's ``day`` starts."""
        return company_day.day_start_utc(day, self._sales_tz())

    def _sales_one_tz(self):
        """Whether the companies of ``self`` all live in one time zone."""
        return len({company._sales_tz() for company in self}) <= 1

    def _sales_local_date_sql(self, moment_sql, company_sql=None):
        """SQL of the company date of ``moment_sql`` (a UTC timestamp) for a
        row of one of the companies of ``self``: the company that
        ``company_sql`` names, whose time zone is picked by a CASE (needed
        only when they do not share one; a company outside ``self`` gets the
        first one's)."""
        zones = {company.id: company._sales_tz() for company in self}
        tz_sql = SQL("%s", next(iter(zones.values()), "UTC"))
        if not self._sales_one_tz():
            tz_sql = SQL(
                "CASE %s %s ELSE %s END",
                company_sql,
                SQL(" ").join(SQL("WHEN %s THEN %s", cid, tz) for cid, tz in zones.items()),
                tz_sql,
            )
        return SQL("(timezone(%s, timezone('UTC', %s)))::date", tz_sql, moment_sql)


def check_abcxyz_limits(records, limit_fields, window_field, title):
    """Raises one error naming every record whose limits are out of order."""
    problems = [
        f"{record.display_name}: {problem}"
        for record in records
        for problem in abcxyz.check_limits(
            *(record[name] for name in limit_fields), record[window_field]
        )
    ]
    if problems:
        raise ValidationError("\n".join([title, *problems]))
