"""Who sourced and who won each lead (the hand-off's ``crm.lead`` fields), when
the addon has them: ``hunter_user_id`` is the lead's hunter, ``closer_user_id``
the closer of won leads (empty until a lead is won).

The leads step writes them directly when the columns exist; this step
catches up a database generated before they did (slower: it rewrites every
lead)."""

from odoo.tools import SQL

from . import bulk, step
from .leads import role_values


@step(
    "lead_roles",
    applies=lambda gen: bool(role_values(gen)) and not gen.state.get("lead_roles_in_leads"),
)
def lead_roles(gen):
    # rewriting every lead: cheaper without crm_lead's 27 indexes (bulk_load)
    with bulk.bulk_load(gen.cr, "crm_lead"):
        gen.cr.execute(
            SQL(
                "UPDATE crm_lead lead SET %s FROM bench_lead l WHERE l.id = lead.id",
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(name), value)
                    for name, value in role_values(gen).items()
                ),
            )
        )
        count = gen.cr.rowcount
    gen.log(f"hunter and closer on {count:,} leads")
