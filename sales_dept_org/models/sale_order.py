from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    is_first_purchase = fields.Boolean(
        compute="_compute_is_first_purchase",
        store=True,
        help="The customer's first confirmed order ever (the 'new customers' "
        "metric); their later orders are repeat purchases. Set when the order "
        "is confirmed.",
    )

    @api.depends("state")
    def _compute_is_first_purchase(self):
        confirmed = self.filtered(lambda order: order.state == "sale")
        (self - confirmed).is_first_purchase = False
        if not confirmed:
            return
        # the earliest confirmed date of each customer, for the whole batch at once
        customers = confirmed.partner_id.commercial_partner_id
        firsts = self.sudo()._read_group(
            [("state", "=", "sale"), ("partner_id.commercial_partner_id", "in", customers.ids)],
            ["partner_id"],
            ["date_order:min"],
        )
        earliest = {}
        for partner, date_order in firsts:
            customer = partner.commercial_partner_id.id
            earliest[customer] = min(earliest.get(customer, date_order), date_order)
        # orders confirmed together on the same instant: the lowest id is first
        taken = set()
        for order in confirmed.sorted(lambda order: (order.date_order, order.id)):
            customer = order.partner_id.commercial_partner_id.id
            order.is_first_purchase = (
                customer not in taken and order.date_order <= earliest[customer]
            )
            taken.add(customer)
