from odoo import fields, models

from .hr_employee import SALES_ROLES


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    # Colleagues (the board, the team form) read roles without HR rights.
    sales_role = fields.Selection(SALES_ROLES, readonly=True)
    sales_team_id = fields.Many2one("crm.team", readonly=True)
    is_trainee = fields.Boolean(readonly=True)
    mentor_id = fields.Many2one("hr.employee.public", readonly=True)
    adaptation_end_date = fields.Date(readonly=True)
    adaptation_started_on = fields.Date("Adaptation plan started", readonly=True)
