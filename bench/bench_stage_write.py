"""Moving 10,000 leads between two regulated stages: the rules' price.

The same ``write`` (qualified → proposition, both regulated by the install
defaults: fields to enter, a meeting done before leaving, no skip) timed with
the stage rules on and with them off (``sales_stage_rules_off``). Both sides
write the stage log, flush (stored computes, probabilities) and roll back to a
savepoint, so every repetition moves the same leads.

Mail tracking is off on both sides: core posts one tracking message per lead
(about 30 ms each here, minutes for 10,000 leads), the same on both sides, so
it would only pull the ratio towards 1. A second figure checks that the rules
add no more queries for all the leads than for a tenth of them.

Before timing, one run of each side is compared value by value: every lead's
stage, probability, stuck flag and owner, and every stage log row the move
closed or opened (lead, stage left and entered, owner, role, team, company,
milestones, override reason); the rules let these leads through, so both
sides must leave the same rows. The log's dates and ids, set by the clock
and the sequence, are left out.
"""

from odoo.tools import SQL

TARGET = 1.3
QUERY_TARGET = 1.0
MOVED = 10_000


def _outcome(env, leads, since):
    """What a move left: each lead's stage, probability, stuck flag and owner,
    and the stage log rows it opened (ids above ``since``) or closed."""
    env.cr.execute(
        SQL(
            """SELECT id, stage_id, probability, is_stuck, user_id FROM crm_lead
                WHERE id = ANY(%s) ORDER BY id""",
            leads.ids,
        )
    )
    lead_rows = env.cr.fetchall()
    env.cr.execute(
        SQL(
            """SELECT lead_id, stage_from_id, stage_id, user_id, sales_role, team_id,
                      company_id, first_qualified, first_to_closer, override_reason,
                      id > %s, date_out IS NULL
                 FROM sales_lead_stage_log
                WHERE lead_id = ANY(%s) AND (id > %s OR date_out IS NOT NULL)
                ORDER BY lead_id, stage_id, id""",
            since,
            leads.ids,
            since,
        )
    )
    return lead_rows, env.cr.fetchall()


def run(bench):
    env = bench.env
    qualified = env.ref("crm.stage_lead2")
    proposal = env.ref("crm.stage_lead3")
    meeting = env.ref("mail.mail_activity_data_meeting")
    leads = env["crm.lead"].search(
        [
            ("stage_id", "=", qualified.id),
            ("partner_id", "!=", False),
            ("expected_revenue", ">", 0),
            ("message_ids", "any", [("mail_activity_type_id", "=", meeting.id)]),
        ],
        limit=MOVED,
        order="id",
    )
    if len(leads) < 100:
        raise AssertionError(f"only {len(leads)} leads can move; generate more (BENCH_LEADS)")
    bench.note(f"{len(leads):,} leads move from {qualified.name} to {proposal.name}")

    env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM sales_lead_stage_log"))
    since = env.cr.fetchone()[0]
    outcomes = {}

    def move(subset, rules_off, keep=False):
        def call():
            cr = env.cr
            cr.execute(SQL("SAVEPOINT bench_stage_write"))
            subset.with_context(sales_stage_rules_off=rules_off, tracking_disable=True).write(
                {"stage_id": proposal.id}
            )
            env.flush_all()
            if keep:
                outcomes[rules_off] = _outcome(env, subset, since)
            cr.execute(SQL("ROLLBACK TO SAVEPOINT bench_stage_write"))
            cr.postcommit.clear()
            env.invalidate_all()

        return call

    move(leads, False, keep=True)()
    move(leads, True, keep=True)()
    _check_same(outcomes[False], outcomes[True], proposal)
    moved, rows = outcomes[False]
    bench.note(
        f"checked: {len(moved):,} leads and {len(rows):,} stage log rows the same with the"
        " rules on and off"
    )
    ratio = bench.compare(move(leads, False), move(leads, True), repeat=3)
    bench.report("stage_write_rules_vs_off", ratio, TARGET)

    small = leads[: max(len(leads) // 10, 1)]
    overhead = {}
    bench.queries(move(small, False))  # warm the caches query counts would include
    for subset in (small, leads):
        on = bench.queries(move(subset, False))
        off = bench.queries(move(subset, True))
        overhead[len(subset)] = on - off
        bench.note(f"{len(subset):,} leads: {on} queries with the rules, {off} without")
    bench.report(
        "stage_write_rule_queries_growth",
        overhead[len(leads)] / max(overhead[len(small)], 1),
        QUERY_TARGET,
    )


def _check_same(with_rules, without_rules, stage):
    """Both sides moved every lead into ``stage`` and left the same rows."""
    (leads, rows), (leads_off, rows_off) = with_rules, without_rules
    elsewhere = [lead_id for lead_id, stage_id, *_rest in leads if stage_id != stage.id]
    differ = [
        (ours, theirs) for ours, theirs in zip(leads, leads_off, strict=True) if ours != theirs
    ]
    opened = sum(1 for *_row, new, _open in rows if new)
    if elsewhere or differ or rows != rows_off or opened != len(leads):
        extra = sorted(set(rows) ^ set(rows_off))
        raise AssertionError(
            f"stage write: {len(elsewhere)} leads not in {stage.name} (e.g. {elsewhere[:3]}), "
            f"{len(differ)} leads differ with the rules off (e.g. {differ[:2]}), "
            f"{len(extra)} stage log rows differ (e.g. {extra[:2]}), "
            f"{opened} rows opened for {len(leads)} leads"
        )
