"""KPI facts of every salesperson for every shipped metric over one month
(live, from the source records) against hand-written SQL computing the same
numbers; and the query count for one person against everybody.
"""

from collections import defaultdict
from datetime import date, timedelta

from odoo.tools import SQL

TARGET = 1.5
QUERIES_TARGET = 1.0


def _month(bench):
    """The last full month of the generated history."""
    first = date.today().replace(day=1)
    start = (first - timedelta(days=1)).replace(day=1)
    return start, first - timedelta(days=1)


def _hand_sql(bench, metrics, users, date_from, date_to, tz):
    """The same facts written by hand: {(metric id, user id, day): (amount, count)}."""
    env = bench.env
    ids = tuple(users.ids)
    companies = tuple(env.companies.ids)
    day = lambda column: SQL("(timezone(%s, timezone('UTC', %s)))::date", tz, column)  # noqa: E731
    start = env["sales.kpi.metric"]._utc_start(date_from, tz)
    end = env["sales.kpi.metric"]._utc_start(date_to + timedelta(days=1), tz)
    meeting = env.ref("mail.mail_activity_data_meeting").id
    lead_won = SQL(
        """FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
          WHERE l.date_closed >= %s AND l.date_closed < %s AND l.user_id IN %s
            AND (l.company_id IN %s OR l.company_id IS NULL)""",
        start, end, ids, companies,
    )  # fmt: skip
    orders = SQL(
        """FROM sale_order o WHERE o.state = 'sale' AND o.date_order >= %s AND o.date_order < %s
            AND o.user_id IN %s AND (o.company_id IN %s OR o.company_id IS NULL)""",
        start, end, ids, companies,
    )  # fmt: skip
    messages = SQL(
        """FROM mail_message m JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
          WHERE m.date >= %s AND m.date < %s AND m.create_uid IN %s""",
        start, end, ids,
    )  # fmt: skip
    daily = SQL(
        """FROM sales_discipline_daily d WHERE d.date BETWEEN %s AND %s AND d.user_id IN %s
            AND (d.company_id IN %s OR d.company_id IS NULL)""",
        date_from, date_to, ids, companies,
    )  # fmt: skip
    queries = {
        "revenue_won": SQL(
            "SELECT l.user_id, %s, SUM(l.expected_revenue), COUNT(*) %s AND s.is_won GROUP BY 1, 2",
            day(SQL("l.date_closed")), lead_won,
        ),
        "conversion": SQL(
            """SELECT l.user_id, %s, SUM(l.probability), COUNT(*) %s
                  AND (s.is_won OR (NOT l.active AND l.probability = 0)) GROUP BY 1, 2""",
            day(SQL("l.date_closed")), lead_won,
        ),
        "leads_qualified": SQL(
            """SELECT l.user_id, %s, COUNT(*), COUNT(*) FROM crm_lead l
                WHERE l.type = 'opportunity' AND l.date_conversion >= %s AND l.date_conversion < %s
                  AND l.user_id IN %s AND (l.company_id IN %s OR l.company_id IS NULL)
                GROUP BY 1, 2""",
            day(SQL("l.date_conversion")), start, end, ids, companies,
        ),
        "sales_ordered": SQL(
            "SELECT o.user_id, %s, SUM(o.amount_untaxed), COUNT(*) %s GROUP BY 1, 2",
            day(SQL("o.date_order")), orders,
        ),
        "average_order": SQL(
            "SELECT o.user_id, %s, SUM(o.amount_untaxed), COUNT(*) %s GROUP BY 1, 2",
            day(SQL("o.date_order")), orders,
        ),
        "new_customers": SQL(
            "SELECT o.user_id, %s, COUNT(*), COUNT(*) %s AND o.is_first_purchase GROUP BY 1, 2",
            day(SQL("o.date_order")), orders,
        ),
        "repeat_purchases": SQL(
            """SELECT o.user_id, %s, COUNT(*), COUNT(*) %s
                  AND NOT COALESCE(o.is_first_purchase, FALSE) GROUP BY 1, 2""",
            day(SQL("o.date_order")), orders,
        ),
        "payments_received": SQL(
            """SELECT im.invoice_user_id, pl.date, SUM(r.amount), COUNT(*)
                 FROM account_partial_reconcile r
                 JOIN account_move_line il ON il.id = r.debit_move_id
                 JOIN account_move im ON im.id = il.move_id
                 JOIN account_move_line pl ON pl.id = r.credit_move_id
                 JOIN account_move pm ON pm.id = pl.move_id
                WHERE im.move_type = 'out_invoice' AND pm.move_type = 'entry'
                  AND pl.date BETWEEN %s AND %s AND im.invoice_user_id IN %s
                  AND (r.company_id IN %s OR r.company_id IS NULL)
                GROUP BY 1, 2""",
            date_from, date_to, ids, companies,
        ),
        "calls_made": SQL(
            """SELECT m.create_uid, %s, COUNT(*), COUNT(*) %s
                  AND t.category = 'phonecall' GROUP BY 1, 2""",
            day(SQL("m.date")), messages,
        ),
        "meetings_held": SQL(
            "SELECT m.create_uid, %s, COUNT(*), COUNT(*) %s AND t.id = %s GROUP BY 1, 2",
            day(SQL("m.date")), messages, meeting,
        ),
        "leads_without_task": SQL(
            "SELECT d.user_id, d.date, SUM(d.leads_without_task), COUNT(*) %s GROUP BY 1, 2", daily
        ),
        "overdue_tasks": SQL(
            "SELECT d.user_id, d.date, SUM(d.overdue_tasks), COUNT(*) %s GROUP BY 1, 2", daily
        ),
    }  # fmt: skip
    facts = defaultdict(lambda: [0.0, 0])
    for metric in metrics:
        env.cr.execute(queries[metric.code])
        for user_id, day_, amount, count in env.cr.fetchall():
            facts[metric.id, user_id, day_][0] += float(amount or 0)
            facts[metric.id, user_id, day_][1] += count
    return facts


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
    tz = metrics._kpi_tz()

    def orm():
        return metrics._read_fact_parts(users, date_from, date_to, group_by_day=True)

    def sql():
        return _hand_sql(bench, metrics, users, date_from, date_to, tz)

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
