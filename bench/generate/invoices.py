"""Posted customer invoices of the invoiced orders, their payments and the
reconciliation between them.

An invoice follows its order within five days, falls due 30 days later and
mirrors the order lines (no taxes). About three in four are paid in full and
one in eight in part, within 50 days (never in the future), the rest stay
open: overdue or not yet due. Each payment is an ``account.payment`` with its
journal entry, reconciled with the invoice's receivable line by an
``account.partial.reconcile`` (and an ``account.full.reconcile`` when paid in
full), so "received on day X" (partials' ``max_date``, payments' ``date``)
and "due on day X" (open receivable lines by ``date_maturity``) both work.
At 1,000,000 leads: about 300,000 invoices.
"""

from odoo.tools import SQL

from . import bulk, step

FULLY_PAID = 0.75
PARTLY_PAID = 0.12


@step("invoices")
def invoices(gen):
    cr = gen.cr
    templates = gen.state["order_templates"]
    count = _invoice_table(gen, templates)
    paid = _payment_table(gen)
    # payments and their entries point at each other: load both, then check the
    # keys; journal items are loaded once for invoices and payments alike
    with (
        bulk.bulk_load(cr, "account_move"),
        bulk.bulk_load(cr, "account_payment"),
        bulk.bulk_load(cr, "account_move_line"),
    ):
        _full_reconciles(gen)
        _invoices(gen)
        _payments(gen)
    gen.log(f"{count:,} posted invoices, {paid:,} payments reconciled with them")


def _template_columns(templates, *roles):
    """A row source of the template ids per company: ``tpl.company_id``, ``tpl.<role>``."""
    companies = list(templates)
    return SQL(
        "(SELECT unnest(%s::integer[]) AS company_id, %s) tpl",
        [int(company) for company in companies],
        SQL(", ").join(
            SQL(
                "unnest(%s::integer[]) AS %s",
                [templates[company][role] for company in companies],
                SQL.identifier(role),
            )
            for role in roles
        ),
    )


def _invoice_table(gen, templates):
    cr, r = gen.cr, bulk.rand
    cr.execute(
        SQL(
            """CREATE TABLE bench_invoice AS
               SELECT row_number() OVER (ORDER BY day, order_n) - 1 AS n, i.*,
                      row_number() OVER (PARTITION BY company_id, extract(year FROM day)
                                         ORDER BY day, order_n) AS sequence_number,
                      CASE WHEN paid_day > bench_now()::date THEN 0
                           WHEN pay_draw < %(full)s THEN amount
                           WHEN pay_draw < %(full)s + %(partly)s
                           THEN round(amount * (0.3 + 0.4 * pay_draw)::numeric, 2)
                           ELSE 0 END AS paid
                 FROM (SELECT o.n AS order_n, o.id AS order_id, o.company_id, o.partner_id,
                              o.user_id, o.team_id, o.name AS origin, o.amount,
                              LEAST(bench_now()::date,
                                    o.date_order::date + floor(%(r_day)s * 5)::int) AS day,
                              %(r_pay)s AS pay_draw,
                              LEAST(bench_now()::date,
                                    o.date_order::date + floor(%(r_day)s * 5)::int)
                                  + floor(%(r_paid_day)s * 50)::int AS paid_day
                         FROM bench_order o WHERE o.invoiced) i""",
            full=FULLY_PAID, partly=PARTLY_PAID, r_day=r(SQL("o.n"), 70),
            r_pay=r(SQL("o.n"), 71), r_paid_day=r(SQL("o.n"), 72),
        )
    )  # fmt: skip
    count = cr.rowcount
    moves = bulk.reserve_ids(cr, "account_move", count)
    receivables = bulk.reserve_ids(cr, "account_move_line", count)
    cr.execute(
        SQL(
            """ALTER TABLE bench_invoice ADD COLUMN id integer, ADD COLUMN receivable_id integer,
                   ADD COLUMN name varchar, ADD COLUMN prefix varchar;
               UPDATE bench_invoice b
                  SET id = %(moves)s + n, receivable_id = %(receivables)s + n;
               ALTER TABLE bench_invoice ADD PRIMARY KEY (n)""",
            moves=moves, receivables=receivables,
        )
    )  # fmt: skip
    _number(cr, SQL("bench_invoice"), _template_columns(templates, "invoice"), "invoice")
    return count


