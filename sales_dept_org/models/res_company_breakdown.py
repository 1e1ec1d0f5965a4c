from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    sales_breakdown_months = fields.Integer(
        "Plan breakdown history (months)",
        default=3,
        help="The whole months before the current one whose funnel gives the plan "
        "breakdown its conversion rates.",
    )

    @api.constrains("sales_breakdown_months")
    def _check_sales_breakdown_months(self):
        bad = self.filtered(lambda company: company.sales_breakdown_months < 1)
        if bad:
            raise ValidationError(
                self.env._(
                    "The plan breakdown needs at least one month of history: %s",
                    ", ".join(bad.mapped("name")),
                )
            )
