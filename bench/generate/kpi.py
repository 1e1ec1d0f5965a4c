"""KPI columns the ORM would have computed: a customer's first confirmed order.

``sale_order.is_first_purchase`` is stored and computed at confirmation; the
bulk-loaded orders copied it from their template, so it is set here in one
UPDATE: the earliest confirmed order (by date, then id) of each commercial
partner is the first purchase, every later one a repeat.
"""

from odoo.tools import SQL

from . import step


def _has_column(gen):
    gen.cr.execute(
        SQL(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = 'sale_order' AND column_name = 'is_first_purchase'"
        )
    )
    return bool(gen.cr.fetchone())


@step("kpi_first_purchase", version=1, applies=_has_column)
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