def _payment_table(gen):
    """``bench_payment``: one payment per (partly) paid invoice, with the ids of
    its entry, its two lines and the reconciliation records."""
    cr = gen.cr
    templates = gen.state["order_templates"]
    cr.execute(
        SQL(
            """CREATE TABLE bench_payment AS
               SELECT row_number() OVER (ORDER BY paid_day, n) - 1 AS p, b.n AS invoice_n,
                      b.company_id,
                      b.paid_day AS day, b.paid AS amount, b.paid = b.amount AS in_full,
                      row_number() OVER (PARTITION BY b.company_id, extract(year FROM b.paid_day)
                                         ORDER BY paid_day, n) AS sequence_number
                 FROM bench_invoice b WHERE b.paid > 0"""
        )
    )
    count = cr.rowcount
    cr.execute(SQL("SELECT count(*) FROM bench_invoice WHERE paid > 0 AND paid = amount"))
    full = cr.fetchone()[0]
    first = {
        table: bulk.reserve_ids(cr, table, rows)
        for table, rows in (
            ("account_payment", count),
            ("account_move", count),
            ("account_move_line", 2 * count),
            ("account_partial_reconcile", count),
            ("account_full_reconcile", full),
        )
    }
    cr.execute(
        SQL(
            """ALTER TABLE bench_payment ADD COLUMN id integer, ADD COLUMN move_id integer,
                   ADD COLUMN liquidity_id integer, ADD COLUMN counterpart_id integer,
                   ADD COLUMN partial_id integer, ADD COLUMN full_id integer,
                   ADD COLUMN name varchar, ADD COLUMN prefix varchar;
               UPDATE bench_payment x
                  SET id = %(payments)s + p, move_id = %(moves)s + p,
                      liquidity_id = %(lines)s + 2 * p, counterpart_id = %(lines)s + 2 * p + 1,
                      partial_id = %(partials)s + p;
               UPDATE bench_payment x SET full_id = %(fulls)s + f.rank
                 FROM (SELECT p, row_number() OVER (ORDER BY p) - 1 AS rank
                         FROM bench_payment WHERE in_full) f
                WHERE f.p = x.p;
               ALTER TABLE bench_payment ADD PRIMARY KEY (p)""",
            payments=first["account_payment"], moves=first["account_move"],
            lines=first["account_move_line"], partials=first["account_partial_reconcile"],
            fulls=first["account_full_reconcile"],
        )
    )  # fmt: skip
    _number(cr, SQL("bench_payment"), _template_columns(templates, "payment_move"), "payment_move")
    return count


def _number(cr, staging, templates, role):
    """Names the entries of ``staging`` (``company_id``, ``day``, ``sequence_number``
    within company and year) like their company's template entry, with the
    year of ``day``, after the numbers already used (the templates' own), so
    the next entry the ORM posts continues the sequence."""
    cr.execute(
        SQL(
            """UPDATE %(staging)s s
                  SET prefix = regexp_replace(m.sequence_prefix, '\\d{4}',
                                              extract(year FROM s.day)::text)
                 FROM %(tpl)s JOIN account_move m ON m.id = %(role)s
                WHERE tpl.company_id = s.company_id;
               WITH last AS (
                   SELECT k.company_id, k.prefix, COALESCE(max(m.sequence_number), 0) AS number
                     FROM (SELECT DISTINCT company_id, prefix FROM %(staging)s) k
                     LEFT JOIN account_move m
                            ON m.company_id = k.company_id AND m.sequence_prefix = k.prefix
                    GROUP BY k.company_id, k.prefix)
               UPDATE %(staging)s s
                  SET sequence_number = s.sequence_number + last.number,
                      name = s.prefix || lpad((s.sequence_number + last.number)::text,
                          GREATEST(5, length((s.sequence_number + last.number)::text)), '0')
                 FROM last WHERE last.company_id = s.company_id AND last.prefix = s.prefix""",
            staging=staging, tpl=templates, role=SQL.identifier("tpl", role),
        )
    )  # fmt: skip


