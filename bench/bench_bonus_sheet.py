"""Computing the month's bonus sheet for 1,000 salespeople, the first time.

Subject: the month's sheet created and computed from nothing (plans and facts
through the KPI batch API, every other input read in batches, the pay maths
in Python, every pay line and metric line written), settled and rolled back
so each run computes it anew. Baseline: hand-written SQL reading the same
inputs: the people with their scheme's metrics, the plan of each person and
metric (the bench's plan covers the whole month, so a target is the plan
line's own), the facts from the source tables (one query per metric, the
month summed per person), the discipline sums and the instant bonuses.

Before timing, one run is compared with the baseline value by value: every
person's plan and fact of every metric, and every pay amount (fixed, soft,
bonus, instant, total, discipline score, payout share), the amounts worked
out by the pay maths from the baseline's inputs. The plan is one plan of
every person and metric (about 12,000 lines at full scale): its overlap check
is a single query.

Then the query count of the first compute for a quarter of the people
against all of them: it must not grow.
"""

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tools import SQL, float_compare

from .bench_xlsx_bonus_export import people_company
from .kpi_sql import hand_facts

CALENDAR = True  # the month, the day: also run with the clock set (make bench-calendar)
TARGET = 2.0
QUERIES_TARGET = 1.0
PEOPLE = 1000
# attainment of the plans the bench writes, person by person: below the
# threshold, in the first tier, exactly at plan (the step) and over it
ATTAINMENTS = (0.5, 0.85, 1.0, 1.3, 2.0)
AMOUNTS = (
    "fixed_amount", "soft_amount", "bonus_amount", "instant_amount", "total_amount",
    "discipline_score", "payout_share",
)  # fmt: skip


def run(bench):
    company = people_company(bench.env, PEOPLE)
    # the sheet's company only, as the sheet reads plans and facts
    env = bench.env(context=dict(bench.env.context, allowed_company_ids=company.ids))
    env["sales.kpi.metric"].search([]).facts_stored_until = False  # live, from the sources
    Sheet = env["sales.bonus.sheet"]
    month = Sheet._fields["date_from"].default(Sheet)
    month_end = month + relativedelta(day=31)
    if Sheet.search_count([("company_id", "=", company.id), ("date_from", "=", month)]):
        raise AssertionError(f"{company.name} already has the sheet of {month}")

    def baseline():
        return _hand_sql(env, company, month, month_end)

    _write_plans(env, company, month, month_end, baseline())

    def first_compute():
        sheet = Sheet._get_or_create_month(company, month)
        sheet._compute_sheet()
        return sheet

    def check(sheet):
        hand = baseline()
        same = _check_same(sheet, hand)
        paid = _check_amounts(sheet, hand)
        bench.note(
            f"{len(sheet.line_ids):,} lines: {same:,} (person, metric) plans and facts and"
            f" {paid:,} pay amounts equal to the baseline's"
        )

    bench.rolled_back(first_compute, check)()
    first = bench.rolled_back(first_compute)
    bench.report("bonus_sheet_first_compute", bench.compare(first, baseline), TARGET)

    people = len(_hand_sql(env, company, month, month_end)["people"])
    everyone = bench.queries(first)
    quarter = _archive_all_but_a_quarter(env, company)
    few = bench.queries(first)
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
                WHERE i.company_id = %s AND i.date BETWEEN %s AND %s
                  AND i.state IN ('approved', 'paid') GROUP BY 1""",
            company.id,
            date_from,
            date_to,
        )
    )
    instant = dict(env.cr.fetchall())
    env.cr.execute(
        SQL(
            """SELECT COUNT(DISTINCT d.date) FROM sales_discipline_daily d
                WHERE (d.company_id = %s OR d.company_id IS NULL) AND d.date BETWEEN %s AND %s""",
            company.id,
            date_from,
            date_to,
        )
    )
    days = env.cr.fetchone()[0]
    return {
        "people": people,
        "plan_fact": plan_fact,
        "discipline": discipline,
        "days": days,
        "instant": instant,
    }


def _write_plans(env, company, date_from, date_to, hand):
    """A whole-month department plan of every person and metric their scheme
    pays on, set from their facts so that attainments spread over the tiers;
    every tenth person has none (the sheet notes a missing plan)."""
    metrics = {m.code: m for m in env["sales.kpi.metric"].search([])}
    env["sales.kpi.plan"].create(
        {
            "name": "Bench plan",
            "company_id": company.id,
            "date_from": date_from,
            "date_to": date_to,
            "line_ids": [
                Command.create(
                    {
                        "user_id": user_id,
                        "metric_id": metrics[code].id,
                        "target": round(
                            max(fact, 1.0) / ATTAINMENTS[user_id % len(ATTAINMENTS)], 2
                        ),
                    }
                )
                for (user_id, code), (_plan, fact) in sorted(hand["plan_fact"].items())
                if user_id % 10
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


def _check_amounts(sheet, hand):
    """Every pay line's amounts equal what the pay maths give from the
    baseline's inputs (plans, facts, discipline sums, instant bonuses)."""
    from odoo.addons.sales_dept_org.models.sales_bonus_scheme import to_decimal
    from odoo.addons.sales_dept_org.models.sales_bonus_sheet_compute import DISCIPLINE_COUNTS

    metrics = {m.code: m.id for m in sheet.env["sales.kpi.metric"].search([])}
    employees = sheet._bonus_employees()
    schemes = {
        employee_id: sheet.env["sales.bonus.scheme"].browse(scheme_id)
        for employee_id, scheme_id in hand["people"].values()
        if scheme_id
    }
    context = {
        "employees": employees,
        "schemes": schemes,
        "params": sheet._scheme_params(set(schemes.values())),
        "teams": employees.user_id._sales_team_by_user(sheet.company_id),
        "plan_fact": {
            (user_id, metrics[code]): values
            for (user_id, code), values in hand["plan_fact"].items()
        },
        "discipline": {
            "days": hand["days"],
            "totals": {
                user_id: dict(zip(DISCIPLINE_COUNTS, sums[:4], strict=True))
                for user_id, sums in hand["discipline"].items()
            },
        },
        "instant": hand["instant"],
        "flag_above": to_decimal(sheet.company_id.sales_payout_flag_percent),
    }
    lines = {line.employee_id.id: line for line in sheet.line_ids if line.line_type == "pay"}
    differ = []
    for employee in employees:
        expected = sheet._prepare_pay_line_vals(employee, context)
        expected["total_amount"] = sum(
            expected.get(name, 0.0)
            for name in ("fixed_amount", "soft_amount", "bonus_amount", "instant_amount")
        )
        line = lines.get(employee.id)
        differ += [
            (employee.id, name, line[name] if line else None, expected.get(name, 0.0))
            for name in AMOUNTS
            if not line or float_compare(line[name], expected.get(name, 0.0), precision_digits=2)
        ]
    if differ:
        raise AssertionError(f"{len(differ)} pay amounts differ from the baseline: {differ[:3]}")
    return len(employees) * len(AMOUNTS)


def _archive_all_but_a_quarter(env, company):
    employees = env["hr.employee"].search(
        [("company_id", "=", company.id), ("sales_role", "!=", False)], order="id"
    )
    keep = len(employees) // 4
    employees[keep:].write({"active": False})
    return keep
