"""sales.activity.norm: how much a role does, per company: calls a day,
calls an hour, meetings a week. The daily discipline job checks the day that
ended against them (``sales_discipline_daily_activity.py``).

- Calls per day: the calls made on a working day (a day with working hours
  in the person's calendar, holidays and leaves taken off).
- Calls per hour: the calls of that day divided by its working hours (a
  4-hour day with 30 calls makes 7.5 an hour).
- Meetings per week: the meetings held from Monday to the person's last
  working day of the week, checked on that day (a week across two months
  counts its days of both).

A norm of 0 is not checked; a role without a norm in a company is not
checked there.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .hr_employee import SALES_ROLES

# roles that sell (the head leads the team)
NORM_ROLES = [(role, label) for role, label in SALES_ROLES if role != "head"]


class SalesActivityNorm(models.Model):
    _name = "sales.activity.norm"
    _description = "Activity Norm"
    _order = "company_id, sales_role"
    _rec_name = "sales_role"

    _sql_constraints = [
        (
            "company_role_unique",
            "UNIQUE(company_id, sales_role)",
            "One activity norm per role and company.",
        ),
    ]

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    sales_role = fields.Selection(NORM_ROLES, string="Role", required=True)
    calls_per_day = fields.Integer(help="Calls made on a working day. 0: not checked.")
    calls_per_hour = fields.Float(
        digits=(16, 1),
        help="Calls of a working day divided by its working hours. 0: not checked.",
    )
    meetings_per_week = fields.Integer(
        help="Meetings held from Monday to the last working day of the week. 0: not checked."
    )

    @api.constrains("calls_per_day", "calls_per_hour", "meetings_per_week")
    def _check_amounts(self):
        negative = self.filtered(
            lambda norm: min(norm.calls_per_day, norm.calls_per_hour, norm.meetings_per_week) < 0
        )
        if negative:
            labels = dict(self._fields["sales_role"]._description_selection(self.env))
            raise ValidationError(
                self.env._(
                    "Activity norms cannot be negative: %s",
                    ", ".join(
                        f"{norm.company_id.name} / {labels[norm.sales_role]}" for norm in negative
                    ),
                )
            )
