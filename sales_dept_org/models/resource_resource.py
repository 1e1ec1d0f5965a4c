from odoo import models

# what changes the working hours of a person
HOURS_FIELDS = ("calendar_id", "tz", "user_id")


class ResourceResource(models.Model):
    _inherit = "resource.resource"

    def write(self, vals):
        if not any(name in vals for name in HOURS_FIELDS):
            return super().write(vals)
        users = self.user_id
        result = super().write(vals)
        users |= self.user_id
        if users:
            self.env["sales.kpi.plan.line"]._respread_not_over([("user_id", "in", users.ids)])
        return result
