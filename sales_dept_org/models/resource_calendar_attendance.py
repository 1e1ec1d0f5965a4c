from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.calendar_id._respread_kpi_targets()
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        result = super().write(vals)
        (calendars | self.calendar_id)._respread_kpi_targets()
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        calendars.exists()._respread_kpi_targets()
        return result
