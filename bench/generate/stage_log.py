"""The stage log (issue 4's ``sales.lead.stage.log``), when the addon has it.

One row per stage a lead entered, following its story in ``bench_lead``:
open and lost leads went through the first stages up to their own, won leads
through every open stage and then Won (about 2.3 rows per lead). The time
between creation and closing (or now) is split evenly over the stages; the
owner while in a stage is the hunter in the first two, the closer after.
The current stage of open and won leads has no ``date_out``. Only columns
the table has are written, so the model may grow.
"""

from odoo.tools import SQL

from . import bulk, step

TABLE = "sales_lead_stage_log"


@step("stage_log", applies=lambda gen: gen.has_table(TABLE))
def stage_log(gen):
    env, cr = gen.env, gen.cr
    stages = env["crm.stage"].search([("team_id", "=", False)], order="sequence, id")
    open_ids = [stage.id for stage in stages if not stage.is_won]
    won_id = stages.filtered("is_won")[:1].id
    stage_at = SQL(
        "CASE WHEN %(k)s < %(count)s THEN (%(open)s::integer[])[1 + %(k)s] ELSE %(won)s END",
        k=SQL("k"), count=len(open_ids), open=open_ids, won=won_id,
    )  # fmt: skip
    previous = SQL(
        "CASE WHEN k > 0 THEN (%(open)s::integer[])[k] END", open=open_ids
    )  # fmt: skip
    span = SQL("(COALESCE(l.closed, now() at time zone 'UTC') - l.created)")
    entered = SQL("date_trunc('second', l.created + %s * k / (l.stage_pos + 1))", span)
    left = SQL(
        """CASE WHEN k < l.stage_pos
                THEN date_trunc('second', l.created + %(span)s * (k + 1) / (l.stage_pos + 1))
                WHEN l.outcome = 'lost' THEN l.closed END""",
        span=span,
    )
    owner = SQL("CASE WHEN k >= 2 THEN l.closer_id ELSE l.hunter_id END")
    values = {
        "lead_id": SQL("l.id"), "company_id": SQL("l.company_id"), "team_id": SQL("l.team_id"),
        "user_id": owner, "sales_role": SQL("p.role"), "stage_from_id": previous,
        "stage_id": stage_at, "date_in": entered, "date_out": left, "changed_by_id": owner,
        "create_uid": owner, "write_uid": owner, "create_date": entered, "write_date": entered,
    }  # fmt: skip
    present = set(bulk.columns(cr, TABLE))
    names = [name for name in values if name in present]
    count = bulk.insert(
        cr, TABLE,
        SQL("""INSERT INTO %s (%s)
               SELECT %s FROM bench_lead l CROSS JOIN generate_series(0, l.stage_pos) AS k
                 JOIN bench_person p ON p.user_id = %s""",
            SQL.identifier(TABLE), SQL(", ").join(SQL.identifier(name) for name in names),
            SQL(", ").join(values[name] for name in names), owner),
    )  # fmt: skip
    gen.log(f"{count:,} stage log rows")
