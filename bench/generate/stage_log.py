"""The stage log (``sales.lead.stage.log``), when the addon has it.

One row per stage a lead entered, following its story in ``bench_lead``:
open and lost leads went through the first stages up to their own, won leads
through every open stage and then Won. One open or lost lead in five past
the first stage stepped back once on its way (reached its stage, went back
to the one before, came again): three million rows for a million leads, as
the funnel benchmark asks. The time between creation and closing
(or now) is split evenly over the moves; the owner while in a stage is the
hunter in the first two, the closer after. The current stage of open and
won leads has no ``date_out``. Only columns the table has are written, so
the model may grow.
"""

from odoo.tools import SQL

from . import bulk, step

TABLE = "sales_lead_stage_log"
STEP_BACK_SHARE = 0.2


@step("stage_log", version=2, applies=lambda gen: gen.has_table(TABLE))
def stage_log(gen):
    env, cr = gen.env, gen.cr
    stages = env["crm.stage"].search([("team_id", "=", False)], order="sequence, id")
    open_ids = [stage.id for stage in stages if not stage.is_won]
    won_id = stages.filtered("is_won")[:1].id
    # k numbers a lead's moves (0 .. last); pos is the stage position of move k:
    # k itself, except after a step back (stage_pos, then stage_pos - 1, then
    # stage_pos again)
    position = SQL(
        "CASE WHEN k <= l.stage_pos THEN k WHEN k = l.stage_pos + 1 THEN l.stage_pos - 1 "
        "ELSE l.stage_pos END"
    )
    previous_position = SQL("CASE WHEN k <= l.stage_pos + 1 THEN k - 1 ELSE l.stage_pos - 1 END")

    def stage_at(pos):
        return SQL(
            "CASE WHEN %(pos)s < %(count)s THEN (%(open)s::integer[])[1 + %(pos)s] "
            "ELSE %(won)s END",
            pos=pos, count=len(open_ids), open=open_ids, won=won_id,
        )  # fmt: skip

    previous = SQL("CASE WHEN k > 0 THEN %s END", stage_at(previous_position))
    span = SQL("(COALESCE(l.closed, bench_now()) - l.created)")
    entered = SQL("date_trunc('second', l.created + %s * k / (l.last_move + 1))", span)
    left = SQL(
        """CASE WHEN k < l.last_move
                THEN date_trunc('second', l.created + %(span)s * (k + 1) / (l.last_move + 1))
                WHEN l.outcome = 'lost' THEN l.closed END""",
        span=span,
    )
    owner = SQL("CASE WHEN %s >= 2 THEN l.closer_id ELSE l.hunter_id END", position)
    values = {
        "lead_id": SQL("l.id"), "company_id": SQL("l.company_id"), "team_id": SQL("l.team_id"),
        "user_id": owner, "sales_role": SQL("p.role"), "stage_from_id": previous,
        "stage_id": stage_at(position), "date_in": entered, "date_out": left,
        "changed_by_id": owner, "create_uid": owner, "write_uid": owner,
        "create_date": entered, "write_date": entered,
    }  # fmt: skip
    leads = SQL(
        """SELECT b.*, b.stage_pos + CASE WHEN b.outcome <> 'won' AND b.stage_pos >= 1
                                          AND %s < %s THEN 2 ELSE 0 END AS last_move
             FROM bench_lead b""",
        bulk.rand(SQL("b.i"), 50),
        STEP_BACK_SHARE,
    )
    present = set(bulk.columns(cr, TABLE))
    names = [name for name in values if name in present]
    count = bulk.insert(
        cr, TABLE,
        SQL("""INSERT INTO %s (%s)
               SELECT %s FROM (%s) l CROSS JOIN generate_series(0, l.last_move) AS k
                 JOIN bench_person p ON p.user_id = %s""",
            SQL.identifier(TABLE), SQL(", ").join(SQL.identifier(name) for name in names),
            SQL(", ").join(values[name] for name in names), leads, owner),
    )  # fmt: skip
    gen.log(f"{count:,} stage log rows")
