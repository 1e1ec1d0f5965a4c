"""Hand-off: one write moving 10,000 open leads of 20 role-split teams into
the closer stage, against the very same write with the hand-off off
(``sales_handoff_off``), timed alternately in the same run.

Both sides skip the stage rules (``sales_stage_rules_off``: the jump
from the hunter stages would be refused) and are rolled back after each call.
The time is the write and its flush; the tracking messages Odoo posts at
commit (one per lead, with or without the hand-off, which only adds a line to
them) are left out of both. Queries: the hand-off's extra queries at every
tenth lead (the same teams and new owners) and at all of them; they grow with
the new owners (one write each), not with the leads.

Then the same hand-off with the teams on Darwin (members weighted 1.5, 1.0
and 0.5) against Darwin off: both sides switch the teams in one statement
inside the timed call.
"""

TARGET = 1.5
DARWIN_TARGET = 1.1
LEADS = 10_000
TEAMS = 20


def _leads_to_move(env, count):
    stages = env["crm.stage"].search([("team_id", "=", False)], order="sequence, id")
    hunter_stages = stages.filtered(lambda stage: stage.responsible_role == "hunter")
    closer_stage = stages.filtered(
        lambda stage: stage.responsible_role == "closer" and not stage.is_won
    )[:1]
    teams = env["crm.team"].search([("sales_structure", "=", "split")], order="id", limit=TEAMS)
    per_team = count // max(len(teams), 1)
    leads = env["crm.lead"]
    for team in teams:  # setup, not measured
        leads |= env["crm.lead"].search(
            [("team_id", "=", team.id), ("stage_id", "in", hunter_stages.ids)],
            limit=per_team,
            order="id",
        )
    return leads, closer_stage, teams


def run(bench):
    env = bench.env
    leads, closer_stage, teams = _leads_to_move(env, LEADS)
    if not leads or not closer_stage:
        raise AssertionError("no role-split team, hunter leads or closer stage to move")
    bench.note(f"{len(leads):,} leads of {len(teams)} teams into {closer_stage.name}")

    def move(records, off):
        def call():
            cr = env.cr
            cr.execute("SAVEPOINT bench_handoff")
            records.with_context(sales_stage_rules_off=True, sales_handoff_off=off).write(
                {"stage_id": closer_stage.id}
            )
            env.flush_all()
            cr.execute("ROLLBACK TO SAVEPOINT bench_handoff")
            cr.precommit.clear()  # the rolled-back write's pending tracking
            env.invalidate_all()

        return call

    handed = move(leads, False)
    plain = move(leads, True)
    tenth = leads[::10]
    extra_all = bench.queries(handed) - bench.queries(plain)
    extra_tenth = bench.queries(move(tenth, False)) - bench.queries(move(tenth, True))
    bench.note(
        f"hand-off adds {extra_tenth} queries for {len(tenth):,} leads and {extra_all} for "
        f"{len(leads):,} ({extra_all / len(leads):.4f} per lead)"
    )
    bench.report("handoff_write", bench.compare(handed, plain, repeat=3), TARGET)

    _run_darwin(bench, leads, teams, move)


def _run_darwin(bench, leads, teams, move):
    env = bench.env
    env.cr.execute(
        "UPDATE crm_team_member SET sales_weight = (ARRAY[1.5, 1.0, 0.5])[id %% 3 + 1] "
        "WHERE crm_team_id IN %s",
        [tuple(teams.ids)],
    )

    def darwin(on):
        handed = move(leads, False)

        def call():
            env.cr.execute(
                "UPDATE crm_team SET sales_darwin = %s WHERE id IN %s", [on, tuple(teams.ids)]
            )
            env.invalidate_all()
            handed()

        return call

    bench.report(
        "handoff_darwin", bench.compare(darwin(True), darwin(False), repeat=3), DARWIN_TARGET
    )
