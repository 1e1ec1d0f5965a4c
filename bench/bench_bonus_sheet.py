"""Computing the month's bonus sheet for 1,000 salespeople, the first time.

Subject: the month's sheet created and computed from nothing (plans and facts
through the KPI batch API, every other input read in batches, the pay maths
in Python, every pay line and metric line written), settled and rolled back
so each run computes it anew. Baseline, the same work by hand: hand-written
SQL reading the same inputs (the people with their scheme's metrics, the plan
of each person and metric (the bench's plan covers the whole month, so a
target is the plan line's own), the facts from the source tables (one query
per metric, the month summed per person), the discipline sums and the instant
bonuses), the same pay maths in Python, then the sheet, its pay lines and
their metric lines written with the columns the ORM writes, one plain INSERT
each; rolled back the same way.

Before timing, each side is run once and what it wrote is read back: every
person's plan and fact of every metric the subject wrote equals the
baseline's inputs, and every pay amount (fixed, soft, bonus, instant, total,
discipline score, payout share), every metric line and the sheet's totals
equal what the baseline wrote, value by value. The plan is one plan of every
person and metric (about 12,000 lines at full scale): its overlap check is a
single query.

Then the query count of the first compute for a quarter of the people
against all of them: it must not grow.
"""

import json
from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tools import SQL

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
# the columns the ORM writes: of a pay line (its own, then its sheet's) and of a metric line
LINE_COLUMNS = (
    "line_type", "employee_id", "user_id", "team_id", "sales_role", "scheme_id",
    "scheme_snapshot", "target_pay", "fixed_amount", "discipline_score", "soft_target",
    "soft_amount", "bonus_target", "bonus_payout", "bonus_amount", "instant_amount",
    "instant_paid_amount", "clawback_amount", "total_amount", "to_pay_amount",
    "next_tier_note", "payout_share", "payout_flagged", "note", "origin_line_id",
    "trainee_id", "vals_digest", "sheet_id", "company_id", "currency_id", "date_from", "state",
)  # fmt: skip
METRIC_COLUMNS = (
    "line_id", "company_id", "user_id", "team_id", "sheet_state", "metric_id", "weight",
    "plan", "fact", "attainment", "payout", "to_next_tier", "next_tier_payout",
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

    _write_plans(env, company, month, month_end, _hand_sql(env, company, month, month_end))
    # the plan's day targets (a stored compute) written now, outside the
    # rolled-back runs: flushed inside the first one, they would be rolled
    # back with it and every later run would find no plan
    bench.settle()

    def first_compute():
        sheet = Sheet._get_or_create_month(company, month)
        sheet._compute_sheet()
        return sheet.id

    def baseline():
        return _hand_write(env, company, month, month_end)

    written = {}
    for side, func in (("subject", first_compute), ("baseline", baseline)):
        bench.rolled_back(
            func, lambda sheet_id, side=side: written.update({side: _read_back(env, sheet_id)})
        )()
    same = _check_same(written["subject"], _hand_sql(env, company, month, month_end))
    paid = _check_written(written["subject"], written["baseline"])
    bench.note(
        f"{len(written['subject']['lines']):,} pay lines: {same:,} (person, metric) plans and"
        f" facts equal to the baseline's inputs, {paid:,} pay amounts and metric values equal"
        " to what the baseline wrote"
    )

    first = bench.rolled_back(first_compute)
    bench.report(
        "bonus_sheet_first_compute",
        bench.compare(first, bench.rolled_back(baseline)),
        TARGET,
    )

    people = len(_hand_sql(env, company, month, month_end)["people"])
    everyone = bench.queries(first)
    quarter = _archive_all_but_a_quarter(env, company)
    few = bench.queries(first)
    bench.note(f"{few} queries for {quarter} people, {everyone} for {people:,}")
    bench.report("bonus_sheet_queries", everyone / few, QUERIES_TARGET)


def _hand_sql(env, company, date_from, date_to):
    """{"people": {user id: (employee id, scheme id)}, "plan_fact": {(user id,
    code): (plan, fact)} for the metrics of each person's scheme, "discipline":
    {user id: sums}, "instant": {employee id: (approved amount, of which paid)}}."""
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
            """SELECT i.employee_id, SUM(i.amount)::float,
                      COALESCE(SUM(i.amount) FILTER (WHERE i.state = 'paid'), 0)::float
                 FROM sales_bonus_instant i
                WHERE i.company_id = %s AND i.date BETWEEN %s AND %s
                  AND i.state IN ('approved', 'paid') GROUP BY 1""",
            company.id,
            date_from,
            date_to,
        )
    )
    instant = {employee_id: (amount, paid) for employee_id, amount, paid in env.cr.fetchall()}
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


