"""Plans: a period (a month by default) for a team or the whole department,
with targets per person and metric.

A line without a person holds the team's (or department's) target for a
metric; "Split by weights" shares it among the person lines of that metric,
exactly to the cent. Each person's target is spread over the days of the
period by their working calendar (attendances, public holidays, leaves) with
the maths of ``engine/kpi.py``; a trainee's target is scaled for the days of
their adaptation period.

Batch API (issues 6 and 7 read targets only through it)::

    env["sales.kpi.plan"]._get_targets(users, date_from, date_to, group_by_day=False)
    -> {(metric_id, user_id): target}             (group_by_day=False)
    -> {(metric_id, user_id, day): target}        (group_by_day=True)

The target of a range is the sum of the day targets that fall in it (weeks,
today, tomorrow, month to date). The day targets are stored on each person
line (``day_targets``) when it is saved, and spread again when the person's
working time changes: a leave or public holiday (the days it covers), their
employee (calendar, trainee period), or a calendar's hours (the periods not
over yet). Reading targets is one query, whatever the number of people.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..engine import kpi


def _month_start(day):
    return day.replace(day=1)


def _days_in_range(first_day, amounts, date_from, date_to):
    """(offset of the first, day targets) of a line's stored days that fall
    from ``date_from`` to ``date_to``; none for a range before or after it."""
    start = max((date_from - first_day).days, 0)
    stop = max((date_to - first_day).days + 1, 0)
    return start, amounts[start:stop]


# what spreading a person's target needs of their employee
EMPLOYEE_FIELDS = ("resource_id", "resource_calendar_id", "is_trainee", "adaptation_end_date")


def _in_adaptation(employee):
    """Whether trainee scaling applies to this employee's targets."""
    return bool(employee and employee.is_trainee and employee.adaptation_end_date)


class SalesKpiPlan(models.Model):
    _name = "sales.kpi.plan"
    _description = "KPI Plan"
    _inherit = ["mail.thread"]
    _order = "date_from desc, team_id, id"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    team_id = fields.Many2one(
        "crm.team",
        tracking=True,
        index=True,
        help="Leave empty for the department plan (every team).",
    )
    date_from = fields.Date(
        required=True,
        tracking=True,
        default=lambda self: _month_start(fields.Date.context_today(self)),
    )
    date_to = fields.Date(
        required=True,
        tracking=True,
        default=lambda self: (
            _month_start(fields.Date.context_today(self)) + relativedelta(months=1, days=-1)
        ),
    )
    trainee_factor = fields.Float(
        default=0.5,
        help="Share of a full day's target a trainee carries during adaptation.",
    )
    line_ids = fields.One2many("sales.kpi.plan.line", "plan_id", string="Targets", copy=True)

    @api.constrains("date_from", "date_to", "trainee_factor")
    def _check_period(self):
        errors = [
            self.env._("%s ends before it starts", plan.name)
            for plan in self
            if plan.date_from > plan.date_to
        ] + [
            self.env._("%s: the trainee factor lies between 0 and 1", plan.name)
            for plan in self
            if not 0 <= plan.trainee_factor <= 1
        ]
        if errors:
            raise ValidationError(self.env._("Invalid plan:\n%s", "\n".join(errors)))

    def action_split_targets(self):
        """Shares each team line's target among the person lines of its metric
        in proportion to their weights; every problem is reported at once and
        nothing is written if there is one."""
        errors, writes = [], []
        for plan in self:
            for total in plan.line_ids.filtered(lambda line: not line.user_id):
                people = plan.line_ids.filtered(
                    lambda line, total=total: line.user_id and line.metric_id == total.metric_id
                )
                problem = None
                if not people:
                    problem = self.env._("no person to split to")
                elif not sum(people.mapped("weight")):
                    problem = self.env._("the weights sum to zero")
                if problem:
                    errors.append(f"{plan.name}, {total.metric_id.name}: {problem}")
                    continue
                amounts = kpi.split_by_weights(total.target, people.mapped("weight"))
                writes.extend(zip(people, amounts, strict=True))
        if errors:
            raise UserError(self.env._("The targets cannot be split:\n%s", "\n".join(errors)))
        for line, amount in writes:
            line.target = amount
        return True

    # ------------------------------------------------------------------
    # batch API
    # ------------------------------------------------------------------
    @api.model
    def _get_targets(self, users, date_from, date_to, group_by_day=False):
        """Targets of ``users`` from ``date_from`` to ``date_to`` (both
        included) by metric: see the module doc."""
        if not group_by_day:
            return {
                key: amounts[0]
                for key, amounts in self._get_range_targets(users, [(date_from, date_to)]).items()
            }
        result = defaultdict(float)
        for metric_id, user_id, first_day, amounts in self._day_target_rows(
            users, date_from, date_to
        ):
            start, days = _days_in_range(first_day, amounts, date_from, date_to)
            for offset, amount in enumerate(days, start=start):
                result[metric_id, user_id, first_day + timedelta(days=offset)] += amount
        return {key: round(amount, 2) for key, amount in result.items()}

    @api.model
    def _get_range_targets(self, users, ranges):
        """{(metric_id, user_id): [target of each (date_from, date_to) of
        ``ranges``]}: several ranges (today, tomorrow, the month to date) in
        one query."""
        result = defaultdict(lambda: [0.0] * len(ranges))
        for metric_id, user_id, first_day, amounts in self._day_target_rows(
            users, min(start for start, _end in ranges), max(end for _start, end in ranges)
        ):
            sums = result[metric_id, user_id]
            for index, (date_from, date_to) in enumerate(ranges):
                sums[index] += sum(_days_in_range(first_day, amounts, date_from, date_to)[1])
        # targets are kept to the cent: drop the float noise of the sums
        return {key: [round(amount, 2) for amount in sums] for key, sums in result.items()}

    @api.model
    def _day_target_rows(self, users, date_from, date_to):
        """(metric_id, user_id, first day, day targets) of the person lines of
        ``users`` overlapping the period, in ``env.companies``. Raw SQL: the
        stored days are summed in Python as they come (the ORM would copy
        each list on reading it)."""
        if not users:
            return []
        # written, and spread again where working time changed, before reading
        self.env["sales.kpi.plan.line"].flush_model()
        return self.env.execute_query(
            SQL(
                """SELECT metric_id, user_id, date_from, day_targets
                     FROM sales_kpi_plan_line
                    WHERE user_id IN %s AND company_id IN %s
                      AND date_from <= %s AND date_to >= %s
                      AND day_targets IS NOT NULL""",
                tuple(users.ids),
                tuple(self.env.companies.ids),
                date_to,
                date_from,
            )
        )


