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
"""

from odoo.tools import SQL

TARGET = 1.3
QUERY_TARGET = 1.0
MOVED = 10_000


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

    def move(subset, rules_off):
        def call():
            cr = env.cr
            cr.execute(SQL("SAVEPOINT bench_stage_write"))
            subset.with_context(sales_stage_rules_off=rules_off, tracking_disable=True).write(
                {"stage_id": proposal.id}
            )
            env.flush_all()
            cr.execute(SQL("ROLLBACK TO SAVEPOINT bench_stage_write"))
            cr.postcommit.clear()
            env.invalidate_all()

        return call

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
