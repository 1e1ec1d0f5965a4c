from odoo import fields, models

SALES_ROLES = [
    ("hunter", "Hunter"),
    ("closer", "Closer"),
    ("farmer", "Farmer"),
    ("head", "Head of Sales"),
    ("universal", "Universal"),
]


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    sales_role = fields.Selection(
        SALES_ROLES,
        tracking=True,
        help="Hunter: finds and qualifies cold leads and books the meeting. "
        "Closer: turns a qualified lead into the first sale. "
        "Farmer: keeps the customer (repeat, up- and cross-sales). "
        "Head of Sales: leads a team. "
        "Universal: runs the whole cycle alone.",
    )

    # SPEC §8: a trainee's plan is scaled down until the adaptation ends.
    is_trainee = fields.Boolean(
        tracking=True, help="Carries a scaled target until the adaptation ends."
    )
    mentor_id = fields.Many2one("hr.employee", tracking=True)
    adaptation_end_date = fields.Date(
        tracking=True, help="Last day on which the trainee's targets are scaled down."
    )
