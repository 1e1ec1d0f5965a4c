from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    sales_mentor_share = fields.Float(
        "Mentor share (% of the trainee's target bonus)",
        default=10.0,
        help="Each month a mentor earns this share of each trainee's target bonus, times the "
        "trainee's overall attainment of the month (capped like the trainee's bonus). "
        "0: mentors are not paid.",
    )

    @api.constrains("sales_mentor_share")
    def _check_sales_mentor_share(self):
        bad = self.filtered(lambda company: not 0 <= company.sales_mentor_share <= 100)
        if bad:
            raise ValidationError(
                "\n".join(
                    self.env._(
                        "%(company)s: the mentor share lies between 0%% and 100%% "
                        "(got %(share)s%%).",
                        company=company.display_name,
                        share=company.sales_mentor_share,
                    )
                    for company in bad
                )
            )
