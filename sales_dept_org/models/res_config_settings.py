from odoo import api, fields, models

ABCXYZ_SETTINGS = (
    "abcxyz_a_limit",
    "abcxyz_b_limit",
    "abcxyz_x_limit",
    "abcxyz_y_limit",
    "abcxyz_window_months",
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_span_limit = fields.Integer(related="company_id.sales_span_limit", readonly=False)
    sales_span_mode = fields.Selection(related="company_id.sales_span_mode", readonly=False)
    sales_call_review_sample = fields.Integer(
        related="company_id.sales_call_review_sample", readonly=False
    )
    # Not related fields: those would write the company one field at a time and
    # the limits would be checked against a half-changed pair (A raised above
    # the old B before B itself is raised).
    abcxyz_a_limit = fields.Float("ABC: A up to (%)")
    abcxyz_b_limit = fields.Float("ABC: B up to (%)")
    abcxyz_x_limit = fields.Float("XYZ: X up to CV", digits=(16, 3))
    abcxyz_y_limit = fields.Float("XYZ: Y up to CV", digits=(16, 3))
    abcxyz_window_months = fields.Integer("ABC-XYZ window (months)")
    sales_board_attainment_cap = fields.Float(
        related="company_id.sales_board_attainment_cap", readonly=False
    )
    sales_payout_flag_percent = fields.Float(
        related="company_id.sales_payout_flag_percent", readonly=False
    )
    sales_plan_sum_check = fields.Selection(
        related="company_id.sales_plan_sum_check", readonly=False
    )
    sales_digest_morning = fields.Float(related="company_id.sales_digest_morning", readonly=False)
    sales_digest_checkin_1 = fields.Float(
        related="company_id.sales_digest_checkin_1", readonly=False
    )
    sales_digest_checkin_2 = fields.Float(
        related="company_id.sales_digest_checkin_2", readonly=False
    )
    sales_digest_checkin_3 = fields.Float(
        related="company_id.sales_digest_checkin_3", readonly=False
    )

    @api.model
    def get_values(self):
        values = super().get_values()
        company = self.env.company
        values.update({name: company[name] for name in ABCXYZ_SETTINGS})
        return values

    def set_values(self):
        result = super().set_values()
        values = {name: self[name] for name in ABCXYZ_SETTINGS}
        if any(self.company_id[name] != value for name, value in values.items()):
            self.company_id.write(values)
        return result

    def action_sales_create_default_schemes(self):
        return self.company_id.action_sales_create_default_schemes()
