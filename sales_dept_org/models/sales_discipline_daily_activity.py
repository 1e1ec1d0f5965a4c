"""The daily discipline job, activity part: the day that ended checked
against each role's activity norms (``sales_activity_norm.py``, the maths in
``engine/norms.py``). What fell short is counted on the person's row of that
day (``activity_shortfalls``, one per norm missed) with its reason, and costs
discipline points like the other counts (``engine/pay.py``).

Everyone in one pass: the calls and meetings from the stored facts in one
statement per distinct day (usually one), the working hours in one batch per
calendar, the rows in one search, one create and a write per changed row.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from ..engine import kpi, norms
from .sales_kpi_plan_line import EMPLOYEE_FIELDS

CALLS_METRIC = "sales_dept_org.kpi_metric_calls_made"
MEETINGS_METRIC = "sales_dept_org.kpi_metric_meetings_held"


class SalesDisciplineDaily(models.Model):
    _inherit = "sales.discipline.daily"  # pylint: disable=consider-merging-classes-inherited

    activity_shortfalls = fields.Integer(
        "Activity Norms Missed",
        aggregator="sum",
        help="Activity norms of the person's role missed that day (calls a day, calls an "
        "hour, meetings a week).",
    )
    activity_note = fields.Char(
        "Activity Short Of", help='What fell short of the norms, e.g. "Calls: 32 of 40".'
    )

    @api.model
    def _sales_check_activity(self, date=None):
        """Checks the day that ended in each company (``date`` sets one day
        for all) against the activity norms; safe to run twice."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search_fetch([("active", "in", (True, False))], ["resource_calendar_id", "partner_id"])
        )
        days = {
            company.id: date or company._sales_date() - timedelta(days=1) for company in companies
        }
        all_norms = (
            self.env["sales.activity.norm"].sudo().search([("company_id", "in", companies.ids)])
        )
        norm_of = {
            (norm.company_id.id, norm.sales_role): norms.Norm(
                norm.calls_per_day, norm.calls_per_hour, norm.meetings_per_week
            )
            for norm in all_norms
        }
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search_fetch(
                [
                    ("company_id", "in", all_norms.company_id.ids),
                    ("sales_role", "in", list(set(all_norms.mapped("sales_role")))),
                    ("user_id", "!=", False),
                ],
                ["sales_role", *EMPLOYEE_FIELDS],
            )
        )
        by_day = defaultdict(lambda: self.env["hr.employee"])
        for employee in employees:
            if (employee.company_id.id, employee.sales_role) in norm_of:
                by_day[days[employee.company_id.id]] |= employee
        results = {}
        for day, people in by_day.items():
            results.update(self._sales_activity_shortfalls(day, people, norm_of))
        return self._sales_write_activity(results)

    @api.model
    def _sales_activity_shortfalls(self, day, employees, norm_of):
        """{(day, user id, company id): [Shortfall]} of ``employees`` on ``day``."""
        week_from = kpi.week_start(day)
        keyed = {(employee.user_id.id, employee.company_id.id): employee for employee in employees}
        hours = self.env["resource.calendar"]._sales_working_hours(
            {key: employee.company_id for key, employee in keyed.items()},
            week_from,
            week_from + timedelta(days=6),
            keyed,
        )
        calls, meetings = (
            self.env.ref(xmlid, raise_if_not_found=False) or self.env["sales.kpi.metric"]
            for xmlid in (CALLS_METRIC, MEETINGS_METRIC)
        )
        facts = (calls | meetings).sudo()._read_fact_parts(employees.user_id, week_from, day, True)
        week_meetings = defaultdict(float)
        for (metric_id, user_id, _day), (amount, _count) in facts.items():
            if metric_id == meetings.id:
                week_meetings[user_id] += amount
        result = {}
        for (user_id, company_id), employee in keyed.items():
            week_hours = {
                week_from + timedelta(days=offset): hours[user_id, company_id].get(
                    week_from + timedelta(days=offset), 0.0
                )
                for offset in range(7)
            }
            result[day, user_id, company_id] = norms.shortfalls(
                norm_of[company_id, employee.sales_role],
                day,
                int(facts.get((calls.id, user_id, day), (0.0, 0))[0]),
                week_hours[day],
                int(week_meetings[user_id]),
                norms.last_working_day(week_hours),
            )
        return result

    @api.model
    def _sales_write_activity(self, results):
        """Writes ``results`` ({(day, user id, company id): [Shortfall]}) on the
        rows of those days: a row is created only for a shortfall, a row
        checked again without one is cleared."""
        existing = self.search(
            [
                ("date", "in", list({day for day, _user, _company in results})),
                ("user_id", "in", list({user for _day, user, _company in results})),
            ]
        )
        by_key = {(row.date, row.user_id.id): row for row in existing}
        users = self.env["res.users"].browse({user for _day, user, _company in results})
        teams = users._sales_team_by_user()
        to_create, created = [], set()
        for (day, user_id, company_id), missed in results.items():
            values = {
                "activity_shortfalls": len(missed),
                "activity_note": "; ".join(self._sales_shortfall_text(item) for item in missed)
                or False,
            }
            row = by_key.get((day, user_id))
            if row:
                if row.activity_shortfalls != values["activity_shortfalls"] or (
                    row.activity_note != values["activity_note"]
                ):
                    row.write(values)
            elif missed and (day, user_id) not in created:  # one row per person and day
                created.add((day, user_id))
                to_create.append(
                    dict(
                        values,
                        date=day,
                        user_id=user_id,
                        company_id=company_id,
                        team_id=teams.get(user_id, self.env["crm.team"]).id,
                    )
                )
        return self.create(to_create) | existing

    @api.model
    def _sales_shortfall_text(self, shortfall):
        figures = {"done": shortfall.done, "norm": shortfall.norm}
        if shortfall.kind == "calls":
            return self.env._("Calls: %(done)s of %(norm)s", **figures)
        if shortfall.kind == "calls_per_hour":
            return self.env._("Calls per hour: %(done)s of %(norm)s", **figures)
        return self.env._("Meetings this week: %(done)s of %(norm)s", **figures)
