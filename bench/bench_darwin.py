"""The Darwin weighting job for the whole department (every team on Darwin)
against one hand-written grouped query per company of last month's
attainment, the same figures value by value, timed alternately in the same
run.

Setup (not measured): a plan of last month for every salesperson on every
shipped metric, and last month's facts stored as the nightly job stores
them (the job reads stored days; a metric never stored is read live, as the
board and pay read it). The job then reads everyone's month and writes every member's weight;
the baseline only reads the attainments.
"""

from datetime import timedelta

from odoo import Command
from odoo.tools import SQL

TARGET = 2.0

# last month's attainment per person, as the board defines it: every active
# metric with a plan, weighted by its board weight, each capped
ATTAINMENT_SQL = """
WITH target AS (
    SELECT line.metric_id, line.user_id, sum(day.amount::numeric) AS plan
      FROM sales_kpi_plan_line line
     CROSS JOIN LATERAL jsonb_array_elements_text(line.day_targets::jsonb)
           WITH ORDINALITY AS day(amount, position)
     WHERE line.company_id = %(company)s AND line.user_id = ANY(%(users)s)
       AND line.date_from + (day.position::int - 1) BETWEEN %(first)s AND %(last)s
     GROUP BY line.metric_id, line.user_id
), fact AS (
    SELECT metric_id, user_id, sum(amount) AS amount, sum(record_count) AS count
      FROM sales_kpi_fact
     WHERE company_id = %(company)s AND user_id = ANY(%(users)s)
       AND date BETWEEN %(first)s AND %(last)s
     GROUP BY metric_id, user_id
), reached AS (
    SELECT target.user_id, metric.board_weight AS weight,
           greatest(CASE WHEN metric.higher_is_better
                         THEN fact_value / target.plan
                         ELSE target.plan / greatest(fact_value, target.plan) END, 0) AS value
      FROM target
      JOIN sales_kpi_metric metric ON metric.id = target.metric_id AND metric.active
      LEFT JOIN fact ON fact.metric_id = target.metric_id AND fact.user_id = target.user_id
     CROSS JOIN LATERAL (
           SELECT coalesce(CASE WHEN metric.measure = 'average'
                                THEN fact.amount / nullif(fact.count, 0)
                                ELSE fact.amount END, 0)::numeric AS fact_value) AS f
     WHERE target.plan > 0 AND metric.board_weight > 0
)
SELECT user_id,
       sum(weight * CASE WHEN %(cap)s::numeric IS NULL THEN value
                         ELSE least(value, %(cap)s::numeric) END) / sum(weight)
  FROM reached
 GROUP BY user_id
"""


def _last_month(company):
    first_this = company._sales_date().replace(day=1)
    last = first_this - timedelta(days=1)
    return last.replace(day=1), last


def run(bench):
    env = bench.env
    teams = env["crm.team"].search([("member_ids", "!=", False)])
    metrics = env["sales.kpi.metric"].search([])
    companies = teams.company_id
    for company in companies:  # setup, not measured
        first, last = _last_month(company)
        people = teams.filtered(lambda team, company=company: team.company_id == company)
        env["sales.kpi.plan"].create(
            {
                "name": "Bench Darwin month",
                "company_id": company.id,
                "date_from": first,
                "date_to": last,
                "line_ids": [
                    Command.create(
                        {"metric_id": metric.id, "user_id": user_id, "target": 10 + user_id % 7}
                    )
                    for metric in metrics
                    for user_id in people.member_ids.ids
                ],
            }
        )
    # every company, as the nightly job does: only then do the metrics' stored
    # days move (a company left out would keep them read live)
    facts = env["sales.kpi.fact"]
    every = facts._every_company()
    facts._store_facts(metrics, every, min(c._sales_date() for c in every) - timedelta(days=1))
    teams.sales_darwin = True
    env.flush_all()
    members = teams.crm_team_member_ids
    bench.note(f"{len(teams)} teams, {len(members):,} members, {len(metrics)} metrics")

    def job():
        env["crm.team"]._cron_sales_darwin()
        env.flush_all()

    def hand_sql():
        result = {}
        for company in companies:
            first, last = _last_month(company)
            cap = company.sales_board_attainment_cap
            users = teams.filtered(
                lambda team, company=company: team.company_id == company
            ).member_ids
            query = SQL(
                ATTAINMENT_SQL,
                company=company.id,
                users=users.ids,
                first=first,
                last=last,
                cap=cap / 100 if cap else None,
            )
            result.update(env.execute_query(query))
        return result

    job()
    expected = hand_sql()
    got = {
        member.user_id.id: member.sales_weight_attainment
        for member in members
        if member.sales_weight_planned
    }
    wrong = {
        user_id: (got.get(user_id), round(float(value) * 100, 2))
        for user_id, value in expected.items()
        if abs(got.get(user_id, -1) - float(value) * 100) > 0.006
    }
    if wrong or set(got) != set(expected):
        raise AssertionError(
            f"the job and the hand SQL differ: {dict(list(wrong.items())[:5])}, "
            f"{len(got)} vs {len(expected)} people with a plan"
        )
    bench.note(f"{len(got):,} attainments equal to the hand SQL's")
    bench.note(f"job: {bench.queries(job)} queries for {len(members):,} members")
    bench.report("darwin", bench.compare(job, hand_sql, repeat=5), TARGET)
