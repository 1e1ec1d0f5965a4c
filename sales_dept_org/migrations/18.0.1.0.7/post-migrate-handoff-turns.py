"""The hand-off's round-robin turns move from a column of the team
memberships to the insert-only table ``sales_handoff_turn``.

Up to 18.0.1.0.6 each membership kept its last turn in
``crm_team_member.sales_handoff_ticket``, updated by every hand-off: two
hand-offs in one team at once (unknown callers ringing together) updated
the same row, and all but one failed to serialize. Each turn becomes the
member's first row in the new table, the sequence continues after the
highest, and the column goes.
"""

from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    if not version or not column_exists(cr, "crm_team_member", "sales_handoff_ticket"):
        return
    cr.execute(
        SQL(
            """INSERT INTO sales_handoff_turn (member_id, ticket)
               SELECT id, sales_handoff_ticket FROM crm_team_member
                WHERE sales_handoff_ticket > 0"""
        )
    )
    cr.execute(
        SQL(
            """SELECT setval(pg_get_serial_sequence('sales_handoff_turn', 'ticket'),
                             GREATEST(max(ticket), 1))
                 FROM sales_handoff_turn"""
        )
    )
    cr.execute(SQL("ALTER TABLE crm_team_member DROP COLUMN sales_handoff_ticket"))