def _invoices(gen):
    cr = gen.cr
    templates = gen.state["order_templates"]
    roles = ("invoice", "invoice_product_line", "invoice_receivable_line")
    source = SQL(
        """bench_invoice b
           LEFT JOIN bench_payment x ON x.invoice_n = b.n
           JOIN res_partner partner ON partner.id = b.partner_id
           JOIN %s ON tpl.company_id = b.company_id""",
        _template_columns(templates, *roles),
    )
    residual = SQL("(b.amount - b.paid)")
    payment_state = SQL(
        "CASE WHEN b.paid = 0 THEN 'not_paid' WHEN b.paid = b.amount THEN 'paid' ELSE 'partial' END"
    )
    moment = SQL("b.day::timestamp + interval '9 hours'")
    bulk.clone(
        cr, "account_move", SQL("tpl.invoice"), source,
        {"id": SQL("b.id"), "name": SQL("b.name"), "sequence_prefix": SQL("b.prefix"),
         "sequence_number": SQL("b.sequence_number"), "partner_id": SQL("b.partner_id"),
         "commercial_partner_id": SQL("b.partner_id"), "partner_shipping_id": SQL("b.partner_id"),
         "invoice_partner_display_name": SQL("partner.name"),
         "invoice_user_id": SQL("b.user_id"), "team_id": SQL("b.team_id"),
         "invoice_origin": SQL("b.origin"), "payment_reference": SQL("b.name"),
         "access_token": None, "date": SQL("b.day"), "invoice_date": SQL("b.day"),
         "invoice_date_due": SQL("b.day + 30"), "payment_state": payment_state,
         "amount_untaxed": SQL("b.amount"), "amount_total": SQL("b.amount"),
         "amount_untaxed_signed": SQL("b.amount"), "amount_total_signed": SQL("b.amount"),
         "amount_untaxed_in_currency_signed": SQL("b.amount"),
         "amount_total_in_currency_signed": SQL("b.amount"),
         "amount_residual": residual, "amount_residual_signed": residual,
         "create_date": moment, "write_date": moment,
         "create_uid": SQL("b.user_id"), "write_uid": SQL("b.user_id")},
    )  # fmt: skip
    common = {
        "move_name": SQL("b.name"), "partner_id": SQL("b.partner_id"), "date": SQL("b.day"),
        "invoice_date": SQL("b.day"), "create_date": moment, "write_date": moment,
        "create_uid": SQL("b.user_id"), "write_uid": SQL("b.user_id"),
    }  # fmt: skip
    with bulk.bulk_load(cr, "account_move_line"):
        bulk.clone(
            cr, "account_move_line", SQL("tpl.invoice_receivable_line"), source,
            dict(common, id=SQL("b.receivable_id"), move_id=SQL("b.id"), name=SQL("b.name"),
                 date_maturity=SQL("b.day + 30"), debit=SQL("b.amount"),
                 balance=SQL("b.amount"), amount_currency=SQL("b.amount"),
                 amount_residual=residual, amount_residual_currency=residual,
                 reconciled=SQL("b.paid = b.amount"), full_reconcile_id=SQL("x.full_id"),
                 matching_number=SQL("CASE WHEN x.full_id IS NOT NULL THEN x.full_id::text "
                                     "WHEN x.partial_id IS NOT NULL THEN 'P' || x.partial_id END")),
        )  # fmt: skip
        lines = bulk.reserve_ids(cr, "account_move_line", _count(cr, "bench_order_line l "
                                 "JOIN bench_invoice b ON b.order_n = l.order_n"))  # fmt: skip
        line_source = SQL(
            """(SELECT l.*, ib.n AS invoice_n, pt.name->>'en_US' AS product_name,
                       row_number() OVER (ORDER BY l.m) - 1 AS r
                  FROM bench_order_line l JOIN bench_invoice ib ON ib.order_n = l.order_n
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id) l, %s""",
            source,
        )
        bulk.clone(
            cr, "account_move_line", SQL("tpl.invoice_product_line"), line_source,
            dict(common, id=SQL("%s + l.r", lines), move_id=SQL("b.id"),
                 product_id=SQL("l.product_id"), quantity=SQL("l.qty"),
                 price_unit=SQL("l.price"), price_subtotal=SQL("l.subtotal"),
                 price_total=SQL("l.subtotal"), credit=SQL("l.subtotal"),
                 balance=SQL("-l.subtotal"), amount_currency=SQL("-l.subtotal"),
                 name=SQL("l.product_name")),
            where=SQL("b.n = l.invoice_n"),
        )  # fmt: skip
    bulk.insert(
        cr, "sale_order_line_invoice_rel",
        SQL("""INSERT INTO sale_order_line_invoice_rel (invoice_line_id, order_line_id)
               SELECT %s + row_number() OVER (ORDER BY l.m) - 1, l.id
                 FROM bench_order_line l JOIN bench_invoice b ON b.order_n = l.order_n""", lines),
    )  # fmt: skip


def _count(cr, source):
    cr.execute(SQL("SELECT count(*) FROM %s", SQL(source)))
    return cr.fetchone()[0]


