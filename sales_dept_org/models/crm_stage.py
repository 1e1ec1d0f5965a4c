from odoo import fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    responsible_role = fields.Selection(
        [("hunter", "Hunter"), ("closer", "Closer"), ("farmer", "Farmer")],
        help="The sales role that owns leads in this stage. A lead entering the "
        "stage is handed to a team member with this role (role-split teams only).",
    )
