"""KPI columns the ORM would have computed: a customer's first confirmed order,
the date money arrived.

``sale_order.is_first_purchase`` is stored and computed at confirmation; the
bulk-loaded orders copied it from their template, so it is set here in one
UPDATE: the earliest confirmed order (by date, then id) of each commercial
partner is the first purchase, every later one a repeat.
``account_partial_reconcile.credit_date`` (the payment's date, "Payments
received" reads it) was copied from the template reconciliation as well: the
addon's own install back-fill sets it.
"""

from odoo.tools import SQL
from odoo.tools.sql import column_exists

from . import step


def _has_column(table, column):
    return lambda gen: column_exists(gen.cr, table, column)


@step("kpi_first_purchase", version=1, applies=_has_column("sale_order", "is_first_purchase"))
def kpi_first_purchase(gen):
    gen.cr.execute(
        SQL(
            """UPDATE sale_order o
                  SET is_first_purchase = (o.state = 'sale' AND first.id IS NOT NULL)
                 FROM sale_order o2
                 LEFT JOIN (
                     SELECT DISTINCT ON (p.commercial_partner_id) s.id
                       FROM sale_order s JOIN res_partner p ON p.id = s.partner_id
                      WHERE s.state = 'sale'
                      ORDER BY p.commercial_partner_id, s.date_order, s.id
                 ) first ON first.id = o2.id
                WHERE o2.id = o.id"""
        )
    )
    gen.log(f"{gen.cr.rowcount:,} orders marked first or repeat purchase")


@step(
    "kpi_credit_date",
    version=1,
    applies=_has_column("account_partial_reconcile", "credit_date"),
)
def kpi_credit_date(gen):
    partials = gen.env["account.partial.reconcile"]
    partials._fill_credit_date()
    gen.log(f"{gen.cr.rowcount:,} reconciliations dated by their payment")
    partials.invalidate_model(["credit_date"])


@step(
    "kpi_credit",
    version=1,
    applies=_has_column("sales_lead_stage_log", "first_qualified"),
)
def kpi_credit(gen):
    """The columns the facts credit by contribution read, filled by the
    addon's own install back-fills: the stage log's milestones (the rows were
    inserted in bulk), the orders' closer and customer days, the invoices'
    payment date."""
    env = gen.env
    env["sales.lead.stage.log"]._mark_milestones_sql(SQL("TRUE"))
    gen.log(f"{gen.cr.rowcount:,} stage log rows marked as a hunter's milestone")
    env["sale.order"]._fill_closer_user_id()
    env["sale.order"]._fill_first_purchases()
    gen.log(f"{gen.cr.rowcount:,} orders with a new first purchase or customer days")
    env["account.move"]._fill_sales_paid()
    gen.log(f"{gen.cr.rowcount:,} invoices dated by their last payment")
    env.invalidate_all()
