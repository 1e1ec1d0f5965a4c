"""Stored related and computed columns as the ORM would have written them.

A cloned row keeps every column of its template that the clone does not
override, so a stored related column (``account_partial_reconcile.credit_date``
= ``credit_move_id.date``, ``account_move_line.date`` = ``move_id.date``, ...)
would keep the template's value. :func:`sync` sets every stored related
column of the cloned tables from its source in one UPDATE per table (only the
rows that differ are rewritten), and the stored computed columns listed in
:data:`COMPUTED` from their SQL equivalent. :func:`check` recomputes a sample
of each cloned table through the ORM and fails on any difference.
"""

import math

from odoo.tools import SQL

from . import step

SAMPLE = 200  # rows per table that check() recomputes through the ORM
MAX_PASSES = 4  # a related column may read another one (credit_date <- line.date <- move.date)

# an invoice paid in full (the addon's PAID_STATES; its module loads with the
# registry, after this one): the latest date of the money matched with it
PAID_STATES = ("paid", "in_payment")
_PAID_DATE = SQL(
    "CASE WHEN t.move_type = 'out_invoice' AND t.payment_state IN %s THEN paid.paid_date END",
    PAID_STATES,
)

# Stored computed (not related) columns the clones do not set, in SQL over the
# cloned row ``t`` (and the model's JOINS): what the field's compute method
# gives for generated data.
JOINS = {
    "account.move": SQL(
        """LEFT JOIN (SELECT line.move_id, MAX(partial.credit_date) AS paid_date
                        FROM account_partial_reconcile partial
                        JOIN account_move_line line ON line.id = partial.debit_move_id
                    GROUP BY line.move_id) paid ON paid.move_id = t.id"""
    ),
}
COMPUTED = {
    "account.move": {
        "sales_paid_date": _PAID_DATE,
        "sales_paid_on_time": SQL(
            "COALESCE(%s <= COALESCE(t.invoice_date_due, t.invoice_date), FALSE)", _PAID_DATE
        ),
    },
    "sales.lead.stage.log": {
        "duration_days": SQL(
            "COALESCE(GREATEST(EXTRACT(EPOCH FROM t.date_out - t.date_in), 0) / 86400.0, 0)"
        ),
    },
    "res.partner": {
        "commercial_company_name": SQL(
            """COALESCE((SELECT CASE WHEN cp.is_company THEN cp.name ELSE t.company_name END
                           FROM res_partner cp WHERE cp.id = t.commercial_partner_id),
                        t.company_name)"""
        ),
        "partner_share": SQL(
            """t.id <> (SELECT partner_id FROM res_users WHERE id = 1)
               AND NOT EXISTS (SELECT 1 FROM res_users u
                                WHERE u.partner_id = t.id AND u.active AND NOT u.share)"""
        ),
    },
    "crm.lead": {
        "email_domain_criterion": SQL(
            "CASE WHEN t.email_normalized LIKE '%%@%%'"
            " THEN '@' || split_part(t.email_normalized, '@', 2) END"
        ),
        "email_state": SQL(
            """CASE WHEN t.email_normalized IS NOT NULL THEN 'correct'
                    WHEN t.email_from IS NOT NULL THEN 'incorrect' END"""
        ),
    },
}

# Stored computed columns left as copied or overridden, and why: check() skips them.
LEFT_AS_IS = {
    # an international phone format (phonenumbers); no benchmark reads it
    ("res.partner", "phone_sanitized"): "formatting",
    ("crm.lead", "phone_sanitized"): "formatting",
    # predictive lead scoring's frequency tables, rebuilt by its own cron
    ("crm.lead", "automated_probability"): "scoring cron",
    # the bank side of a payment waits for a statement: the generator's choice
    ("account.payment", "is_reconciled"): "statement matching",
    ("account.payment", "is_matched"): "statement matching",
    ("account.payment", "outstanding_account_id"): "statement matching",
}


def _models(env, tables):
    return [
        model
        for model in env.registry.values()
        if not model._abstract and model._auto and model._table in tables
    ]


def _related_path(env, field):
    """The fields of ``field.related`` (delegated fields followed to their own
    model) if every step is a stored column, the hops many2one, else None:
    then SQL cannot follow it."""
    model, path, names = env[field.model_name], [], field.related.split(".")
    while names:
        hop = model._fields.get(names.pop(0))
        if hop is not None and not hop.store and hop.related:  # e.g. a user's partner's tz
            names[:0] = hop.related.split(".")
            continue
        if hop is None or not hop.store or not hop.column_type or hop.company_dependent:
            return None
        path.append(hop)
        if names and hop.type != "many2one":
            return None
        if names:
            model = env[hop.comodel_name]
    return path


