from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, models

# what changes the working hours of a calendar's days, besides its attendances
HOURS_FIELDS = ("tz", "two_weeks_calendar")


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        if any(name in vals for name in HOURS_FIELDS):
            self._respread_kpi_targets()
        return result

    def _respread_kpi_targets(self):
        """The targets of people who may work to these calendars."""
        if not self:
            return
        domain = []
        if all(self.sudo().mapped("company_id")):
            domain.append(("company_id", "in", self.sudo().company_id.ids))
        self.env["sales.kpi.plan.line"]._respread_not_over(domain)

    @api.model
    def _sales_working_hours(self, people, date_from, date_to, employees):
        """{(user_id, company_id): {day: hours}} from each person's calendar
        with public holidays and leaves taken off, from ``date_from`` to
        ``date_to``; one batch per calendar. People without an employee work
        to their company's calendar. ``people``: {(user_id, company_id):
        company}; ``employees``: {(user_id, company_id): employee}. What KPI
        targets are spread by and activity norms are checked against."""
        by_calendar = defaultdict(list)
        for key, company in people.items():
            employee = employees.get(key)
            calendar = (employee and employee.resource_calendar_id) or company.resource_calendar_id
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
