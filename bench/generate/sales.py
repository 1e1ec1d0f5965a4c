"""Quotations and sale orders with lines, over product categories.

Every won lead has its confirmed order (the closer's first sale); leads in
the last open stage with a customer have a quotation (draft or sent); farmers
add repeat orders for their customers (one per ten leads) over the whole
history. One to three lines per order. ``bench_order`` and
``bench_order_line`` keep the story for the invoice step. Each company gets
its own ORM-made template order (pricelist, company fields).
"""

from odoo import Command
from odoo.tools import SQL

from ..sizes import HISTORY_DAYS
from . import bulk, step

REPEAT_ORDERS_PER_LEAD = 0.1
CATALOGUE = {
    "Pompy ciepła": [("Pompa ciepła 8 kW", 21000), ("Pompa ciepła 12 kW", 28000),
                     ("Pompa ciepła 16 kW", 36000), ("Zasobnik c.w.u. 300 l", 6500)],
    "Kotły": [("Kocioł gazowy 24 kW", 9800), ("Kocioł kondensacyjny 35 kW", 14500),
              ("Kocioł na pellet 20 kW", 17500), ("Sterownik kotła", 1200)],
    "Rury i złączki": [("Rura PEX 16 mm – 200 m", 900), ("Złączka zaprasowywana 16 mm", 12),
                       ("Rura miedziana 22 mm – 5 m", 310), ("Kolano 90° 22 mm", 9)],
    "Armatura": [("Zawór termostatyczny", 85), ("Bateria łazienkowa", 450),
                 ("Zawór kulowy 1 cal", 60), ("Grzejnik płytowy 600x1000", 520)],
    "Usługi": [("Montaż pompy ciepła", 6000), ("Przegląd kotła", 350),
               ("Projekt instalacji", 2500), ("Serwis roczny", 1900)],
}  # fmt: skip


@step("sales")
def sales(gen):
    env, cr = gen.env, gen.cr
    products = _products(env)
    templates = _templates(gen, products[0])
    orders = _order_table(gen, templates)
    lines = _line_table(gen, products)
    bulk.clone(
        cr, "sale_order", SQL("o.template_id"), SQL("bench_order o"),
        {"id": SQL("o.id"), "name": SQL("o.name"), "company_id": SQL("o.company_id"),
         "partner_id": SQL("o.partner_id"), "partner_invoice_id": SQL("o.partner_id"),
         "partner_shipping_id": SQL("o.partner_id"), "user_id": SQL("o.user_id"),
         "team_id": SQL("o.team_id"), "opportunity_id": SQL("o.lead_id"),
         "state": SQL("o.state"), "date_order": SQL("o.date_order"),
         "validity_date": SQL("(o.date_order + interval '30 days')::date"),
         "invoice_status": SQL("CASE WHEN o.state <> 'sale' THEN 'no' WHEN o.invoiced "
                               "THEN 'invoiced' ELSE 'to invoice' END"),
         "amount_untaxed": SQL("o.amount"), "amount_total": SQL("o.amount"),
         "source_id": SQL("o.source_id"), "medium_id": SQL("o.medium_id"),
         "origin": SQL("o.origin"), "access_token": None,
         "create_date": SQL("o.date_order"), "write_date": SQL("o.date_order"),
         "create_uid": SQL("o.user_id"), "write_uid": SQL("o.user_id")},
    )  # fmt: skip
    state = SQL("o.state")
    invoiced_qty = SQL("CASE WHEN o.invoiced THEN l.qty ELSE 0 END")
    bulk.clone(
        cr, "sale_order_line", SQL("o.template_line_id"),
        SQL("bench_order_line l JOIN bench_order o ON o.n = l.order_n "
            "JOIN product_product p ON p.id = l.product_id "
            "JOIN product_template pt ON pt.id = p.product_tmpl_id"),
        {"id": SQL("l.id"), "order_id": SQL("o.id"), "sequence": SQL("10 + l.k"),
         "company_id": SQL("o.company_id"), "order_partner_id": SQL("o.partner_id"),
         "salesman_id": SQL("o.user_id"), "product_id": SQL("l.product_id"),
         "name": SQL("pt.name->>'en_US'"), "state": state,
         "product_uom_qty": SQL("l.qty"), "price_unit": SQL("l.price"),
         "technical_price_unit": SQL("l.price"),
         "price_subtotal": SQL("l.subtotal"), "price_total": SQL("l.subtotal"),
         "price_reduce_taxexcl": SQL("l.price"), "price_reduce_taxinc": SQL("l.price"),
         "qty_delivered": invoiced_qty, "qty_invoiced": invoiced_qty,
         "qty_to_invoice": SQL("CASE WHEN o.state = 'sale' AND NOT o.invoiced THEN l.qty "
                               "ELSE 0 END"),
         "untaxed_amount_invoiced": SQL("CASE WHEN o.invoiced THEN l.subtotal ELSE 0 END"),
         "untaxed_amount_to_invoice": SQL("CASE WHEN o.state = 'sale' AND NOT o.invoiced "
                                          "THEN l.subtotal ELSE 0 END"),
         "invoice_status": SQL("CASE WHEN o.state <> 'sale' THEN 'no' WHEN o.invoiced "
                               "THEN 'invoiced' ELSE 'to invoice' END"),
         "create_date": SQL("o.date_order"), "write_date": SQL("o.date_order"),
         "create_uid": SQL("o.user_id"), "write_uid": SQL("o.user_id")},
    )  # fmt: skip
    # the next order the ORM creates continues the numbering
    sequence = env["ir.sequence"].search([("code", "=", "sale.order")])
    sequence.write({"number_next": _numbered_orders(cr) + 1})
    gen.state["order_templates"] = templates
    gen.log(f"{orders:,} quotations and orders with {lines:,} lines")


