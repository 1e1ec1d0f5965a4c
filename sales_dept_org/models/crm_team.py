from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    sales_task_mode = fields.Selection(
        [("off", "Off"), ("warn", "Warn"), ("enforce", "Enforce")],
        "Mandatory Task",
        default="warn",
        required=True,
        help="No deal without a next step. Off: nothing. Warn: new leads get a first "
        "task and leads without one are flagged and counted. Enforce: also, a lead "
        "cannot change stage without a planned activity, and marking its last "
        "activity done schedules the next step.",
    )
