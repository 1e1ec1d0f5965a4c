"""Computing the month's bonus sheet for 1,000 salespeople.

Subject: recomputing a computed sheet (plans and facts through the KPI batch
API, every other input read in batches, the pay maths in Python, each line
checked against what is stored). Baseline: hand-written SQL computing the same
facts: the people with their scheme's metrics, the plan of each person and
metric (the bench's plans cover the whole month, so a target is the plan
line's own), the facts from the source tables (one query per metric, the
month summed per person), the discipline sums and the instant bonuses. Both
sides must give every person the same plan and fact of every metric.

Then the query count for a quarter of the people against all of them: it must
not grow.
"""

from collections import defaultdict

from odoo import Command
from odoo.tools import SQL, float_compare

from .bench_xlsx_bonus_export import people_company
from .kpi_sql import hand_facts

TARGET = 2.0
QUERIES_TARGET = 1.0
PEOPLE = 1000
# attainment of the plans the bench writes, person by person: below the
# threshold, in the first tier, exactly at plan (the step) and over it
ATTAINMENTS = (0.5, 0.85, 1.0, 1.3, 2.0)
PLAN_CHUNK = 25  # people per plan: the overlap check of a plan compares its lines pairwise


def run(bench):
    company = people_company(bench.env, PEOPLE)
    # the sheet's company only, as the sheet reads plans and facts
    env = bench.env(context=dict(bench.env.context, allowed_company_ids=company.ids))
    env["sales.kpi.metric"].search([]).facts_stored_until = False  # live, from the sources
    Sheet = env["sales.bonus.sheet"]
    month = Sheet._fields["date_from"].default(Sheet)
    sheet = Sheet._get_or_create_month(company, month)

    def baseline():
        return _hand_sql(env, company, sheet.date_from, sheet.date_to)

    _write_plans(env, company, sheet, baseline())
    sheet._compute_sheet()
    same = _check_same(sheet, baseline())
    bench.note(f"{len(sheet.line_ids):,} lines, {same:,} (person, metric) plan and fact equal")

    bench.report("bonus_sheet_compute", bench.compare(sheet._compute_sheet, baseline), TARGET)

    everyone, people = bench.queries(sheet._compute_sheet), len(sheet.line_ids)
    quarter = _archive_all_but_a_quarter(env, company)
    sheet._compute_sheet()  # drops the archived people's lines
    few = bench.queries(sheet._compute_sheet)
    bench.note(f"{few} queries for {quarter} people, {everyone} for {people:,}")
    bench.report("bonus_sheet_queries", everyone / few, QUERIES_TARGET)


