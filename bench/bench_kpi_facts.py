"""KPI facts of every salesperson for every shipped metric over one month
(live, from the source records) against hand-written SQL computing the same
numbers; and the query count for one person against everybody.
"""

from datetime import date, timedelta

from .kpi_sql import hand_facts

CALENDAR = True  # the month, the day: also run with the clock set (make bench-calendar)
TARGET = 1.5
QUERIES_TARGET = 1.0


def _month(bench):
    """The last full month of the generated history."""
    first = date.today().replace(day=1)
    start = (first - timedelta(days=1)).replace(day=1)
    return start, first - timedelta(days=1)


def run(bench):
    env = bench.env
    metrics = env["sales.kpi.metric"].search([])
    metrics.facts_stored_until = False  # live: the source records, not the nightly store
    users = (
        env["hr.employee"]
        .search([("sales_role", "in", ("hunter", "closer", "farmer", "universal"))])
        .user_id
    )
    env = env(context=dict(env.context, allowed_company_ids=env["res.company"].search([]).ids))
    metrics = metrics.with_env(env)
    date_from, date_to = _month(bench)
    tz = env.company._sales_tz()

    def orm():
        return metrics._read_fact_parts(users, date_from, date_to, group_by_day=True)

    def sql():
        return hand_facts(env, metrics, users, date_from, date_to, tz)

    ours, theirs = orm(), sql()
    differ = [
        key for key in set(ours) | set(theirs)
        if abs(ours.get(key, (0, 0))[0] - theirs.get(key, (0, 0))[0]) > 0.01
        or ours.get(key, (0, 0))[1] != theirs.get(key, (0, 0))[1]
    ]  # fmt: skip
    if differ:
        raise AssertionError(
            f"{len(differ)} facts differ from the hand-written SQL, e.g. {differ[:3]}"
        )
    bench.note(
        f"{len(users):,} salespeople x {len(metrics)} metrics, {date_from} to {date_to}: "
        f"{len(ours):,} (metric, person, day) facts, equal to the hand-written SQL"
    )
    bench.report("kpi_facts", bench.compare(orm, sql, repeat=3), TARGET)
    one = bench.queries(lambda: metrics._read_fact_parts(users[:1], date_from, date_to, True))
    every = bench.queries(orm)
    bench.note(f"{one} queries for one salesperson, {every} for {len(users):,}")
    bench.report("kpi_facts_queries", every / one, QUERIES_TARGET)
