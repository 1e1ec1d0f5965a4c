import hashlib
import json
import logging
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL, float_compare, float_round

from ..engine import pay
from .sales_bonus_line import LOCKED_STATES
from .sales_bonus_scheme import to_decimal

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
# How far back a computation looks for reversed deals of locked months.
CLAWBACK_MONTHS = 12
DISCIPLINE_COUNTS = ("leads_without_task", "overdue_tasks", "missing_data", "stage_overrides")

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
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("sales.bonus.line", "sheet_id", string="Lines")
    total_amount = fields.Monetary("Total", compute="_compute_total_amount", store=True)
    computed_on = fields.Datetime(readonly=True, copy=False)
    exported_on = fields.Datetime(readonly=True, copy=False)
    exported_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    note = fields.Text(readonly=True, help="What the last computation could not pay.")

    _sql_constraints = [
        (
            "month_unique",
            "unique(company_id, date_from)",
            "A company has one bonus sheet per month.",
        )
    ]

    @api.depends("date_from", "company_id")
    def _compute_name(self):
        for sheet in self:
            month = sheet.date_from.strftime("%Y-%m") if sheet.date_from else ""
            sheet.name = self.env._(
                "Bonus sheet %(month)s, %(company)s", month=month, company=sheet.company_id.name
            )

    @api.depends("date_from")
    def _compute_date_to(self):
        for sheet in self:
            sheet.date_to = sheet.date_from and sheet.date_from + relativedelta(day=31)

    @api.depends("line_ids.total_amount")
    def _compute_total_amount(self):
        totals = dict(
            self.env["sales.bonus.line"]._read_group(
                [("sheet_id", "in", self.ids)], ["sheet_id"], ["total_amount:sum"]
            )
        )
        for sheet in self:
            sheet.total_amount = totals.get(sheet, 0.0)

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
    # the lock
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
        locked = self.filtered(lambda sheet: sheet.state in LOCKED_STATES)
        if locked:
            locked.check_access("write")  # no right to write says so before the lock does
            self._check_locked_write(locked, vals)
        reopened = locked if vals.get("state") == "draft" else self.browse()
        result = super().write(vals)
        for sheet in reopened:
            sheet.message_post(
                body=self.env._("Reopened: %s", self.env.context["bonus_sheet_reopen_reason"])
            )
        return result

    @api.model
    def _check_locked_write(self, locked, vals):
        """A locked sheet only moves on: exported, or reopened by a head with a reason."""
        forbidden = set(vals) - LOCKED_WRITABLE
        if forbidden:
            locked._check_unlocked()
        if vals.get("state") == "draft":
            if not self.env.user.has_group("sales_dept_org.group_sales_dept_head"):
                raise UserError(
                    self.env._("Only a head of sales can reopen a confirmed bonus sheet.")
                )
            if not (self.env.context.get("bonus_sheet_reopen_reason") or "").strip():
                raise UserError(self.env._("Reopening a confirmed bonus sheet needs a reason."))
        elif vals.get("state") not in (None, "exported"):
            locked._check_unlocked()

    def unlink(self):
        self._check_unlocked()
        return super().unlink()

    def _check_unlocked(self):
        locked = self.filtered(lambda sheet: sheet.state in LOCKED_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "These bonus sheets are confirmed and locked: %s. A head can reopen "
                    "one, with a reason.",
                    ", ".join(locked.mapped("name")),
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
    # buttons
    # ------------------------------------------------------------------
    def action_compute(self):
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
    # computing a month
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

    def _compute_sheet(self):
        self.ensure_one()
        self._lock_month()
        self._check_unlocked()
        employees = self._bonus_employees()
        schemes = self.env["sales.bonus.scheme"]._schemes_for_employees(employees)
        metrics = self.env["sales.bonus.scheme"].union(*schemes.values()).metric_ids.metric_id
        context = {
            "schemes": schemes,
            "params": self._scheme_params(set(schemes.values())),
            "teams": self._teams_by_user(employees.user_id),
            "plan_fact": self._get_plan_fact(employees.user_id, metrics),
            "discipline": self._get_discipline_totals(employees.user_id),
            "instant": self._get_instant_amounts(employees),
        }
        vals_list = [self._prepare_pay_line_vals(employee, context) for employee in employees]
        vals_list += self._prepare_clawback_vals()
        self._sync_lines(vals_list)
        vals = {"computed_on": fields.Datetime.now(), "note": self._notes(context)}
        if self.state != "computed":  # rewriting it would recompute every line's state
            vals["state"] = "computed"
        self.write(vals)

    def _scheme_params(self, schemes):
        """What the engine needs of each scheme, read once per scheme, not per person."""
        params = {}
        for scheme in schemes:
            target = scheme.currency_id._convert(
                scheme.target_pay, self.currency_id, self.company_id, self.date_to
            )
            params[scheme.id] = {
                "target": to_decimal(target),
                "shares": scheme._pay_shares(),
                "cap": scheme._pay_cap(),
                "tiers": scheme._pay_tiers(),
                "snapshot": scheme._pay_snapshot(),
                "metrics": [(line.metric_id, line.weight) for line in scheme.metric_ids],
            }
        return params

    def _bonus_employees(self):
        return self.env["hr.employee"].search_fetch(
            [("company_id", "=", self.company_id.id), ("sales_role", "!=", False)],
            ["company_id", "sales_role", "user_id"],
            order="id",
        )

    @api.model
    def _teams_by_user(self, users):
        """{user id: team}: the team a head leads, else the first team a person is in."""
        teams = {}
        for team in self.env["crm.team"].search_fetch(
            [("user_id", "in", users.ids)], ["user_id"], order="id desc"
        ):
            teams[team.user_id.id] = team
        for member in self.env["crm.team.member"].search_fetch(
            [("user_id", "in", users.ids)], ["user_id", "crm_team_id"], order="id desc"
        ):
            teams.setdefault(member.user_id.id, member.crm_team_id)
        return teams

    def _get_plan_fact(self, users, metrics):
        """{(user id, metric id): (plan, fact)} of the sheet's month for these
        KPI metrics (sales.kpi.metric: shipped or added by an admin).

        Read through the KPI batch API: the targets of everyone at once, then
        the facts, one query per metric for everyone, whatever the number of
        people. Pairs with neither a plan nor a fact are left out.
        """
        if not users or not metrics:
            return {}
        # the sheet's company only: a person's plan or deals elsewhere are not its pay
        in_company = {"allowed_company_ids": self.company_id.ids}
        targets = (
            self.env["sales.kpi.plan"]
            .sudo()
            .with_context(**in_company)
            ._get_targets(users, self.date_from, self.date_to)
        )
        facts = (
            metrics.sudo()
            .with_context(**in_company)
            ._read_facts(users, self.date_from, self.date_to)
        )
        wanted = set(metrics.ids)
        # a target is the sum of its day parts: round it back to the cent, so
        # that a plan met exactly is 100% and not 99.999...% (below the step)
        return {
            (user_id, metric_id): (
                float_round(targets.get((metric_id, user_id), 0.0), precision_digits=2),
                float_round(facts.get((metric_id, user_id), 0.0), precision_digits=2),
            )
            for metric_id, user_id in set(targets) | set(facts)
            if metric_id in wanted
        }

    @api.model
    def _metric_label(self, metric_vals):
        return self.env["sales.kpi.metric"].browse(metric_vals["metric_id"]).name

    def _get_discipline_totals(self, users):
        """{user id: {count name: month total}} and the number of days counted,
        from the daily counts (sales.discipline.daily); None while not recorded."""
        if "sales.discipline.daily" not in self.env:
            return None
        Daily = self.env["sales.discipline.daily"]
        domain = [
            ("company_id", "in", [self.company_id.id, False]),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
        ]
        days = len(Daily._read_group(domain, ["date:day"]))
        groups = Daily._read_group(
            domain + [("user_id", "in", users.ids)],
            ["user_id"],
            [f"{count}:sum" for count in DISCIPLINE_COUNTS],
        )
        totals = {
            user.id: dict(zip(DISCIPLINE_COUNTS, sums, strict=True)) for user, *sums in groups
        }
        return {"days": days, "totals": totals}

    def _get_instant_amounts(self, employees):
        groups = self.env["sales.bonus.instant"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("employee_id", "in", employees.ids),
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
            ],
            ["employee_id"],
            ["amount:sum"],
        )
        return {employee.id: amount for employee, amount in groups}

    @api.model
    def _discipline_penalties(self):
        return pay.DEFAULT_PENALTIES

    def _discipline_score(self, user, discipline):
        if discipline is None:
            return pay.HUNDRED
        totals = discipline["totals"].get(user.id, {})
        return pay.discipline_score(totals, discipline["days"], self._discipline_penalties())

    def _prepare_pay_line_vals(self, employee, context):
        scheme = context["schemes"].get(employee.id)
        user = employee.user_id
        vals = {
            "line_type": "pay",
            "employee_id": employee.id,
            "user_id": user.id,
            "team_id": context["teams"].get(user.id, self.env["crm.team"]).id,
            "sales_role": employee.sales_role,
            "instant_amount": context["instant"].get(employee.id, 0.0),
        }
        if not scheme:
            return dict(vals, note=self.env._("No bonus scheme for this role or person."))
        params = context["params"][scheme.id]
        metric_vals, results = self._prepare_metric_vals(params, user, context)
        score = self._discipline_score(user, context["discipline"])
        result = pay.compute_pay(
            params["target"],
            params["shares"],
            score,
            results,
            params["cap"],
            self.currency_id.decimal_places,
        )
        missing = [self._metric_label(vals) for vals in metric_vals if not vals["plan"]]
        return dict(
            vals,
            scheme_id=scheme.id,
            scheme_snapshot=params["snapshot"],
            target_pay=float(params["target"]),
            fixed_amount=float(result.fixed),
            discipline_score=float(score),
            soft_target=float(result.soft_target),
            soft_amount=float(result.soft),
            bonus_target=float(result.bonus_target),
            bonus_payout=float(result.bonus_payout),
            bonus_amount=float(result.bonus),
            metric_line_ids=metric_vals,
            next_tier_note=self._next_tier_note(metric_vals),
            note=self.env._("No plan for: %s", ", ".join(missing)) if missing else False,
        )

    def _prepare_metric_vals(self, params, user, context):
        tiers = params["tiers"]
        metric_vals, weighted = [], []
        for metric, weight in params["metrics"]:
            plan, fact = context["plan_fact"].get((user.id, metric.id), (0.0, 0.0))
            reached = pay.attainment(to_decimal(plan), to_decimal(fact))
            weighted.append((to_decimal(weight), reached))
            upcoming = pay.next_tier(tiers, reached)
            to_next = (
                max(
                    Decimal(0),
                    to_decimal(plan) * upcoming.attainment_from / pay.HUNDRED - to_decimal(fact),
                )
                if upcoming and plan
                else Decimal(0)
            )
            metric_vals.append(
                {
                    "metric_id": metric.id,
                    "weight": weight,
                    "plan": plan,
                    "fact": fact,
                    "attainment": float(round(reached, 2)),
                    "payout": float(round(pay.tier_payout(tiers, reached), 2)),
                    "to_next_tier": float(round(to_next, 2)),
                    "next_tier_payout": float(upcoming.payout_from) if upcoming else 0.0,
                }
            )
        return metric_vals, pay.metric_results(tiers, weighted)

    @api.model
    def _next_tier_note(self, metric_vals):
        return "; ".join(
            self._next_tier_step(vals) for vals in metric_vals if vals["to_next_tier"] > 0
        )

    @api.model
    def _next_tier_step(self, vals):
        # formatted before the call: the translation extractor cannot read
        # f-strings among the arguments of _() (it skipped this whole file)
        needed = format(vals["to_next_tier"], ",.2f")
        payout = format(vals["next_tier_payout"], "g")
        return self.env._(
            "%(metric)s: %(needed)s more pays %(payout)s%% of the bonus",
            metric=self._metric_label(vals),
            needed=needed,
            payout=payout,
        )

    def _notes(self, context):
        if context["discipline"] is None:
            return self.env._(
                "The daily discipline counts are not recorded yet: the soft part is paid "
                "in full (score 100%)."
            )
        return False

    # ------------------------------------------------------------------
    # clawbacks: corrections of locked months go forward
    # ------------------------------------------------------------------
    def _corrected_sheets(self):
        """Locked sheets whose corrections land here: those after the last open sheet,
        within CLAWBACK_MONTHS (older corrections are settled by hand)."""
        earlier = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("date_from", "<", self.date_from),
                ("date_from", ">=", self.date_from - relativedelta(months=CLAWBACK_MONTHS)),
            ],
            order="date_from desc",
        )
        corrected = self.browse()
        for sheet in earlier:
            if sheet.state not in LOCKED_STATES:
                break
            corrected |= sheet
        return corrected

    def _prepare_clawback_vals(self):
        vals_list = []
        for sheet in self._corrected_sheets():
            pay_lines = sheet.line_ids.filtered(
                lambda line: line.line_type == "pay" and line.scheme_id
            )
            metrics = pay_lines.metric_line_ids.metric_id
            facts_now = sheet._get_plan_fact(pay_lines.user_id, metrics)
            clawed = self._clawed_amounts(pay_lines)
            for line in pay_lines:
                vals = self._prepare_clawback_line_vals(line, facts_now, clawed.get(line.id, 0.0))
                if vals:
                    vals_list.append(vals)
        return vals_list

    def _clawed_amounts(self, origin_lines):
        """What locked sheets have already clawed back per original line."""
        groups = self.env["sales.bonus.line"]._read_group(
            [
                ("origin_line_id", "in", origin_lines.ids),
                ("state", "in", LOCKED_STATES),
                ("sheet_id", "!=", self.id),
            ],
            ["origin_line_id"],
            ["clawback_amount:sum"],
        )
        return {line.id: amount for line, amount in groups}

    def _prepare_clawback_line_vals(self, line, facts_now, already_clawed):
        """The bonus the locked line would pay with today's facts, minus what it paid."""
        snapshot = line.scheme_snapshot
        tiers = [
            pay.Tier(*(None if value is None else Decimal(value) for value in tier))
            for tier in snapshot["tiers"]
        ]
        weighted, changes = [], []
        for metric in line.metric_line_ids:
            fact = facts_now.get((line.user_id.id, metric.metric_id.id), (0.0, 0.0))[1]
            weighted.append(
                (
                    to_decimal(metric.weight),
                    pay.attainment(to_decimal(metric.plan), to_decimal(fact)),
                )
            )
            if float_compare(fact, metric.fact, precision_digits=2):
                changes.append(f"{metric.metric_id.name} {metric.fact:,.2f} -> {fact:,.2f}")
        cap = Decimal(snapshot["cap"]) if snapshot["cap"] else None
        payout = pay.bonus_payout(pay.metric_results(tiers, weighted), cap)
        bonus_now = pay.to_cents(
            to_decimal(line.bonus_target) * payout / pay.HUNDRED, self.currency_id.decimal_places
        )
        delta = bonus_now - to_decimal(line.bonus_amount) - to_decimal(already_clawed)
        if delta >= 0:
            return None
        return {
            "line_type": "clawback",
            "origin_line_id": line.id,
            "employee_id": line.employee_id.id,
            "user_id": line.user_id.id,
            "team_id": line.team_id.id,
            "sales_role": line.sales_role,
            "clawback_amount": float(delta),
            "note": self.env._(
                "Clawback for %(month)s: %(changes)s",
                month=line.date_from.strftime("%Y-%m"),
                changes="; ".join(changes),
            ),
        }

    # ------------------------------------------------------------------
    # writing the lines: unchanged lines are left alone, so computing twice
    # gives the same records with the same values
    # ------------------------------------------------------------------
    def _sync_lines(self, vals_list):
        Line = self.env["sales.bonus.line"]
        current = Line.search_fetch(
            [("sheet_id", "=", self.id)],
            ["employee_id", "line_type", "origin_line_id", "vals_digest"],
            order="id",
        )
        existing = {
            (line.employee_id.id, line.line_type, line.origin_line_id.id): line for line in current
        }
        to_create = []
        for vals in vals_list:
            full = dict(self._blank_line_vals(), **vals)
            digest = self._line_digest(full)
            key = (vals["employee_id"], vals["line_type"], vals.get("origin_line_id") or False)
            line = existing.pop(key, None)
            if not line:
                metrics = [Command.create(metric) for metric in full["metric_line_ids"]]
                to_create.append(
                    dict(full, sheet_id=self.id, metric_line_ids=metrics, vals_digest=digest)
                )
            elif line.vals_digest != digest:
                line.write(dict(self._line_changes(line, full), vals_digest=digest))
        Line.create(to_create)
        Line.union(*existing.values()).unlink()

    @api.model
    def _line_digest(self, vals):
        """A fingerprint of what a computation produced for a line: an unchanged
        line is recognised without comparing it field by field."""
        payload = json.dumps(vals, sort_keys=True, default=str)
        return hashlib.sha1(payload.encode(), usedforsecurity=False).hexdigest()

    @api.model
    def _blank_line_vals(self):
        return {
            "origin_line_id": False,
            "scheme_id": False,
            "scheme_snapshot": False,
            "target_pay": 0.0,
            "fixed_amount": 0.0,
            "discipline_score": 0.0,
            "soft_target": 0.0,
            "soft_amount": 0.0,
            "bonus_target": 0.0,
            "bonus_payout": 0.0,
            "bonus_amount": 0.0,
            "instant_amount": 0.0,
            "clawback_amount": 0.0,
            "metric_line_ids": [],
            "next_tier_note": False,
            "note": False,
        }

    @api.model
    def _line_changes(self, line, vals):
        changes = {
            name: value
            for name, value in vals.items()
            if name != "metric_line_ids" and not self._same(line, name, value)
        }
        metrics = {metric.metric_id.id: metric for metric in line.metric_line_ids}
        commands = []
        for metric_vals in vals["metric_line_ids"]:
            metric = metrics.pop(metric_vals["metric_id"], None)
            if not metric:
                commands.append(Command.create(metric_vals))
            elif any(not self._same(metric, name, value) for name, value in metric_vals.items()):
                commands.append(Command.update(metric.id, metric_vals))
        commands += [Command.delete(metric.id) for metric in metrics.values()]
        if commands:
            changes["metric_line_ids"] = commands
        return changes

    @api.model
    def _same(self, record, name, value):
        current = record[name]
        if isinstance(current, models.BaseModel):
            return current.id == (value or False)
        if isinstance(current, float):
            return not float_compare(current, value or 0.0, precision_digits=6)
        return current == value

    # ------------------------------------------------------------------
    # the schedule
    # ------------------------------------------------------------------
    @api.model
    def _cron_compute_bonus_sheets(self):
        """Daily: the current month (so everyone sees what they earned so far) and
        the previous month while it is still open. Safe to run twice."""
        today = fields.Date.context_today(self)
        months = [today.replace(day=1), today.replace(day=1) - relativedelta(months=1)]
        companies = self.env["res.company"].browse(
            company.id
            for [company] in self.env["hr.employee"]._read_group(
                [("sales_role", "!=", False)], ["company_id"]
            )
        )
        done = 0
        for company in companies:
            for month in months:
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
