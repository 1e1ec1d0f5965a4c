from odoo.tools import SQL

# the kinds of values a database column default can hold as a constant
CONSTANT_TYPES = {"boolean", "integer", "float", "char", "selection"}


def set_column_defaults(model):
    """Give this addon's columns on a core table their default in the database.

    When ``crm``, ``hr`` or ``base`` is updated, their own code (data files,
    at-install tests) runs before this addon's Python is loaded, so it
    creates companies, teams and stages without these fields: a NOT NULL
    column refuses the row, and a nullable one reads as 0 / False (a span of
    control of 0, a stage that forbids every move). The database default
    fills the value the ORM would have given.
    """
    cr = model.env.cr
    for field in model._fields.values():
        if (
            field._module != "sales_dept_org"
            or not field.store
            or field.type not in CONSTANT_TYPES
            or field.default is None
        ):
            continue
        value = field.default(model)
        if value is None or value is False and field.type != "boolean":
            continue
        cr.execute(
            SQL(
                "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s",
                SQL.identifier(model._table),
                SQL.identifier(field.name),
                value,
            )
        )
