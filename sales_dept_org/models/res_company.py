from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_span_limit = fields.Integer(
        string="Span of Control",
        default=7,
        help="Most salespeople one head of sales may lead (the article: 6-7).",
    )
    sales_span_mode = fields.Selection(
        [("refuse", "Refuse"), ("warn", "Warn")],
        string="Span of Control Breach",
        default="refuse",
        required=True,
        help="Refuse: adding a salesperson over the limit is blocked. "
        "Warn: it is allowed and logged on the team.",
    )

    @api.constrains("sales_span_limit")
    def _check_sales_span_limit(self):
        wrong = self.filtered(lambda company: company.sales_span_limit < 1)
        if wrong:
            raise ValidationError(
                self.env._(
                    "The span of control must be at least 1: %(companies)s.",
                    companies=", ".join(
                        f"{company.name} ({company.sales_span_limit})" for company in wrong
                    ),
                )
            )
