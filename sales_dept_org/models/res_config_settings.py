from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_span_limit = fields.Integer(related="company_id.sales_span_limit", readonly=False)
    sales_span_mode = fields.Selection(related="company_id.sales_span_mode", readonly=False)