def _hand_sql(env, company, date_from, date_to):
    """{"people": {user id: (employee id, scheme id)}, "plan_fact": {(user id,
    code): (plan, fact)} for the metrics of each person's scheme, "discipline":
    {user id: sums}, "instant": {employee id: amount}}."""
    env.cr.execute(
        SQL(
            """SELECT e.id, e.user_id, s.id, km.code
                 FROM hr_employee e
                 LEFT JOIN LATERAL (
                      SELECT s.id FROM sales_bonus_scheme s
                       WHERE s.company_id = e.company_id AND s.active
                         AND (s.employee_id = e.id
                              OR (s.employee_id IS NULL AND s.sales_role = e.sales_role))
                       ORDER BY s.employee_id NULLS LAST LIMIT 1) s ON TRUE
                 LEFT JOIN sales_bonus_scheme_metric sm ON sm.scheme_id = s.id
                 LEFT JOIN sales_kpi_metric km ON km.id = sm.metric_id
                WHERE e.company_id = %s AND e.sales_role IS NOT NULL AND e.active""",
            company.id,
        )
    )
    people, paid_on = {}, defaultdict(set)
    for employee_id, user_id, scheme_id, code in env.cr.fetchall():
        people[user_id] = (employee_id, scheme_id)
        if code:
            paid_on[user_id].add(code)
    codes = sorted(set().union(*paid_on.values()))
    metrics = env["sales.kpi.metric"].search([("code", "in", codes)])
    users = env["res.users"].browse(people)
    env.cr.execute(
        SQL(
            """SELECT l.user_id, l.metric_id, SUM(l.target) FROM sales_kpi_plan_line l
                WHERE l.user_id IN %s AND l.company_id = %s AND l.metric_id IN %s
                  AND l.date_from >= %s AND l.date_to <= %s
                GROUP BY 1, 2""",
            tuple(users.ids),
            company.id,
            tuple(metrics.ids),
            date_from,
            date_to,
        )
    )
    plans = {(user_id, metric_id): target for user_id, metric_id, target in env.cr.fetchall()}
    facts = hand_facts(
        env, metrics, users, date_from, date_to, env.company._sales_tz(), by_day=False
    )
    plan_fact = {}
    for metric in metrics:
        for user_id in people:
            if metric.code in paid_on[user_id]:
                amount, count = facts.get((metric.id, user_id, None), (0.0, 0))
                fact = amount / count if metric.measure == "average" and count else amount
                plan = float(plans.get((user_id, metric.id), 0.0))
                plan_fact[user_id, metric.code] = (round(plan, 2), round(fact, 2))
    env.cr.execute(
        SQL(
            """SELECT d.user_id, SUM(d.leads_without_task), SUM(d.overdue_tasks),
                      SUM(d.missing_data), SUM(d.stage_overrides), COUNT(DISTINCT d.date)
                 FROM sales_discipline_daily d
                WHERE (d.company_id = %s OR d.company_id IS NULL) AND d.user_id IN %s
                  AND d.date BETWEEN %s AND %s
                GROUP BY 1""",
            company.id,
            tuple(users.ids),
            date_from,
            date_to,
        )
    )
    discipline = {row[0]: row[1:] for row in env.cr.fetchall()}
    env.cr.execute(
        SQL(
            """SELECT i.employee_id, SUM(i.amount) FROM sales_bonus_instant i
                WHERE i.company_id = %s AND i.date BETWEEN %s AND %s GROUP BY 1""",
            company.id,
            date_from,
            date_to,
        )
    )
    instant = dict(env.cr.fetchall())
    return {"people": people, "plan_fact": plan_fact, "discipline": discipline, "instant": instant}


def _write_plans(env, company, sheet, hand):
    """Whole-month department plans of every person and metric their scheme pays
    on, set from their facts so that attainments spread over the tiers; every
    tenth person has none (the sheet notes a missing plan)."""
    metrics = {m.code: m for m in env["sales.kpi.metric"].search([])}
    targets = [
        (user_id, code, round(max(fact, 1.0) / ATTAINMENTS[user_id % len(ATTAINMENTS)], 2))
        for (user_id, code), (_plan, fact) in sorted(hand["plan_fact"].items())
        if user_id % 10
    ]
    users = sorted({user_id for user_id, _code, _target in targets})
    for start in range(0, len(users), PLAN_CHUNK):
        chunk = set(users[start : start + PLAN_CHUNK])
        env["sales.kpi.plan"].create(
            {
                "name": f"Bench plan {start // PLAN_CHUNK}",
                "company_id": company.id,
                "date_from": sheet.date_from,
                "date_to": sheet.date_to,
                "line_ids": [
                    Command.create(
                        {"user_id": user_id, "metric_id": metrics[code].id, "target": target}
                    )
                    for user_id, code, target in targets
                    if user_id in chunk
                ],
            }
        )


def _check_same(sheet, hand):
    """Every metric of every pay line has the hand-computed plan and fact."""
    sheet_plan_fact = {
        (metric.line_id.user_id.id, metric.metric_code): (metric.plan, metric.fact)
        for metric in sheet.line_ids.metric_line_ids
    }
    differ = [
        (key, sheet_plan_fact.get(key), hand["plan_fact"].get(key))
        for key in set(sheet_plan_fact) | set(hand["plan_fact"])
        if key not in sheet_plan_fact
        or key not in hand["plan_fact"]
        or any(
            float_compare(ours, theirs, precision_digits=2)
            for ours, theirs in zip(sheet_plan_fact[key], hand["plan_fact"][key], strict=True)
        )
    ]
    if differ:
        raise AssertionError(f"{len(differ)} plans or facts differ from the SQL: {differ[:3]}")
    return len(sheet_plan_fact)


def _archive_all_but_a_quarter(env, company):
    employees = env["hr.employee"].search(
        [("company_id", "=", company.id), ("sales_role", "!=", False)], order="id"
    )
    keep = len(employees) // 4
    employees[keep:].write({"active": False})
    return keep
