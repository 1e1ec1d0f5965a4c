"""sale.order: what the KPI facts read of an order. Whether it is the
customer's first purchase ("new customers") or a repeat one, how long the
customer had been buying then ("customer retention"), and who brought it (the
closer credited with a new customer).

The first purchase of a customer depends on all its confirmed orders: an
earlier order confirmed later, or the first one cancelled, changes the others.
A write that confirms, cancels, re-dates or moves orders to another customer
recomputes the orders of the customers concerned and stores again the KPI
facts of the days that changed (``sales.kpi.fact._restore_days``).
"""

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

# what decides a customer's first purchase
FIRST_PURCHASE_FIELDS = ("state", "date_order", "partner_id")
FIRST_PURCHASE_RESULTS = ("is_first_purchase", "sales_customer_days")


def first_orders(customers_clause):
    """The query of each customer's first confirmed order (earliest date, then
    lowest id): (customer, id, date_order), for the customers
    ``customers_clause`` (on ``partner``) keeps."""
    return SQL(
        """SELECT DISTINCT ON (partner.commercial_partner_id)
                  partner.commercial_partner_id AS customer, sale.id, sale.date_order
             FROM sale_order sale
             JOIN res_partner partner ON partner.id = sale.partner_id
            WHERE sale.state = 'sale' AND %s
         ORDER BY partner.commercial_partner_id, sale.date_order, sale.id""",
        customers_clause,
    )


