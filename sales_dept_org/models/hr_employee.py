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
