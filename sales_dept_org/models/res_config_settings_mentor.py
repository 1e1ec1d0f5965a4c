from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    sales_mentor_share = fields.Float(related="company_id.sales_mentor_share", readonly=False)
