"""Bulk SQL building blocks: reserve ids, clone a template row many times.

The generator creates one template record of each kind through the ORM (so
every required column, default and stored computed value is what Odoo would
write), then copies its row with ``INSERT ... SELECT`` over a row source,
overriding only the columns that vary. Ids are reserved from the table's
sequence first, so rows can point at each other by arithmetic, with no
lookups and no ``RETURNING`` of millions of ids.
"""

from contextlib import contextmanager

from odoo.tools import SQL

RAND_FUNCTION = SQL(
    # A deterministic uniform draw in [0, 1) for (row number, salt): the same
    # size always gives the same department, and SQL can draw per row.
    """CREATE OR REPLACE FUNCTION bench_rand(i bigint, salt integer)
       RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT (hashint8(i * 1000003 + salt) & 2147483647)::float8 / 2147483648 $$"""
)


def clock_function(offset_seconds):
    """SQL (re)defining ``bench_now()``, the UTC time the generator and the
    benchmarks' SQL read: the real time moved by ``offset_seconds`` (the set
    clock's distance from now; 0 for the real clock), as Python's clock is."""
    return SQL(
        """CREATE OR REPLACE FUNCTION bench_now() RETURNS timestamp LANGUAGE sql STABLE
           AS $$ SELECT now() AT TIME ZONE 'UTC' + %s $$""",
        SQL("INTERVAL '%s seconds'", SQL(str(int(offset_seconds)))),
    )


def rand(row, salt):
    """SQL for a uniform draw in [0, 1) of ``row`` (an SQL expression)."""
    return SQL("bench_rand((%s)::bigint, %s)", row, salt)


def pick(row, salt, values):
    """SQL picking one of ``values`` (a Python list) per row."""
    return SQL(
        "(%s)[1 + floor(%s * %s)::int]",
        SQL("ARRAY[%s]", SQL(", ").join(SQL("%s", v) for v in values)),
        rand(row, salt),
        len(values),
    )


def columns(cr, table):
    cr.execute(
        SQL(
            """SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = %s
                ORDER BY ordinal_position""",
            table,
        )
    )
    return [name for (name,) in cr.fetchall()]


def has_table(cr, table):
    cr.execute(SQL("SELECT to_regclass(%s) IS NOT NULL", table))
    return cr.fetchone()[0]


def reserve_ids(cr, table, count):
    """Takes ``count`` consecutive ids from ``table``'s sequence; returns the first."""
    cr.execute(SQL("SELECT pg_get_serial_sequence(%s, 'id')", table))
    sequence = cr.fetchone()[0]
    cr.execute(SQL("SELECT nextval(%s)", sequence))
    first = cr.fetchone()[0]
    if count > 1:
        cr.execute(SQL("SELECT setval(%s, %s)", sequence, first + count - 1))
    return first


WRITTEN = set()  # tables clone() or insert() wrote into since the last sync (orm_columns)
_LOADING = set()  # tables inside a bulk_load block (nested blocks do nothing)


@contextmanager
def bulk_load(cr, table):
    """Loads ``table`` without its plain indexes and foreign keys, then puts
    them back: one index build, and one validating join per foreign key, cost
    far less than per-row index updates and per-row foreign key triggers
    (``crm_lead`` has 27 indexes, 7 of them trigram, and ~20 foreign keys).
    Re-adding a foreign key checks every row, so the keys stay valid.
    Indexes backing a constraint (primary key, unique) stay in place; wrap
    several inserts into one table in one block to rebuild only once."""
    if table in _LOADING:
        yield
        return
    cr.execute(
        SQL(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                 FROM pg_index i
                WHERE i.indrelid = %s::regclass
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            table,
        )
    )
    indexes = cr.fetchall()
    cr.execute(
        SQL(
            """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = %s::regclass AND contype = 'f'""",
            table,
        )
    )
    foreign_keys = cr.fetchall()
    for name, _definition in indexes:
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
    for name, _definition in foreign_keys:
        cr.execute(
            SQL("ALTER TABLE %s DROP CONSTRAINT %s", SQL.identifier(table), SQL.identifier(name))
        )
    _LOADING.add(table)
    try:
        yield
    finally:
        _LOADING.discard(table)
    for _name, definition in indexes:
        cr.execute(SQL(definition))
    for name, definition in foreign_keys:
        cr.execute(
            SQL(
                "ALTER TABLE %s ADD CONSTRAINT %s %s",
                SQL.identifier(table),
                SQL.identifier(name),
                SQL(definition),
            )
        )


def insert(cr, table, query):
    """Runs ``query`` (an INSERT into ``table``) under :func:`bulk_load`."""
    WRITTEN.add(table)
    with bulk_load(cr, table):
        cr.execute(query)
        return cr.rowcount


def clone(cr, table, template_id, source, overrides, where=None):
    """Copies row ``template_id`` of ``table`` once per row of ``source``, under
    :func:`bulk_load`. ``template_id`` may be an SQL expression over ``source``
    (one template per company, say).

    ``source`` is the FROM item(s) giving the rows (e.g. ``SQL("bench_person p")``),
    ``overrides`` maps column names to SQL expressions over ``source`` (``id``
    among them); every other column keeps the template's value. Returns the
    number of rows inserted.
    """
    names = columns(cr, table)
    unknown = set(overrides) - set(names)
    if unknown:
        raise KeyError(f"{table} has no column {', '.join(sorted(unknown))}")
    if "id" not in overrides:
        raise KeyError(f"clone of {table} needs its ids (reserve_ids)")
    exprs = [
        _as_sql(overrides[name]) if name in overrides else SQL.identifier("tmpl", name)
        for name in names
    ]
    WRITTEN.add(table)
    with bulk_load(cr, table):
        cr.execute(
            SQL(
                "INSERT INTO %(table)s (%(names)s) SELECT %(exprs)s"
                " FROM %(table)s AS tmpl, %(source)s WHERE tmpl.id = %(template)s AND %(where)s",
                table=SQL.identifier(table),
                names=SQL(", ").join(SQL.identifier(name) for name in names),
                exprs=SQL(", ").join(exprs),
                source=source,
                template=template_id,
                where=where or SQL("TRUE"),
            )
        )
        return cr.rowcount


def _as_sql(value):
    return value if isinstance(value, SQL) else SQL("%s", value)


def sync_sequence(cr, table):
    """Moves ``table``'s id sequence past its largest id (after explicit ids)."""
    cr.execute(
        SQL(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(MAX(id), 1)) FROM %s",
            table,
            SQL.identifier(table),
        )
    )
