"""Hand-off: one write moving 400 open leads of 20 role-split teams into
the closer stage, against the very same write with the hand-off off
(``sales_handoff_off``), timed alternately in the same run.

Both sides skip the stage rules (``sales_stage_rules_off``: the jump
from the hunter stages would be refused) and are rolled back after each call.
The time is the write, its flush and what the commit would run: the tracking
messages (one per lead, with or without the hand-off, which adds the new owner
to them) and the hand-off's chatter lines. Before timing, both sides' results
are checked lead by lead: with the hand-off every lead belongs to a closer of
its team (or waits with an alert for its head), each has its tracking message
and its chatter line; without it every owner stays. Queries: the hand-off's
extra queries at every tenth lead and at all of them; they grow with the new
owners (one write each), not with the leads.

Then the same hand-off with the teams on Darwin (members weighted 1.5, 1.0
and 0.5) against Darwin off: both sides switch the teams in one statement
inside the timed call.
"""

from odoo.tools import SQL

TARGET = 1.5
DARWIN_TARGET = 1.1
LEADS = 400  # each lead's tracking message is timed: ~30 ms apiece
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


def _outcome(env, leads, since):
    """{lead id: (owner, owner is a closer of its team or alerted, messages
    since ``since``, of which telling a hand-off)}."""
    env.cr.execute(
        SQL(
            """SELECT l.id, l.user_id,
                      EXISTS (SELECT 1 FROM crm_team_member m
                               WHERE m.crm_team_id = l.team_id AND m.user_id = l.user_id
                                 AND m.active AND m.sales_role = 'closer')
                      OR EXISTS (SELECT 1 FROM mail_activity a
                                  WHERE a.res_model = 'crm.lead' AND a.res_id = l.id
                                    AND a.id > %(activity)s),
                      (SELECT COUNT(*) FROM mail_message m
                        WHERE m.model = 'crm.lead' AND m.res_id = l.id AND m.id > %(message)s),
                      (SELECT COUNT(*) FROM mail_message m
                        WHERE m.model = 'crm.lead' AND m.res_id = l.id AND m.id > %(message)s
                          AND m.body LIKE %(handed)s)
                 FROM crm_lead l WHERE l.id = ANY(%(ids)s)""",
            ids=leads.ids,
            activity=since["activity"],
            message=since["message"],
            handed="%Handed off%",
        )
    )
    return {lead_id: rest for lead_id, *rest in env.cr.fetchall()}


def _last_ids(env):
    env.cr.execute(
        SQL("SELECT (SELECT MAX(id) FROM mail_message), (SELECT MAX(id) FROM mail_activity)")
    )
    message, activity = env.cr.fetchone()
    return {"message": message or 0, "activity": activity or 0}


def run(bench):
    env = bench.env
    leads, closer_stage, teams = _leads_to_move(env, LEADS)
    if not leads or not closer_stage:
        raise AssertionError("no role-split team, hunter leads or closer stage to move")
    bench.note(f"{len(leads):,} leads of {len(teams)} teams into {closer_stage.name}")
    owners = {lead.id: lead.user_id.id for lead in leads}
    since = _last_ids(env)

    def move(records, off):
        return lambda: records.with_context(
            sales_stage_rules_off=True, sales_handoff_off=off
        ).write({"stage_id": closer_stage.id})

    def check_handed(_result):
        outcome = _outcome(env, leads, since)
        wrong = [lead_id for lead_id, (_owner, closer, *_m) in outcome.items() if not closer]
        # the tracking message, telling the hand-off when the owner changed
        silent = [
            lead_id for lead_id, (owner, _c, messages, told) in outcome.items()
            if not messages or told != (owner != owners[lead_id])
        ]  # fmt: skip
        if wrong or silent:
            raise AssertionError(
                f"hand-off: {len(wrong)} leads not with a closer, e.g. {wrong[:3]}; "
                f"{len(silent)} without their message telling it, e.g. {silent[:3]}"
            )

    def check_kept(_result):
        outcome = _outcome(env, leads, since)
        moved = [
            lead_id for lead_id, (owner, *_rest) in outcome.items() if owner != owners[lead_id]
        ]
        silent = [lead_id for lead_id, (*_rest, messages, _told) in outcome.items() if not messages]
        if moved or silent:
            raise AssertionError(
                f"hand-off off: {len(moved)} owners changed, e.g. {moved[:3]}; "
                f"{len(silent)} leads without their tracking message, e.g. {silent[:3]}"
            )

    bench.rolled_back(move(leads, False), check_handed)()
    bench.rolled_back(move(leads, True), check_kept)()
    bench.note("checked: every lead with a closer of its team, its tracking and chatter lines")
    handed = bench.rolled_back(move(leads, False))
    plain = bench.rolled_back(move(leads, True))
    tenth = leads[::10]
    extra_all = bench.queries(handed) - bench.queries(plain)
    extra_tenth = bench.queries(bench.rolled_back(move(tenth, False))) - bench.queries(
        bench.rolled_back(move(tenth, True))
    )
    bench.note(
        f"hand-off adds {extra_tenth} queries for {len(tenth):,} leads and {extra_all} for "
        f"{len(leads):,} ({extra_all / len(leads):.4f} per lead)"
    )
    bench.report("handoff_write", bench.compare(handed, plain, repeat=3), TARGET)

    _run_darwin(bench, leads, teams, move)


def _run_darwin(bench, leads, teams, move):
    env = bench.env
    env.cr.execute(
        SQL(
            "UPDATE crm_team_member SET sales_weight = (ARRAY[1.5, 1.0, 0.5])[MOD(id, 3) + 1] "
            "WHERE crm_team_id = ANY(%s)",
            teams.ids,
        )
    )

    def darwin(on):
        handed = move(leads, False)

        def call():
            env.cr.execute(
                SQL("UPDATE crm_team SET sales_darwin = %s WHERE id = ANY(%s)", on, teams.ids)
            )
            env.invalidate_all()
            handed()

        return bench.rolled_back(call)

    bench.report(
        "handoff_darwin", bench.compare(darwin(True), darwin(False), repeat=3), DARWIN_TARGET
    )
