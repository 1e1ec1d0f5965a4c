"""Plans: a period (a month by default) for a team or the whole department,
with targets per person and metric.

A line without a person holds the team's (or department's) target for a
metric; "Split by weights" shares it among the person lines of that metric,
exactly to the cent. Each person's target is spread over the days of the
period by their working calendar (attendances, public holidays, leaves) with
the maths of ``engine/kpi.py``; a trainee's target is scaled for the days of
their adaptation period.

Batch API (the board, the digests and the pay sheet read targets only
through it)::

    env["sales.kpi.plan"]._get_targets(users, date_from, date_to, group_by_day=False)
    -> {(metric_id, user_id): target}             (group_by_day=False)
    -> {(metric_id, user_id, day): target}        (group_by_day=True)

The target of a range is the sum of the day targets that fall in it (weeks,
today, tomorrow, month to date). The day targets are stored on each person
line (``day_targets``) when it is saved, and spread again when the person's
working time changes: a leave or public holiday (the days it covers), their
employee (calendar, trainee period), or a calendar's hours (the periods not
over yet). Reading targets is one query, whatever the number of people.
The person lines and their spreading are ``sales_kpi_plan_line.py``.
"""

from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..engine import kpi

# a plan's level (sales_kpi_plan_level.py), lowest first
PLAN_LEVELS = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]
LEVEL_RANK = {level: rank for rank, (level, _label) in enumerate(PLAN_LEVELS)}


def _month_start(day):
    return day.replace(day=1)


def _days_in_range(first_day, amounts, date_from, date_to):
    """(offset of the first, day targets) of a line's stored days that fall
    from ``date_from`` to ``date_to``; none for a range before or after it."""
    start = max((date_from - first_day).days, 0)
    stop = max((date_to - first_day).days + 1, 0)
    return start, amounts[start:stop]


def _lowest_level_days(rows):
    """``rows`` of (metric, user, first day, day targets, level) as
    (metric, user, first day, day targets), a day's target taken from the
    lowest level covering it: the days of a quarter or year line that a
    month line of the same person and metric covers count 0."""
    rows = sorted(rows, key=lambda row: LEVEL_RANK[row[4]])
    covered = defaultdict(dict)  # (metric, user) -> {day: rank of its lowest line}
    result = []
    for metric_id, user_id, first_day, amounts, level in rows:
        rank, days = LEVEL_RANK[level], covered[metric_id, user_id]
        amounts = list(amounts)
        for offset in range(len(amounts)):
            day = first_day + timedelta(days=offset)
            if days.get(day, rank) < rank:
                amounts[offset] = 0.0
            else:
                days[day] = rank
        result.append((metric_id, user_id, first_day, amounts))
    return result


class SalesKpiPlan(models.Model):
    _name = "sales.kpi.plan"
    _description = "KPI Plan"
    _inherit = ["mail.thread"]
    _order = "date_from desc, team_id, id"
    # The chatter tells every member's targets: it is read by who may change
    # the plan (its team's head, the director), not by the members, who read
    # their own targets only (models/mail_message.py lists it so).
    _sales_chatter_access = "write"

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

    @api.model
    def _get_mail_message_access(self, res_ids, operation, model_name=None):
        if operation == "read":
            return self._sales_chatter_access
        return super()._get_mail_message_access(res_ids, operation, model_name=model_name)

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
        each list on reading it). A day a month plan covers takes the month's
        target, not its quarter's or year's: see ``_lowest_level_days``."""
        if not users:
            return []
        # written, and spread again where working time changed, before reading
        self.env["sales.kpi.plan.line"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """SELECT metric_id, user_id, date_from, day_targets, plan_level
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
        if all(level == "month" for *_row, level in rows):
            return [row[:4] for row in rows]
        return _lowest_level_days(rows)
