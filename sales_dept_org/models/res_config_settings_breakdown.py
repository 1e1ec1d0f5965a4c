from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    sales_breakdown_months = fields.Integer(
        related="company_id.sales_breakdown_months", readonly=False
    )