def _hand_write(env, company, date_from, date_to):
    """The baseline's work: the inputs read by :func:`_hand_sql`, each pay
    line worked out by the pay maths in Python, then the sheet, its pay lines
    and their metric lines written by one plain INSERT each, with the columns
    the ORM writes (the lines' totals, digests and the sheet's totals
    included). Returns the sheet's id."""
    hand = _hand_sql(env, company, date_from, date_to)
    lang = company._sales_lang()
    sheet = (
        env["sales.bonus.sheet"]
        .with_context(lang=lang)
        .new({"company_id": company.id, "date_from": date_from})
    )
    context = _hand_context(sheet, hand)
    vals_list = [
        dict(sheet._blank_line_vals(), **sheet._prepare_pay_line_vals(employee, context))
        for employee in context["employees"]
    ]
    digits = company.currency_id.decimal_places
    for vals in vals_list:
        vals["vals_digest"] = sheet._line_digest(vals)
        vals["total_amount"] = round(
            sum(vals[name] for name in ("fixed_amount", "soft_amount", "bonus_amount"))
            + vals["instant_amount"]
            + vals["clawback_amount"],
            digits,
        )
        vals["to_pay_amount"] = round(vals["total_amount"] - vals["instant_paid_amount"], digits)
    uid = env.uid
    env.cr.execute(
        SQL(
            """INSERT INTO sales_bonus_sheet (name, company_id, currency_id, date_from, date_to,
                      state, total_amount, to_pay_amount, computed_on, note,
                      create_uid, create_date, write_uid, write_date)
               VALUES (%s, %s, %s, %s, %s, 'computed', %s, %s, %s, %s, %s, %s, %s, %s)
               RETURNING id""",
            sheet.env._(
                "Bonus sheet %(month)s, %(company)s",
                month=date_from.strftime("%Y-%m"),
                company=company.name,
            ),
            company.id,
            company.currency_id.id,
            date_from,
            date_to,
            round(sum(vals["total_amount"] for vals in vals_list), digits),
            round(sum(vals["to_pay_amount"] for vals in vals_list), digits),
            env.cr.now(),
            sheet._notes(context) or None,
            uid,
            env.cr.now(),
            uid,
            env.cr.now(),
        )
    )
    [[sheet_id]] = env.cr.fetchall()
    of_sheet = {
        "sheet_id": sheet_id,
        "company_id": company.id,
        "currency_id": company.currency_id.id,
        "date_from": date_from,
        "state": "computed",
    }
    line_ids = dict(
        _insert_json(
            env,
            "sales_bonus_line",
            LINE_COLUMNS,
            [dict(vals, **of_sheet) for vals in vals_list],
            SQL("employee_id, id"),
        )
    )
    _insert_json(
        env,
        "sales_bonus_line_metric",
        METRIC_COLUMNS,
        [
            dict(
                metric,
                line_id=line_ids[vals["employee_id"]],
                company_id=company.id,
                user_id=vals["user_id"],
                team_id=vals["team_id"],
                sheet_state="computed",
            )
            for vals in vals_list
            for metric in vals["metric_line_ids"]
        ],
        SQL("id"),
    )
    return sheet_id


def _insert_json(env, table, columns, rows, returning):
    """One INSERT of ``rows`` (dicts of ``columns``; False is empty but in a
    boolean) into ``table``, sent as one JSON array; the rows of ``returning``."""
    names = SQL(", ").join(SQL.identifier(name) for name in columns)
    now = env.cr.now()
    env.cr.execute(
        SQL(
            """INSERT INTO %(table)s (%(names)s, create_uid, create_date, write_uid, write_date)
               SELECT %(names)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                 FROM jsonb_populate_recordset(NULL::%(table)s, %(rows)s)
               RETURNING %(returning)s""",
            table=SQL.identifier(table),
            names=names,
            uid=env.uid,
            now=now,
            rows=json.dumps(
                [
                    {
                        name: None
                        if row.get(name) is False and name != "payout_flagged"
                        else row.get(name)
                        for name in columns
                    }
                    for row in rows
                ],
                default=str,
            ),
            returning=returning,
        )
    )
    return env.cr.fetchall()