class SalesKpiPlanLine(models.Model):
    _name = "sales.kpi.plan.line"
    _description = "KPI Plan Target"
    _order = "plan_id, metric_id, user_id"

    plan_id = fields.Many2one("sales.kpi.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    team_id = fields.Many2one(related="plan_id.team_id", store=True, index=True)
    date_from = fields.Date(related="plan_id.date_from", store=True)
    date_to = fields.Date(related="plan_id.date_to", store=True)
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
        """One target per person, metric and day; one team line per metric."""
        people = self.filtered("user_id")
        # sudo: a clash in a plan the user cannot read is still a clash
        clashes = (
            self.sudo().search(
                [
                    ("id", "not in", self.ids),
                    ("user_id", "in", people.user_id.ids),
                    ("metric_id", "in", people.metric_id.ids),
                    ("date_from", "<=", max(people.mapped("date_to"), default=fields.Date.today())),
                    ("date_to", ">=", min(people.mapped("date_from"), default=fields.Date.today())),
                ]
            )
            + people
        )
        errors = set()
        for line in people:
            for other in clashes:
                if (
                    other != line
                    and other.user_id == line.user_id
                    and other.metric_id == line.metric_id
                    and other.company_id == line.company_id
                    and other.date_from <= line.date_to
                    and other.date_to >= line.date_from
                ):
                    errors.add(
                        self.env._(
                            "%(person)s, %(metric)s: %(plan)s overlaps %(other)s",
                            person=line.user_id.name,
                            metric=line.metric_id.name,
                            plan=line.plan_id.name,
                            other=other.plan_id.name,
                        )
                    )
        totals = defaultdict(int)
        for line in self.plan_id.line_ids.filtered(lambda line: not line.user_id):
            totals[(line.plan_id, line.metric_id)] += 1
        errors |= {
            self.env._(
                "%(plan)s: more than one team target for %(metric)s",
                plan=plan.name,
                metric=metric.name,
            )
            for (plan, metric), count in totals.items()
            if count > 1
        }
        if errors:
            raise ValidationError(self.env._("Overlapping targets:\n%s", "\n".join(sorted(errors))))

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
        """{(user_id, company_id): {day: hours}} from each person's calendar with
        public holidays and leaves taken off; one batch per calendar. People
        without an employee work to their company's calendar.
        ``employees``: {(user_id, company_id): employee}, from ``_employees``."""
        by_calendar = defaultdict(list)
        for line in self:
            key = (line.user_id.id, line.company_id.id)
            employee = employees.get(key)
            calendar = (
                employee and employee.resource_calendar_id
            ) or line.company_id.resource_calendar_id
            by_calendar[calendar].append((key, employee.resource_id if employee else None))
        start = datetime.combine(date_from - timedelta(days=1), time.min).replace(tzinfo=pytz.utc)
        end = datetime.combine(date_to + timedelta(days=2), time.min).replace(tzinfo=pytz.utc)
        result = defaultdict(lambda: defaultdict(float))
        for calendar, members in by_calendar.items():
            if not calendar:
                continue
            resources = self.env["resource.resource"].union(*(res for _key, res in members if res))
            intervals = calendar.sudo()._work_intervals_batch(start, end, resources=resources)
            for key, resource in members:
                hours = result[key]
                if hours:
                    continue
                for begin, stop, _meta in intervals[resource.id if resource else False]:
                    hours[begin.date()] += (stop - begin).total_seconds() / 3600
        return result
