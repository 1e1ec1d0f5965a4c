"""What an upgrade must keep, read in plain SQL (no registry: the same code
reads the database before and after), and the comparison of two readings.

- ``counts``: rows of every ``sales_*`` and ``crm_*`` table (the addon's own
  and the CRM's it extends, their relation tables included);
- ``sums``: per such table, the sum of every number column that is not a
  key (money, quantities, counts, targets, shares);
- ``sheets``: per locked bonus sheet (confirmed or exported), a hash of its
  lines and their metric lines, in id order, over the columns the first
  reading saw (``write_uid``/``write_date`` apart: bookkeeping).
"""

import hashlib
import json

from odoo.tools import SQL

TABLE_PATTERNS = ("sales\\_%", "crm\\_%")
LOCKED_STATES = ("confirmed", "exported")
LINE_TABLES = (("sales_bonus_line", "sheet_id"), ("sales_bonus_line_metric", "line_id"))
BOOKKEEPING = ("write_uid", "write_date")

# What HEAD changes on purpose, by (table, column); column None: the count.
# Every entry says which version does it and why.
BY_DESIGN = {
    ("sales_bonus_scheme", "fixed_share"): "18.0.1.0.5 moves the shipped hunter, farmer and "
    "head schemes from 60/10/30 and 40/10/50 to the 30/10/60 split",
    ("sales_bonus_scheme", "bonus_share"): "18.0.1.0.5: the same move (bonus share)",
    ("crm_stage_sales_required_field_rel", None): "18.0.1.0.6: crm's Won stage no longer "
    "requires the customer, it creates it",
    ("crm_team_member", "sales_handoff_ticket"): "18.0.1.0.7 moves the turns to "
    "sales_handoff_turn and drops the column",
}
# Whole tables (count and every sum) HEAD fills on purpose.
SCHEMES = (
    "the update creates the shipped scheme of each role for every company lacking it "
    "(_install_default_schemes): the generator's two companies get theirs"
)
TABLES_BY_DESIGN = {
    "sales_bonus_scheme": SCHEMES,
    "sales_bonus_scheme_metric": SCHEMES,
    "sales_bonus_scheme_tier": SCHEMES,
    "sales_kpi_metric": "HEAD ships more metrics in its catalogue (data file)",
}


def read(cr, line_columns=None):
    """The snapshot of the database as a dict (JSON-safe)."""
    tables = _tables(cr)
    counts, sums = {}, {}
    for table in tables:
        cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
        counts[table] = cr.fetchone()[0]
        columns = _number_columns(cr, table)
        if columns:
            cr.execute(
                SQL(
                    "SELECT %s FROM %s",
                    SQL(", ").join(
                        SQL("sum(%s::numeric)::text", SQL.identifier(column)) for column in columns
                    ),
                    SQL.identifier(table),
                )
            )
            for column, total in zip(columns, cr.fetchone(), strict=True):
                sums[f"{table}.{column}"] = total or "0"
    if line_columns is None:
        line_columns = {
            table: [c for c in _all_columns(cr, table) if c not in BOOKKEEPING]
            for table, _parent in LINE_TABLES
        }
    return {
        "counts": counts,
        "sums": sums,
        "line_columns": line_columns,
        "sheets": _sheet_hashes(cr, line_columns),
    }


def _tables(cr):
    cr.execute(
        SQL(
            """SELECT table_name FROM information_schema.tables
                WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
                  AND (table_name LIKE %s OR table_name LIKE %s)
                ORDER BY table_name""",
            *TABLE_PATTERNS,
        )
    )
    return [row[0] for row in cr.fetchall()]


def _all_columns(cr, table):
    cr.execute(
        SQL(
            """SELECT column_name FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position""",
            table,
        )
    )
    return [row[0] for row in cr.fetchall()]


def _number_columns(cr, table):
    """Number columns of a table that are neither its id nor a foreign key."""
    cr.execute(
        SQL(
            """SELECT col.column_name FROM information_schema.columns col
                WHERE col.table_schema = 'public' AND col.table_name = %s
                  AND col.data_type IN ('integer', 'bigint', 'smallint', 'numeric',
                                        'double precision', 'real')
                  AND col.column_name <> 'id'
                  AND NOT EXISTS (
                      SELECT 1 FROM information_schema.key_column_usage usage
                        JOIN information_schema.table_constraints con
                          ON con.constraint_name = usage.constraint_name
                         AND con.table_name = usage.table_name
                       WHERE con.constraint_type = 'FOREIGN KEY'
                         AND usage.table_name = col.table_name
                         AND usage.column_name = col.column_name)
                ORDER BY col.ordinal_position""",
            table,
        )
    )
    return [row[0] for row in cr.fetchall()]


def _sheet_hashes(cr, line_columns):
    """{sheet id: md5 of its lines and metric lines}, for the locked sheets."""
    cr.execute(
        SQL(
            "SELECT id FROM sales_bonus_sheet WHERE state IN %s ORDER BY id",
            LOCKED_STATES,
        )
    )
    hashes = {}
    for (sheet_id,) in cr.fetchall():
        digest = hashlib.md5()
        cr.execute(
            SQL(
                "SELECT %s FROM sales_bonus_line line WHERE line.sheet_id = %s ORDER BY line.id",
                _row_text("line", line_columns["sales_bonus_line"]),
                sheet_id,
            )
        )
        for (text,) in cr.fetchall():
            digest.update(text.encode())
        cr.execute(
            SQL(
                """SELECT %s FROM sales_bonus_line_metric metric
                     JOIN sales_bonus_line line ON line.id = metric.line_id
                    WHERE line.sheet_id = %s ORDER BY metric.id""",
                _row_text("metric", line_columns["sales_bonus_line_metric"]),
                sheet_id,
            )
        )
        for (text,) in cr.fetchall():
            digest.update(text.encode())
        hashes[str(sheet_id)] = digest.hexdigest()
    return hashes


def _row_text(alias, columns):
    return SQL(
        "ROW(%s)::text",
        SQL(", ").join(SQL.identifier(alias, column) for column in columns),
    )


def compare(before, after):
    """(differences, notes): each a list of lines; differences count against
    the upgrade, notes say what changed by design or was added."""
    differences, notes = {"counts": [], "sums": [], "sheets": []}, []
    for kind in ("counts", "sums"):
        for key in sorted(set(before[kind]) | set(after[kind])):
            old, new = before[kind].get(key), after[kind].get(key)
            if old == new:
                continue
            table, _, column = key.partition(".")
            reason = BY_DESIGN.get((table, column or None)) or TABLES_BY_DESIGN.get(table)
            if old is None:
                notes.append(f"{kind} {key}: new in HEAD ({new})")
            elif reason:
                notes.append(f"{kind} {key}: {old} -> {new}, by design: {reason}")
            else:
                differences[kind].append(f"{kind} {key}: {old} -> {new}")
    for sheet, digest in sorted(before["sheets"].items()):
        if after["sheets"].get(sheet) != digest:
            differences["sheets"].append(f"locked sheet {sheet}: lines differ")
    return differences, notes


def save(path, snapshot):
    with open(path, "w", encoding="utf-8") as file:
        json.dump(snapshot, file, indent=1, sort_keys=True)


def load(path):
    with open(path, encoding="utf-8") as file:
        return json.load(file)