def _derived(env, model):
    """{column name: SQL over ``t`` and its joins} and the joins, for the
    stored related columns SQL can follow and the :data:`COMPUTED` ones."""
    values, joins, aliases = {}, [], {}
    for field in model._fields.values():
        if not (field.store and field.column_type and field.related):
            continue
        path = _related_path(env, field)
        if path is None:
            continue
        alias = "t"
        for position, hop in enumerate(path[:-1]):
            key = tuple(h.name for h in path[: position + 1])
            if key not in aliases:
                aliases[key] = f"j{len(aliases)}"
                joins.append(
                    SQL(
                        "LEFT JOIN %s %s ON %s.id = %s",
                        SQL.identifier(env[hop.comodel_name]._table),
                        SQL.identifier(aliases[key]),
                        SQL.identifier(aliases[key]),
                        SQL.identifier(alias, hop.name),
                    )
                )
            alias = aliases[key]
        values[field.name] = SQL.identifier(alias, path[-1].name)
    values.update(COMPUTED.get(model._name, {}))
    if model._name in JOINS:
        joins.append(JOINS[model._name])
    return values, joins


def sync(env, tables):
    """Sets the derived columns of every row of ``tables`` that differs from
    its sources; repeats while a pass changed something (a source may be a
    derived column itself). Returns the number of rows rewritten."""
    env.flush_all()
    total = 0
    statements = [_update(model, *_derived(env, model)) for model in _models(env, tables)]
    for _ in range(MAX_PASSES):
        changed = 0
        for statement in filter(None, statements):
            env.cr.execute(statement)
            changed += env.cr.rowcount
        total += changed
        if not changed:
            break
    env.invalidate_all()
    return total


def _update(model, values, joins):
    if not values:
        return None
    names = list(values)
    return SQL(
        """UPDATE %(table)s SET %(sets)s
             FROM (SELECT t.id, %(exprs)s FROM %(table)s t %(joins)s) src
            WHERE %(table)s.id = src.id AND ROW(%(current)s) IS DISTINCT FROM ROW(%(fresh)s)""",
        table=SQL.identifier(model._table),
        sets=SQL(", ").join(
            SQL("%s = %s", SQL.identifier(name), SQL.identifier("src", f"v_{name}"))
            for name in names
        ),
        fresh=SQL(", ").join(SQL.identifier("src", f"v_{name}") for name in names),
        exprs=SQL(", ").join(SQL("%s AS %s", values[n], SQL.identifier(f"v_{n}")) for n in names),
        joins=SQL(" ").join(joins),
        current=SQL(", ").join(SQL.identifier(model._table, name) for name in names),
    )


def check(env, tables):
    """Recomputes a sample of each table's rows through the ORM (in a
    savepoint, rolled back) and compares every stored related column and
    every read-only stored computed column with what is stored. Raises on any
    difference; returns the number of values compared."""
    env = env(context=dict(env.context, allowed_company_ids=env["res.company"].search([]).ids))
    env.flush_all()
    compared, differ = 0, []
    for model in _models(env, tables):
        model = env[model._name]
        fields = [
            field
            for field in model._fields.values()
            if field.store and field.column_type and field.compute
            and (field.related or field.readonly)
            and (model._name, field.name) not in LEFT_AS_IS
        ]  # fmt: skip
        records = model.browse(_sample(env.cr, model._table))
        if not fields or not records:
            continue
        env.invalidate_all()
        stored = {field: [record[field.name] for record in records] for field in fields}
        env.cr.execute(SQL("SAVEPOINT bench_orm_columns"))
        try:
            for field in fields:
                env.add_to_compute(field, records)
            for field in fields:
                records._recompute_field(field)
            env.invalidate_all()
            fresh = {field: [record[field.name] for record in records] for field in fields}
        finally:
            env.cr.execute(SQL("ROLLBACK TO SAVEPOINT bench_orm_columns"))
            env.invalidate_all()
        for field in fields:
            compared += len(records)
            differ += [
                (model._name, field.name, record.id, old, new)
                for record, old, new in zip(records, stored[field], fresh[field], strict=True)
                if not _same(field, old, new)
            ]
    if differ:
        raise AssertionError(
            f"{len(differ)} generated values differ from what the ORM computes"
            f" ({', '.join(sorted({f'{m}.{f}' for m, f, *_rest in differ}))}), e.g. {differ[:3]}"
        )
    return compared


def _same(field, old, new):
    """Equal values; floats up to the last bits of a double (SQL and Python
    round the same division differently)."""
    if field.type in ("float", "monetary") and old and new:
        return math.isclose(old, new, rel_tol=1e-12)
    return old == new


def _sample(cr, table):
    """About :data:`SAMPLE` ids spread over the whole table (the same each run)."""
    cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
    share = min(1.0, 2.0 * SAMPLE / max(cr.fetchone()[0], 1))
    cr.execute(
        SQL(
            "SELECT id FROM %s WHERE bench_rand(id, 19) < %s ORDER BY id LIMIT %s",
            SQL.identifier(table),
            share,
            SAMPLE,
        )
    )
    return [row[0] for row in cr.fetchall()]


@step("orm_columns", version=1)
def orm_columns(gen):
    """The check, once every step has run (each step's clones were synced after it)."""
    tables = set(gen.state.get("bulk_tables", ()))
    gen.log(f"{check(gen.env, tables):,} derived values equal to the ORM's on a sample")