class SaleOrder(models.Model):
    _inherit = "sale.order"

    is_first_purchase = fields.Boolean(
        compute="_compute_is_first_purchase",
        store=True,
        help="The customer's first confirmed order ever (the 'new customers' "
        "metric): the earliest by order date, then the lowest number; its later "
        "orders are repeat purchases.",
    )
    sales_customer_days = fields.Integer(
        "Customer For (days)",
        compute="_compute_is_first_purchase",
        store=True,
        aggregator="avg",
        help="Whole days from the customer's first purchase to this confirmed order "
        "(0 for the first one): how long the customer has been buying.",
    )
    closer_user_id = fields.Many2one(
        "res.users",
        string="Closer",
        compute="_compute_closer_user_id",
        store=True,
        index="btree_not_null",
        help="Who brought the sale: the closer of its opportunity (who won it), "
        "else the order's salesperson.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        confirmed = orders.filtered(lambda order: order.state == "sale")
        if confirmed:
            confirmed._sales_first_purchases_changed(confirmed.partner_id.commercial_partner_id, {})
        return orders

    def write(self, vals):
        if not set(FIRST_PURCHASE_FIELDS) & set(vals):
            return super().write(vals)
        customers = self.partner_id.commercial_partner_id
        before = self._sales_first_purchase_snapshot()
        result = super().write(vals)
        customers |= self.partner_id.commercial_partner_id
        self._sales_first_purchases_changed(customers, before)
        return result

    @api.depends("state", "date_order", "partner_id.commercial_partner_id")
    def _compute_is_first_purchase(self):
        """Read from the database for the customers of ``self`` (their other
        orders included), so that any batch gets the same answer."""
        confirmed = self.filtered(lambda order: order.state == "sale")
        first = self._sales_first_purchase_by_customer(confirmed.partner_id.commercial_partner_id)
        for order in self:
            first_id, first_date = first.get(order.partner_id.commercial_partner_id.id, (0, 0))
            is_confirmed = order in confirmed and bool(first_date)
            order.is_first_purchase = is_confirmed and order._origin.id == first_id
            order.sales_customer_days = (
                max((order.date_order - first_date).days, 0) if is_confirmed else 0
            )

    @api.depends("user_id", "opportunity_id.closer_user_id")
    def _compute_closer_user_id(self):
        for order in self:
            order.closer_user_id = order.opportunity_id.closer_user_id or order.user_id

    def _auto_init(self):
        """New columns of existing orders are filled in one statement each:
        the ORM would recompute them record by record (hours on a large
        history)."""
        cr = self.env.cr
        new = {
            name: column_type
            for name, column_type in (
                ("sales_customer_days", "int4"),
                ("closer_user_id", "int4"),
            )
            if not column_exists(cr, self._table, name)
        }
        for name, column_type in new.items():
            create_column(cr, self._table, name, column_type)
        result = super()._auto_init()
        if "sales_customer_days" in new:
            self._fill_first_purchases()
        if "closer_user_id" in new:
            self._fill_closer_user_id()
        return result

    def _fill_first_purchases(self):
        """Every order's first purchase and customer days, in one UPDATE; the
        number of orders whose values changed is in ``cr.rowcount``."""
        self.env.cr.execute(
            SQL(
                """WITH first AS (%s), computed AS (
                       SELECT sale.id,
                              sale.state = 'sale' AND sale.id IS NOT DISTINCT FROM first.id
                                  AS is_first,
                              CASE WHEN sale.state = 'sale' THEN GREATEST(
                                   EXTRACT(DAY FROM sale.date_order - first.date_order)::integer, 0)
                                   ELSE 0 END AS days
                         FROM sale_order sale
                         JOIN res_partner partner ON partner.id = sale.partner_id
                         LEFT JOIN first ON first.customer = partner.commercial_partner_id
                   )
                   UPDATE sale_order sale
                      SET is_first_purchase = computed.is_first,
                          sales_customer_days = computed.days
                     FROM computed
                    WHERE computed.id = sale.id
                      AND (sale.is_first_purchase IS DISTINCT FROM computed.is_first
                           OR sale.sales_customer_days IS DISTINCT FROM computed.days)""",
                first_orders(SQL("TRUE")),
            )
        )

    def _fill_closer_user_id(self):
        closer = (
            SQL("lead.closer_user_id")
            if column_exists(self.env.cr, "crm_lead", "closer_user_id")
            else SQL("NULL::integer")
        )
        self.env.cr.execute(
            SQL(
                """UPDATE sale_order sale
                      SET closer_user_id = COALESCE(%s, sale.user_id)
                     FROM sale_order this
                     LEFT JOIN crm_lead lead ON lead.id = this.opportunity_id
                    WHERE this.id = sale.id""",
                closer,
            )
        )

    # ------------------------------------------------------------------
    # the customers' first purchases
    # ------------------------------------------------------------------
    @api.model
    def _sales_first_purchase_by_customer(self, customers):
        """{commercial partner id: (order id, order date)} of each customer's
        first confirmed order (earliest date, then lowest id), in one query."""
        if not customers:
            return {}
        self.flush_model(["state", "date_order", "partner_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        rows = self.env.execute_query(
            first_orders(SQL("partner.commercial_partner_id IN %s", tuple(customers.ids)))
        )
        return {customer: (order_id, date_order) for customer, order_id, date_order in rows}

    def _sales_first_purchase_snapshot(self):
        """{order id: (first purchase, customer days, company day)} as stored now."""
        return {
            order.id: (
                *(order[name] for name in FIRST_PURCHASE_RESULTS),
                order._sales_day(),
            )
            for order in self.sudo()
        }

    def _sales_day(self):
        self.ensure_one()
        if not self.date_order:
            return None
        company = self.company_id or self.user_id.company_id or self.env.company
        return company._sales_date(self.date_order)

    def _sales_first_purchases_changed(self, customers, before):
        """After ``self`` was confirmed, cancelled, re-dated or moved: the
        confirmed orders of ``customers`` are computed again, and the stored
        KPI facts of the days whose orders changed (those of ``self``, before
        and after, and those of the others whose status changed) are stored
        again. ``before``: the snapshot of ``self`` before the write."""
        others = (
            self.sudo().search(
                [("partner_id.commercial_partner_id", "in", customers.ids), ("state", "=", "sale")]
            )
            - self
        )
        before = {**before, **others._sales_first_purchase_snapshot()}
        for name in FIRST_PURCHASE_RESULTS:
            self.env.add_to_compute(self._fields[name], others)
        after = (self.sudo() | others)._sales_first_purchase_snapshot()
        days = {after[order.id][2] for order in self}
        days.update(before[order.id][2] for order in self if order.id in before)
        days.update(
            after[order.id][2] for order in others if after[order.id][:2] != before[order.id][:2]
        )
        self.env["sales.kpi.fact"]._restore_days(self._name, days)