def _hand_context(sheet, hand):
    """What the pay maths read, from the baseline's inputs (plans, facts,
    discipline sums, instant bonuses)."""
    from odoo.addons.sales_dept_org.models.sales_bonus_scheme import to_decimal
    from odoo.addons.sales_dept_org.models.sales_bonus_sheet_compute import DISCIPLINE_COUNTS

    metrics = {m.code: m.id for m in sheet.env["sales.kpi.metric"].search([])}
    employees = sheet._bonus_employees()
    Scheme = sheet.env["sales.bonus.scheme"]
    schemes = {
        employee_id: Scheme.browse(scheme_id)
        for employee_id, scheme_id in hand["people"].values()
        if scheme_id
    }
    return {
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


def _read_back(env, sheet_id):
    """What a side wrote, read back: {"sheet": (total, to pay), "lines":
    {employee id: pay amounts}, "metrics": {(user id, metric code): metric values}}."""
    cr = env.cr
    cr.execute(
        SQL("SELECT total_amount, to_pay_amount FROM sales_bonus_sheet WHERE id = %s", sheet_id)
    )
    [totals] = cr.fetchall()
    cr.execute(
        SQL(
            """SELECT employee_id, %s FROM sales_bonus_line
                WHERE sheet_id = %s AND line_type = 'pay'""",
            SQL(", ").join(SQL.identifier(name) for name in AMOUNTS),
            sheet_id,
        )
    )
    lines = {employee_id: amounts for employee_id, *amounts in cr.fetchall()}
    cr.execute(
        SQL(
            """SELECT m.user_id, km.code, m.plan, m.fact, m.weight, m.attainment, m.payout,
                      m.to_next_tier, m.next_tier_payout, m.team_id, m.company_id
                 FROM sales_bonus_line_metric m
                 JOIN sales_bonus_line l ON l.id = m.line_id
                 JOIN sales_kpi_metric km ON km.id = m.metric_id
                WHERE l.sheet_id = %s""",
            sheet_id,
        )
    )
    metrics = {(user_id, code): values for user_id, code, *values in cr.fetchall()}
    return {"sheet": totals, "lines": lines, "metrics": metrics}


def _check_same(written, hand):
    """Every metric of every pay line has the hand-read plan and fact."""
    plan_fact = {key: values[:2] for key, values in written["metrics"].items()}
    differ = [
        (key, plan_fact.get(key), hand["plan_fact"].get(key))
        for key in set(plan_fact) | set(hand["plan_fact"])
        if key not in plan_fact
        or key not in hand["plan_fact"]
        or _differ(plan_fact[key], hand["plan_fact"][key])
    ]
    if differ:
        raise AssertionError(f"{len(differ)} plans or facts differ from the SQL: {differ[:3]}")
    return len(plan_fact)


def _check_written(ours, theirs):
    """What the subject wrote equals what the baseline wrote, value by value:
    every pay amount of every person, every value of every metric line and
    the sheet's totals. Returns the number of values compared."""
    differ = (
        [("sheet", ours["sheet"], theirs["sheet"])]
        if _differ(ours["sheet"], theirs["sheet"])
        else []
    )
    for part in ("lines", "metrics"):
        differ += [
            (part, key, ours[part].get(key), theirs[part].get(key))
            for key in set(ours[part]) | set(theirs[part])
            if key not in ours[part]
            or key not in theirs[part]
            or _differ(ours[part][key], theirs[part][key])
        ]
    if differ:
        raise AssertionError(
            f"{len(differ)} written values differ from the baseline's: {differ[:3]}"
        )
    return sum(len(values) for part in ("lines", "metrics") for values in ours[part].values())


def _differ(ours, theirs):
    """Whether two rows of values differ: numbers to the cent (a numeric
    column reads back as a Decimal), the rest exactly."""
    pairs = [(_number(a), _number(b)) for a, b in zip(ours, theirs, strict=True)]
    return any(
        abs(a - b) >= 0.005 if isinstance(a, float) and isinstance(b, float) else a != b
        for a, b in pairs
    )


def _number(value):
    return float(value) if isinstance(value, float | Decimal) else value


def _archive_all_but_a_quarter(env, company):
    employees = env["hr.employee"].search(
        [("company_id", "=", company.id), ("sales_role", "!=", False)], order="id"
    )
    keep = len(employees) // 4
    employees[keep:].write({"active": False})
    return keep
