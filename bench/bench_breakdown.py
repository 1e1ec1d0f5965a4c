"""Plan breakdown of every team at once (167 teams and 1,002 people at full
scale): the wizards of next month's plan of every team created in one batch
(the history read, the needs worked out, each person's figures shared by
weight) against hand-written SQL reading the same history: per team, its
leads created in the window that reached its qualifying stage and its
closers' first stage, the won ones and their average expected revenue, and
the calls its hunters and universal salespeople made (``kpi_sql.hand_facts``).
Before timing, every team's five figures must equal the SQL's, and its
people's calls must add up to the calls the wizard asks of them.

Setup (not measured): an empty plan of next month for every team.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo.tools import SQL, float_round

from odoo.addons.sales_dept_org.engine.plan_breakdown import history_window

from .kpi_sql import hand_facts

CALENDAR = True  # the history is the months before today's: also run with the clock set
TARGET = 2.0
TEAM_TARGET = 500000

HISTORY_SQL = """
WITH leads AS (
    SELECT lead.id, lead.team_id, lead.active, lead.expected_revenue,
           COALESCE(current.is_won, FALSE) AS in_won_stage
      FROM crm_lead lead
 LEFT JOIN crm_stage current ON current.id = lead.stage_id
     WHERE lead.team_id = ANY(%(teams)s)
       AND lead.create_date >= %(start)s AND lead.create_date < %(stop)s
), furthest AS (
    SELECT DISTINCT ON (moves.lead_id) moves.lead_id,
           ARRAY[stage.sequence, stage.id] AS place, COALESCE(stage.is_won, FALSE) AS is_won
      FROM (SELECT log.lead_id, log.stage_id
              FROM sales_lead_stage_log log JOIN leads ON leads.id = log.lead_id
            UNION
            SELECT id, stage_id FROM crm_lead
             WHERE id IN (SELECT id FROM leads) AND stage_id IS NOT NULL) AS moves
      JOIN crm_stage stage ON stage.id = moves.stage_id
  ORDER BY moves.lead_id, stage.sequence DESC, stage.id DESC
), milestones AS (
    SELECT team.id AS team_id,
           (SELECT ARRAY[s.sequence, s.id] FROM crm_stage s
             WHERE s.sales_qualifying AND (s.team_id IS NULL OR s.team_id = team.id)
             ORDER BY s.sequence, s.id LIMIT 1) AS qualifying,
           (SELECT ARRAY[s.sequence, s.id] FROM crm_stage s
             WHERE s.responsible_role = 'closer' AND (s.team_id IS NULL OR s.team_id = team.id)
             ORDER BY s.sequence, s.id LIMIT 1) AS proposal
      FROM crm_team team WHERE team.id = ANY(%(teams)s)
)
SELECT milestones.team_id,
       COUNT(*) FILTER (WHERE furthest.place >= milestones.qualifying),
       COUNT(*) FILTER (WHERE furthest.place >= milestones.proposal),
       COUNT(*) FILTER (WHERE furthest.place >= milestones.proposal
                          AND leads.active AND furthest.is_won),
       AVG(leads.expected_revenue) FILTER (WHERE leads.active AND leads.in_won_stage)
  FROM milestones
  JOIN leads ON leads.team_id = milestones.team_id
  JOIN furthest ON furthest.lead_id = leads.id
 GROUP BY milestones.team_id
"""


def run(bench):
    env = bench.env
    Breakdown = env["sales.kpi.plan.breakdown"]
    teams = env["crm.team"].search([("member_ids", "!=", False), ("company_id", "!=", False)])
    calls_metric = env.ref("sales_dept_org.kpi_metric_calls_made")
    plans = env["sales.kpi.plan"]
    for company, company_teams in teams.grouped("company_id").items():  # setup
        month = company._sales_date().replace(day=1) + relativedelta(months=1)
        plans |= plans.create(
            [
                {
                    "name": f"Bench breakdown {team.name}",
                    "team_id": team.id,
                    "company_id": company.id,
                    "date_from": month,
                    "date_to": month + relativedelta(months=1, days=-1),
                }
                for team in company_teams
            ]
        )
    env.flush_all()
    members = teams.crm_team_member_ids
    bench.note(f"{len(teams)} teams, {len(members):,} members, one plan each")

    def wizards():
        return Breakdown.create([{"plan_id": plan.id, "target": TEAM_TARGET} for plan in plans])

    def hand_sql():
        result = {}
        for company, company_teams in teams.grouped("company_id").items():
            date_from, date_to = history_window(company._sales_date(), 3)
            start = datetime.combine(date_from, time.min)
            stop = datetime.combine(date_to + timedelta(days=1), time.min)
            query = SQL(HISTORY_SQL, teams=company_teams.ids, start=start, stop=stop)
            counts = {row[0]: row[1:] for row in env.execute_query(query)}
            people = company_teams.crm_team_member_ids.filtered(
                lambda member: member.sales_role in ("hunter", "universal")
            )
            calls = hand_facts(
                env(context=dict(env.context, allowed_company_ids=company.ids)),
                calls_metric,
                people.user_id,
                date_from,
                date_to,
                company._sales_tz(),
                by_day=False,
            )
            by_team = defaultdict(int)
            for member in people:
                by_team[member.crm_team_id.id] += calls[calls_metric.id, member.user_id.id, None][1]
            for team in company_teams:
                meetings, proposals, won, average = counts.get(team.id, (0, 0, 0, None))
                result[team.id] = (by_team[team.id], meetings, proposals, won, float(average or 0))
        return result

    created = bench.rolled_back(wizards, inspect=lambda found: _check(bench, found, hand_sql()))
    created()
    bench.note(
        f"wizards: {bench.queries(bench.rolled_back(wizards))} queries for {len(teams)} teams"
    )
    bench.report("breakdown", bench.compare(bench.rolled_back(wizards), hand_sql, repeat=3), TARGET)


def cents(amount):
    """``amount`` to the cent as money is shown (half up): PostgreSQL's exact
    AVG and the wizard's float one may fall either side of a half cent
    (51,278.125 against 51,278.12500000001), which Python's round() splits."""
    return float_round(amount, precision_digits=2)


def _check(bench, found, expected):
    """Every team's history equal to the SQL's; the people's calls add up."""
    ours = {
        wizard.team_id.id: (
            wizard.history_calls,
            wizard.history_meetings,
            wizard.history_proposals,
            wizard.history_won,
            cents(wizard.history_average_order),
        )
        for wizard in found
    }
    theirs = {team_id: (*counts[:4], cents(counts[4])) for team_id, counts in expected.items()}
    differ = [
        (team_id, ours.get(team_id), theirs.get(team_id))
        for team_id in set(ours) | set(theirs)
        if ours.get(team_id) != theirs.get(team_id)
    ]
    if differ:
        raise AssertionError(
            f"{len(differ)} teams differ from the SQL (team, wizard, SQL): {sorted(differ)[:3]}"
        )
    planned = [wizard for wizard in found if not wizard.problem]
    unshared = [
        wizard.team_id.name
        for wizard in planned
        if wizard.line_ids and sum(wizard.line_ids.mapped("calls")) != wizard.calls_needed
    ]
    if unshared:
        raise AssertionError(f"calls not shared exactly in {unshared[:3]}")
    bench.note(
        f"{len(ours)} teams' history equal to the hand SQL's; {len(planned)} broken down, "
        f"{sum(len(wizard.line_ids) for wizard in planned):,} people's figures"
    )