def _products(env):
    parent = env.ref("product.product_category_all")
    products = env["product.product"]
    for category_name, items in CATALOGUE.items():
        category = env["product.category"].create({"name": category_name, "parent_id": parent.id})
        products |= env["product.product"].create(
            [{"name": name, "categ_id": category.id, "list_price": price,
              "type": "service" if category_name == "Usługi" else "consu",
              "invoice_policy": "order", "taxes_id": [Command.clear()]}
             for name, price in items]
        )  # fmt: skip
    return products


def _templates(gen, product):
    """One confirmed, invoiced and paid order per company, made by the ORM: the
    rows the sales and invoice steps copy. Returns their ids by company."""
    env, templates = gen.env, {}
    for company_id in gen.state["company_ids"]:
        company_env = env(context=dict(env.context, allowed_company_ids=[company_id]))
        customer = company_env["res.partner"].search(
            [("company_id", "=", company_id), ("customer_rank", ">", 0)], limit=1
        )
        order = company_env["sale.order"].create(
            {"partner_id": customer.id, "company_id": company_id,
             "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]}
        )  # fmt: skip
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        payment = (
            company_env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
            ._create_payments()
        )
        templates[str(company_id)] = _template_rows(order, invoice, payment)
    env.flush_all()
    return templates


def _template_rows(order, invoice, payment):
    """Ids of every row of the template order's story, by role."""
    lines, payment_lines = invoice.line_ids, payment.move_id.line_ids
    return {
        "order": order.id,
        "order_line": order.order_line.id,
        "invoice": invoice.id,
        "invoice_product_line": lines.filtered(lambda line: line.display_type == "product").id,
        "invoice_receivable_line": lines.filtered(
            lambda line: line.display_type == "payment_term"
        ).id,
        "payment": payment.id,
        "payment_move": payment.move_id.id,
        "payment_liquidity_line": payment_lines.filtered(
            lambda line: line.account_id == payment.outstanding_account_id
        ).id,
        "payment_counterpart_line": payment_lines.filtered(
            lambda line: line.account_id == payment.destination_account_id
        ).id,
        "partial": lines.matched_credit_ids.id,
        "full": lines.full_reconcile_id.id,
    }


def _order_table(gen, templates):
    cr, sizes = gen.cr, gen.sizes
    customer_first, customers = gen.state["customers"]
    stages = gen.env["crm.stage"].search([("is_won", "=", False), ("team_id", "=", False)])
    open_stages = len(stages)
    template_ids = [(int(company), ids["order"], ids["order_line"])
                    for company, ids in templates.items()]  # fmt: skip
    r = bulk.rand
    cr.execute(
        SQL(
            """CREATE TABLE bench_order AS
               WITH story AS (
                   SELECT 'won' AS kind, l.i AS k, l.id AS lead_id, l.customer_id AS partner_id,
                          l.closer_id AS user_id, l.team_idx, l.closed AS date_order,
                          'sale' AS state
                     FROM bench_lead l WHERE l.outcome = 'won'
                   UNION ALL
                   SELECT 'quote', l.i, l.id, l.customer_id, l.closer_id, l.team_idx,
                          LEAST(l.created + interval '7 days', bench_now()),
                          CASE WHEN %(r_sent)s < 0.5 THEN 'draft' ELSE 'sent' END
                     FROM bench_lead l
                    WHERE l.outcome = 'open' AND l.stage_pos = %(last_open)s
                      AND l.customer_id IS NOT NULL
                   UNION ALL
                   SELECT 'repeat', g, NULL, c.id, c.user_id,
                          mod(c.id - %(customer_first)s, %(teams)s),
                          date_trunc('second', bench_now() - make_interval(
                              days => floor(%(r_day)s * %(history)s)::int,
                              secs => floor(%(r_sec)s * 86400)::int)),
                          'sale'
                     FROM generate_series(0, %(repeats)s - 1) AS g
                     JOIN res_partner c ON c.id = %(customer_first)s + mod(g * 7919, %(customers)s)
               )
               SELECT s.*, s.n AS id, t.company_id, t.team_id, tpl.template_id,
                      tpl.template_line_id,
                      'S' || lpad((n + %(numbered)s + 1)::text,
                                  GREATEST(5, length((n + %(numbered)s + 1)::text)), '0') AS name,
                      lead.source_id, lead.medium_id, NULL::varchar AS origin,
                      1 + floor(%(r_lines)s * 3)::int AS lines,
                      -- invoiced: most orders confirmed three days ago or more
                      s.state = 'sale' AND %(r_invoiced)s < 0.85
                          AND s.date_order < bench_now() - interval '3 days'
                          AS invoiced,
                      0::numeric AS amount
                 FROM (SELECT row_number() OVER (ORDER BY date_order, kind, k) - 1 AS n, story.*
                         FROM story) s
                 JOIN bench_team t ON t.team_idx = s.team_idx
                 JOIN (SELECT unnest(%(companies)s::integer[]) AS company_id,
                              unnest(%(orders)s::integer[]) AS template_id,
                              unnest(%(lines)s::integer[]) AS template_line_id) tpl
                   ON tpl.company_id = t.company_id
                 LEFT JOIN crm_lead lead ON lead.id = s.lead_id""",
            r_sent=r(SQL("l.i"), 50), last_open=open_stages - 1,
            customer_first=customer_first, customers=customers, teams=sizes.teams,
            r_day=r(SQL("g"), 51), r_sec=r(SQL("g"), 52), history=HISTORY_DAYS,
            repeats=max(1, int(sizes.leads * REPEAT_ORDERS_PER_LEAD)),
            r_lines=r(SQL("n"), 53), r_invoiced=r(SQL("n"), 54),
            numbered=_numbered_orders(cr),
            companies=[c for c, _o, _l in template_ids],
            orders=[o for _c, o, _l in template_ids],
            lines=[line for _c, _o, line in template_ids],
        )
    )  # fmt: skip
    count = cr.rowcount
    first = bulk.reserve_ids(cr, "sale_order", count)
    cr.execute(SQL("UPDATE bench_order SET id = id + %s", first))
    cr.execute(SQL("ALTER TABLE bench_order ADD PRIMARY KEY (n)"))
    return count


def _numbered_orders(cr):
    """Orders already numbered (the templates, then ours): names go on from there."""
    cr.execute(SQL("SELECT count(*) FROM sale_order"))
    return cr.fetchone()[0]


def _line_table(gen, products):
    cr = gen.cr
    r = bulk.rand
    row = SQL("(o.n * 3 + g.line_no)")
    cr.execute(
        SQL(
            """CREATE TABLE bench_order_line AS
               SELECT o.n AS order_n, g.line_no AS k,
                      row_number() OVER (ORDER BY o.n, g.line_no) - 1 AS m,
                      p.product_id, 1 + floor(%(r_qty)s * 10)::int AS qty,
                      round((p.price * (0.9 + %(r_price)s * 0.3))::numeric, 2) AS price
                 FROM bench_order o, generate_series(0, o.lines - 1) AS g(line_no),
                      LATERAL (SELECT 1 + floor(%(r_product)s * %(count)s)::int AS pos) pick,
                      LATERAL (SELECT (%(ids)s::integer[])[pick.pos] AS product_id,
                                      (%(prices)s::numeric[])[pick.pos] AS price) p""",
            r_qty=r(row, 60), r_price=r(row, 61), r_product=r(row, 62),
            ids=products.ids, prices=products.mapped("list_price"), count=len(products),
        )
    )  # fmt: skip
    count = cr.rowcount
    first = bulk.reserve_ids(cr, "sale_order_line", count)
    cr.execute(
        SQL(
            """ALTER TABLE bench_order_line ADD COLUMN id integer, ADD COLUMN subtotal numeric;
               UPDATE bench_order_line SET id = %s + m, subtotal = qty * price;
               UPDATE bench_order o SET amount = s.amount
                 FROM (SELECT order_n, sum(subtotal) AS amount FROM bench_order_line
                        GROUP BY order_n) s
                WHERE s.order_n = o.n""",
            first,
        )
    )
    return count
