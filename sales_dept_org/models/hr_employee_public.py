from odoo import fields, models

from .hr_employee import SALES_ROLES


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    # Colleagues (the board, the team form) read roles without HR rights.
    sales_role = fields.Selection(SALES_ROLES, readonly=True)
    sales_team_id = fields.Many2one("crm.team", readonly=True)
