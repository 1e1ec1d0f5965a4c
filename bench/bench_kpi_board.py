"""The board of a 10-person team opens (search_read of its view) in at most
twice the time of a plain crm.lead search_read of 80 records.

Days before today come from the facts the nightly cron stores (as in
production); today's are live. The plan: every shipped metric for the ten.
"""

from datetime import date, timedelta

from odoo import Command

TARGET = 2.0
BOARD_FIELDS = [
    "rank", "user_id", "team_id", "attainment", "currency_id", "money_visible",
    "money_target_today", "money_due_today", "money_plan_today", "money_fact_today",
    "money_plan_tomorrow", "metrics_html",
]  # fmt: skip
LEAD_FIELDS = [
    "name", "partner_id", "email_from", "phone", "user_id", "team_id", "stage_id",
    "expected_revenue", "probability", "create_date", "tag_ids", "priority",
]  # fmt: skip


def run(bench):
    env = bench.env
    salespeople = [("sales_role", "in", ("hunter", "closer", "farmer", "universal"))]
    company = env["hr.employee"].search(salespeople, limit=1, order="id").company_id
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    people = (
        env["hr.employee"]
        .search(salespeople + [("company_id", "=", company.id)], limit=10, order="id")
        .user_id
    )
    team = env["crm.team"].create(
        {"name": "Bench board", "company_id": company.id, "member_ids": [Command.set(people.ids)]}
    )
    metrics = env["sales.kpi.metric"].search([])
    today = date.today()
    env["sales.kpi.plan"].create(
        {
            "name": "Bench board plan",
            "company_id": company.id,
            "team_id": team.id,
            "date_from": today.replace(day=1),
            "date_to": (today.replace(day=28) + timedelta(days=4)).replace(day=1)
            - timedelta(days=1),
            "line_ids": [
                Command.create({"metric_id": metric.id, "user_id": user.id, "target": 100})
                for metric in metrics
                for user in people
            ],
        }
    )
    env["sales.kpi.fact"]._store_facts(metrics, company, today - timedelta(days=1))
    lead_team = env["crm.lead"].search([("team_id", "!=", False)], limit=1).team_id
    bench.note(f"{len(people)} people of {company.name}")

    def board():
        return env["sales.kpi.board"].search_read([("team_id", "=", team.id)], BOARD_FIELDS)

    def leads():
        return env["crm.lead"].search_read([("team_id", "=", lead_team.id)], LEAD_FIELDS, limit=80)

    rows = board()
    if len(rows) != 10 or sorted(row["rank"] for row in rows) != list(range(1, 11)):
        raise AssertionError(f"the board should rank 10 people: {rows}")
    bench.note(f"board: {bench.queries(board)} queries for 10 people, {len(metrics)} metrics")
    # nine medians: a board opens in tens of ms, where a busy machine's noise
    # moves five runs by a fifth
    bench.report("kpi_board", bench.compare(board, leads, repeat=9), TARGET)