def _full_reconciles(gen):
    """The full reconciliations first: invoice lines point at them."""
    source, stamps = _payment_source(gen)
    bulk.clone(
        gen.cr,
        "account_full_reconcile",
        SQL("tpl.full"),
        source,
        dict(stamps, id=SQL("x.full_id")),
        where=SQL("x.in_full"),
    )


def _payment_source(gen):
    """Rows of ``bench_payment`` with their invoice, customer and templates,
    and the create/write stamps of the payment day."""
    roles = ("payment", "payment_move", "payment_liquidity_line", "payment_counterpart_line",
             "partial", "full")  # fmt: skip
    source = SQL(
        """bench_payment x JOIN bench_invoice b ON b.n = x.invoice_n
           JOIN res_partner partner ON partner.id = b.partner_id
           JOIN %s ON tpl.company_id = b.company_id""",
        _template_columns(gen.state["order_templates"], *roles),
    )
    moment = SQL("x.day::timestamp + interval '11 hours'")
    stamps = {"create_date": moment, "write_date": moment,
              "create_uid": SQL("b.user_id"), "write_uid": SQL("b.user_id")}  # fmt: skip
    return source, stamps


def _payments(gen):
    cr = gen.cr
    source, stamps = _payment_source(gen)
    bulk.clone(
        cr, "account_move", SQL("tpl.payment_move"), source,
        dict(stamps, id=SQL("x.move_id"), name=SQL("x.name"), ref=SQL("b.name"),
             sequence_prefix=SQL("x.prefix"), sequence_number=SQL("x.sequence_number"),
             partner_id=SQL("b.partner_id"), commercial_partner_id=SQL("b.partner_id"),
             invoice_partner_display_name=SQL("partner.name"), team_id=SQL("b.team_id"),
             origin_payment_id=SQL("x.id"), date=SQL("x.day"), invoice_date_due=SQL("x.day"),
             amount_total=SQL("x.amount"), amount_total_signed=SQL("x.amount"),
             amount_total_in_currency_signed=SQL("x.amount")),
    )  # fmt: skip
    bulk.clone(
        cr, "account_payment", SQL("tpl.payment"), source,
        dict(stamps, id=SQL("x.id"), move_id=SQL("x.move_id"), name=SQL("x.name"),
             memo=SQL("b.name"), partner_id=SQL("b.partner_id"), date=SQL("x.day"),
             amount=SQL("x.amount"), amount_company_currency_signed=SQL("x.amount")),
    )  # fmt: skip
    line = dict(stamps, move_id=SQL("x.move_id"), move_name=SQL("x.name"), ref=SQL("b.name"),
                partner_id=SQL("b.partner_id"), payment_id=SQL("x.id"), date=SQL("x.day"),
                date_maturity=SQL("x.day"),
                name=SQL("'Manual Payment: ' || b.name"))  # fmt: skip
    amount = SQL("x.amount")
    sides = {
        # the bank side stays open until a statement matches it
        "payment_liquidity_line": dict(
            id=SQL("x.liquidity_id"), debit=amount, signed=amount,
            amount_residual=amount, amount_residual_currency=amount,
        ),
        # the receivable side is used up by the invoice
        "payment_counterpart_line": dict(
            id=SQL("x.counterpart_id"), credit=amount, signed=SQL("-x.amount"),
            amount_residual=0, amount_residual_currency=0, reconciled=True,
            full_reconcile_id=SQL("x.full_id"),
            matching_number=SQL("COALESCE(x.full_id::text, 'P' || x.partial_id)"),
        ),
    }  # fmt: skip
    with bulk.bulk_load(cr, "account_move_line"):
        for role, values in sides.items():
            signed = values.pop("signed")
            values.update(balance=signed, amount_currency=signed, price_subtotal=signed,
                          price_total=signed)  # fmt: skip
            bulk.clone(cr, "account_move_line", SQL.identifier("tpl", role), source,
                       dict(line, **values))  # fmt: skip
    bulk.clone(
        cr, "account_partial_reconcile", SQL("tpl.partial"), source,
        dict(stamps, id=SQL("x.partial_id"), debit_move_id=SQL("b.receivable_id"),
             credit_move_id=SQL("x.counterpart_id"), full_reconcile_id=SQL("x.full_id"),
             max_date=SQL("GREATEST(b.day, x.day)"), amount=SQL("x.amount"),
             debit_amount_currency=SQL("x.amount"), credit_amount_currency=SQL("x.amount")),
    )  # fmt: skip
