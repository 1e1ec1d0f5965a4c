"""Instant bonuses granted before the approval flow count as approved.

Up to 18.0.1.0.6 an instant bonus was paid with its month as soon as a head
granted it. From 18.0.1.0.7 a bonus goes draft -> approved -> paid and the
month pays only approved ones: the bonuses granted before the upgrade (the
new column gave them "draft") become approved on their own day, by their
granter, so every month pays what it paid before. None was paid on its day.
"""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """UPDATE sales_bonus_instant
                  SET state = 'approved', approved_date = date, approved_by_id = granted_by_id
                WHERE state = 'draft' OR state IS NULL"""
        )
    )
