"""sales.kpi.plan.line: a target of a plan, for a person or (without one)
for the team, and its spread over the days of the period by the person's
working calendar (attendances, public holidays, leaves), scaled for a
trainee's adaptation, with the maths of ``engine/kpi.py``."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..engine import kpi

# what spreading a person's target needs of their employee
EMPLOYEE_FIELDS = ("resource_id", "resource_calendar_id", "is_trainee", "adaptation_end_date")


def _in_adaptation(employee):
    """Whether trainee scaling applies to this employee's targets."""
    return bool(employee and employee.is_trainee and employee.adaptation_end_date)


class SalesKpiPlanLine(models.Model):
    _name = "sales.kpi.plan.line"
    _inherit = ["sales.audit.line.mixin", "sales.report.unit.mixin"]
    _description = "KPI Plan Target"
    _order = "plan_id, metric_id, user_id"
    # targets of calls and of złoty do not add up
    _unit_measures = ("target", "effective_target")

    _audit_parent = "plan_id"
    _audit_fields = ("metric_id", "user_id", "weight", "target")

    plan_id = fields.Many2one("sales.kpi.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    team_id = fields.Many2one(related="plan_id.team_id", store=True, index=True)
    date_from = fields.Date(related="plan_id.date_from", store=True)
    date_to = fields.Date(related="plan_id.date_to", store=True)
    plan_level = fields.Selection(related="plan_id.level", store=True)
    metric_id = fields.Many2one("sales.kpi.metric", required=True, ondelete="restrict", index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        help="Leave empty for the team's target of this metric, to split by weights.",
    )
    weight = fields.Float(default=1.0, help="Share of the team target this person carries.")
    target = fields.Float(digits=(16, 2), help="The month's target as for a full member.")
    effective_target = fields.Float(
        compute="_compute_effective_target",
        digits=(16, 2),
        help="The target after trainee scaling: what the person is measured against.",
    )
    day_targets = fields.Json(
        compute="_compute_day_targets",
        store=True,
        copy=False,
        help="The target of each day of the period, from its first day on (person lines).",
    )
    week_target = fields.Float(
        "This Week's Target",
        compute="_compute_week_figures",
        digits=(16, 2),
        help="The person's target of this week, Monday to Sunday, from the plans that "
        "cover it (a week across two months takes each month's days).",
    )
    week_to_date_target = fields.Float(
        "Week to Date: Target",
        compute="_compute_week_figures",
        digits=(16, 2),
        help="The person's target from Monday to today.",
    )
    week_to_date_fact = fields.Float(
        "Week to Date: Done",
        compute="_compute_week_figures",
        digits=(16, 2),
        help="What the person did from Monday to today.",
    )

    @api.depends(
        "target", "user_id", "company_id", "date_from", "date_to", "plan_id.trainee_factor"
    )
    def _compute_day_targets(self):
        spread = self.filtered(
            lambda line: line.date_from and line.date_to and line.date_from <= line.date_to
        )._day_targets()
        for line in self:
            days = spread.get(line)
            line.day_targets = (
                [days[day] for day in kpi.days_between(line.date_from, line.date_to)]
                if days
                else False
            )

    @api.depends("target", "day_targets")
    def _compute_effective_target(self):
        for line in self:
            line.effective_target = (
                round(sum(line.day_targets), 2) if line.day_targets else line.target
            )

    def _compute_week_figures(self):
        """The week of the company's today, for the person lines whose period
        holds today; per distinct today, one query for the targets and one
        for the facts of everyone."""
        self.week_target = self.week_to_date_target = self.week_to_date_fact = 0.0
        by_today = defaultdict(lambda: self.browse())
        for line in self.filtered(lambda line: line.user_id and line.metric_id):
            today = line.company_id._sales_date()
            if line.date_from and line.date_from <= today <= line.date_to:
                by_today[today] |= line
        for today, lines in by_today.items():
            week_from = kpi.week_start(today)
            targets = self.env["sales.kpi.plan"]._get_range_targets(
                lines.user_id, [(week_from, week_from + timedelta(days=6)), (week_from, today)]
            )
            facts = lines.metric_id._read_fact_parts(lines.user_id, week_from, today)
            for line in lines:
                key = (line.metric_id.id, line.user_id.id)
                line.week_target, line.week_to_date_target = targets.get(key, (0.0, 0.0))
                line.week_to_date_fact = kpi.fact_value(
                    *facts.get(key, (0.0, 0)), average=line.metric_id.measure == "average"
                )

    @api.constrains("target", "weight")
    def _check_amounts(self):
        bad = self.filtered(lambda line: line.target < 0 or line.weight < 0)
        if bad:
            raise ValidationError(
                self.env._(
                    "Targets and weights cannot be negative:\n%s",
                    "\n".join(
                        f"{line.metric_id.name} / {line.user_id.name or self.env._('team')}"
                        for line in bad
                    ),
                )
            )

    @api.constrains("plan_id", "metric_id", "user_id")
    def _check_overlap(self):
        """One target per person, metric, day and plan level (a month plan may
        overlap its quarter plan); one team line per metric. One query for any
        number of lines: a clash in a plan the user cannot read is still a
        clash."""
        self.flush_model(
            ["plan_id", "metric_id", "user_id", "company_id", "date_from", "date_to", "plan_level"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT line.id, other.id, NULL::int
                     FROM sales_kpi_plan_line line
                     JOIN sales_kpi_plan_line other
                       ON other.user_id = line.user_id AND other.metric_id = line.metric_id
                      AND other.company_id IS NOT DISTINCT FROM line.company_id
                      AND other.date_from <= line.date_to AND other.date_to >= line.date_from
                      AND other.plan_level = line.plan_level AND other.id <> line.id
                    WHERE line.id = ANY(%(ids)s) AND line.user_id IS NOT NULL
                UNION ALL
                   SELECT NULL, plan_id, metric_id
                     FROM sales_kpi_plan_line
                    WHERE plan_id IN (SELECT plan_id FROM sales_kpi_plan_line
                                       WHERE id = ANY(%(ids)s))
                      AND user_id IS NULL
                 GROUP BY plan_id, metric_id
                   HAVING COUNT(*) > 1""",
                ids=self.ids,
            )
        )
        rows = self.env.cr.fetchall()
        clashes = [(line_id, other_id) for line_id, other_id, _metric in rows if line_id]
        teams = [(plan_id, metric_id) for line_id, plan_id, metric_id in rows if not line_id]
        # iterated from one recordset each, so their names are read in one batch
        lines = {
            line.id: line for line in self.sudo().browse({i for pair in clashes for i in pair})
        }
        plans = {plan.id: plan for plan in self.env["sales.kpi.plan"].sudo().browse(
            {plan_id for plan_id, _metric in teams})}  # fmt: skip
        metrics = {metric.id: metric for metric in self.env["sales.kpi.metric"].sudo().browse(
            {metric_id for _plan, metric_id in teams})}  # fmt: skip
        errors = {
            self.env._(
                "%(person)s, %(metric)s: %(plan)s overlaps %(other)s",
                person=lines[line_id].user_id.name,
                metric=lines[line_id].metric_id.name,
                plan=lines[line_id].plan_id.name,
                other=lines[other_id].plan_id.name,
            )
            for line_id, other_id in clashes
        } | {
            self.env._(
                "%(plan)s: more than one team target for %(metric)s",
                plan=plans[plan_id].name,
                metric=metrics[metric_id].name,
            )
            for plan_id, metric_id in teams
        }
        if errors:
            raise ValidationError(self.env._("Overlapping targets:\n%s", "\n".join(sorted(errors))))

    @api.constrains("plan_id", "metric_id", "user_id", "target")
    def _check_parent_sums(self):
        """The month plans beneath a quarter or year plan against it."""
        self.plan_id._check_sums()

    def _audit_label(self):
        return ", ".join(filter(None, [self.metric_id.name, self.user_id.name]))

    @api.model
    def _respread(self, domain):
        """Spreads the person targets matching ``domain`` again: the working
        time of their people changed. They are recomputed on the next flush."""
        lines = self.sudo().search([("user_id", "!=", False), *domain])
        if lines:
            self.env.add_to_compute(self._fields["day_targets"], lines)
            lines.invalidate_recordset(["effective_target"])

    @api.model
    def _respread_not_over(self, domain):
        """``_respread`` for a change of working hours (a calendar, a person's
        calendar): the periods not over yet only, so that a closed month
        keeps the targets it was measured and paid on."""
        self._respread([*domain, ("date_to", ">=", fields.Date.context_today(self))])

    def _day_targets(self):
        """{line: {day: target}} for person lines: trainee scaling, then the
        spread by each person's working hours of each day."""
        lines = self.filtered("user_id")
        if not lines:
            return {}
        employees = lines._employees()
        capacity = lines._working_hours(
            min(lines.mapped("date_from")), max(lines.mapped("date_to")), employees
        )
        result = {}
        period_hours = {}  # a person's metrics share the hours of a period
        for line in lines:
            person = (line.user_id.id, line.company_id.id)
            period = (person, line.date_from, line.date_to)
            if period not in period_hours:
                person_hours = capacity[person]
                period_hours[period] = {
                    day: person_hours.get(day, 0.0)
                    for day in kpi.days_between(line.date_from, line.date_to)
                }
            hours = period_hours[period]
            employee = employees.get(person)
            target = line.target
            if _in_adaptation(employee):
                factor = line.plan_id.trainee_factor
                target = kpi.trainee_target(target, hours, employee.adaptation_end_date, factor)
                hours = kpi.trainee_capacity(hours, employee.adaptation_end_date, factor)
            result[line] = kpi.spread(target, hours)
        return result

    def _employees(self):
        """{(user_id, company_id): employee} of the lines' people."""
        employees = (
            self.env["hr.employee"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("user_id", "in", self.user_id.ids), ("company_id", "in", self.company_id.ids)],
                ["user_id", "company_id", *EMPLOYEE_FIELDS],
            )
        )
        return {(emp.user_id.id, emp.company_id.id): emp for emp in employees}

    def _working_hours(self, date_from, date_to, employees):
        """{(user_id, company_id): {day: hours}} of the lines' people: see
        ``resource.calendar._sales_working_hours``."""
        people = {(line.user_id.id, line.company_id.id): line.company_id for line in self}
        return self.env["resource.calendar"]._sales_working_hours(
            people, date_from, date_to, employees
        )
