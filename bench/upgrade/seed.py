"""What the first release's generator did not write and an upgrade must keep:
KPI plans at scale and locked bonus sheets. Runs on the OLD code (the
registry of the database at 18.0.1.0.0), after its generator.

- Plans: one plan per team and month, going back from this month until the
  lines reach the number asked; each plan holds a target of every active
  metric for each member (heads apart) and the team's target (the members'
  sum). Written in SQL (no rule of the plan runs): the months never overlap,
  the targets are positive. At 100,000 leads (102 members, 17 teams,
  12 metrics) a month holds 1,428 lines: 300,000 lines take 211 months.
  What an upgrade spreads over days is people × days, about as many as the
  1,002 people of 24 months at 1,000,000 leads.
- Locked sheets: the bonus sheet of each company for each of the last full
  months, computed and confirmed through the old ORM, as a bonus
  accountant does.
"""

import math

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL


def seed(registry, plan_lines, locked_months):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        companies = env["res.company"].browse(_bench_companies(cr))
        env = env(context={"allowed_company_ids": companies.ids})
        months = _plans(env, plan_lines)
        print(f"  {months} months of plans, {_count(cr, 'sales_kpi_plan_line'):,} plan lines")
        sheets = _locked_sheets(env, companies, locked_months)
        print(
            f"  {len(sheets)} bonus sheets locked ({', '.join(sheets.mapped('name'))}), "
            f"{len(sheets.line_ids):,} lines"
        )


def _bench_companies(cr):
    cr.execute(SQL("SELECT DISTINCT company_id FROM bench_person ORDER BY company_id"))
    return [row[0] for row in cr.fetchall()]


def _count(cr, table):
    cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
    return cr.fetchone()[0]


def _plans(env, plan_lines):
    """Monthly plans of every team back from this month; returns the months."""
    cr = env.cr
    cr.execute(
        SQL(
            """SELECT (SELECT count(*) FROM sales_kpi_metric WHERE active)
                    * (SELECT count(DISTINCT team_id) + count(*) FILTER (WHERE role <> 'head')
                         FROM bench_person)"""
        )
    )
    per_month = cr.fetchone()[0]
    months = math.ceil(plan_lines / per_month)
    this_month = fields.Date.context_today(env["sales.kpi.plan"]).replace(day=1)
    first = this_month - relativedelta(months=months - 1)
    cr.execute(
        SQL(
            """INSERT INTO sales_kpi_plan (name, company_id, team_id, date_from, date_to,
                                           trainee_factor, create_uid, create_date,
                                           write_uid, write_date)
               SELECT team.name->>'en_US' || ' ' || to_char(month, 'YYYY-MM'), team.company_id,
                      team.id, month::date, (month + interval '1 month - 1 day')::date, 0.5,
                      %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                 FROM crm_team team
                CROSS JOIN generate_series(%(first)s::timestamp, %(last)s::timestamp,
                                           interval '1 month') AS month
                WHERE team.id IN (SELECT team_id FROM bench_person)""",
            uid=SUPERUSER_ID,
            first=first,
            last=this_month,
        )
    )
    # a member's target: 5 to 24 of the metric's unit, varying by person,
    # metric and month; the team's target is its members' sum
    cr.execute(
        SQL(
            """WITH person AS (
                   SELECT plan.id AS plan_id, plan.company_id, plan.team_id, plan.date_from,
                          plan.date_to, metric.id AS metric_id, member.user_id,
                          5 + mod(member.user_id * 7 + metric.id * 3
                                  + EXTRACT(MONTH FROM plan.date_from)::int, 20) AS target
                     FROM sales_kpi_plan plan
                     JOIN bench_person member
                       ON member.team_id = plan.team_id AND member.role <> 'head'
                    CROSS JOIN sales_kpi_metric metric
                    WHERE metric.active
               )
               INSERT INTO sales_kpi_plan_line (plan_id, company_id, team_id, date_from,
                                                date_to, metric_id, user_id, weight, target,
                                                create_uid, create_date, write_uid, write_date)
               SELECT plan_id, company_id, team_id, date_from, date_to, metric_id, user_id,
                      1.0, target, %(uid)s, now() at time zone 'UTC', %(uid)s,
                      now() at time zone 'UTC'
                 FROM person
                UNION ALL
               SELECT plan_id, company_id, team_id, date_from, date_to, metric_id, NULL,
                      1.0, sum(target), %(uid)s, now() at time zone 'UTC', %(uid)s,
                      now() at time zone 'UTC'
                 FROM person
                GROUP BY plan_id, company_id, team_id, date_from, date_to, metric_id""",
            uid=SUPERUSER_ID,
        )
    )
    return months


def _locked_sheets(env, companies, locked_months):
    """Each company's sheet of each of the last full months, computed and confirmed."""
    Sheet = env["sales.bonus.sheet"]
    this_month = fields.Date.context_today(Sheet).replace(day=1)
    sheets = Sheet
    for back in range(locked_months, 0, -1):
        month = this_month - relativedelta(months=back)
        for company in companies:
            sheet = Sheet._get_or_create_month(company, month)
            sheet.action_compute()
            sheets |= sheet
    sheets.action_confirm()
    env.flush_all()
    return sheets
