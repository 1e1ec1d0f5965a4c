from odoo import models

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
