"""The KPI facts of the shipped metrics written by hand in SQL: the baseline
of the benchmarks that read facts (bench_kpi_facts, bench_bonus_sheet)."""

from collections import defaultdict
from datetime import timedelta

from odoo.tools import SQL

from odoo.addons.sales_dept_org.engine.company_day import day_start_utc


def hand_facts(env, metrics, users, date_from, date_to, tz, by_day=True):
    """The facts of ``metrics`` written by hand, in ``env.companies``:
    {(metric id, user id, day): [amount, count]}; day is None unless ``by_day``
    (then one row per person for the whole period)."""
    # PostgreSQL's own settings (JIT as configured), whatever the addon's
    # reading set before in this transaction: it switches JIT off for its
    # statement (sales.kpi.metric._execute_facts); hand SQL is left at its best
    env.cr.execute(SQL("SET LOCAL jit TO DEFAULT"))
    ids = tuple(users.ids)
    companies = tuple(env.companies.ids)

    def day(column):  # a datetime column: the company day it falls on
        if not by_day:
            return SQL("NULL::date")
        return SQL("(timezone(%s, timezone('UTC', %s)))::date", tz, column)

    def date_day(column):  # a date column is its own day
        return column if by_day else SQL("NULL::date")

    start = day_start_utc(date_from, tz)
    end = day_start_utc(date_to + timedelta(days=1), tz)
    meeting = env.ref("mail.mail_activity_data_meeting").id

    def lead_closed(person):  # leads closed in the period, credited to ``person``
        return SQL(
            """FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
              WHERE l.date_closed >= %s AND l.date_closed < %s AND %s IN %s
                AND (l.company_id IN %s OR l.company_id IS NULL)""",
            start, end, SQL.identifier("l", person), ids, companies,
        )  # fmt: skip

    def confirmed(person):  # orders confirmed in the period, credited to ``person``
        return SQL(
            """FROM sale_order o WHERE o.state = 'sale' AND o.date_order >= %s
                AND o.date_order < %s AND %s IN %s
                AND (o.company_id IN %s OR o.company_id IS NULL)""",
            start, end, SQL.identifier("o", person), ids, companies,
        )  # fmt: skip

    def milestone(condition):
        """The hunter's milestone: per lead, the first stage log row (by date
        entered, then id) at or after the first stage of its pipeline
        matching ``condition``, credited to the lead's hunter."""
        return SQL(
            """WITH first_stage AS (
                   SELECT l.id AS lead_id, l.hunter_user_id,
                          (SELECT ARRAY[m.sequence, m.id] FROM crm_stage m
                            WHERE %(condition)s AND (m.team_id IS NULL OR m.team_id = l.team_id)
                            ORDER BY m.sequence, m.id LIMIT 1) AS position
                     FROM crm_lead l WHERE l.hunter_user_id IN %(ids)s
               ), reached AS (
                   SELECT DISTINCT ON (g.lead_id) f.hunter_user_id, g.date_in, g.company_id
                     FROM sales_lead_stage_log g
                     JOIN crm_stage s ON s.id = g.stage_id
                     JOIN first_stage f ON f.lead_id = g.lead_id
                    WHERE ARRAY[s.sequence, s.id] >= f.position
                    ORDER BY g.lead_id, g.date_in, g.id
               )
               SELECT r.hunter_user_id, %(day)s, COUNT(*), COUNT(*) FROM reached r
                WHERE r.date_in >= %(start)s AND r.date_in < %(end)s
                  AND (r.company_id IN %(companies)s OR r.company_id IS NULL)
                GROUP BY 1, 2""",
            condition=condition, ids=ids, day=day(SQL("r.date_in")), start=start, end=end,
            companies=companies,
        )  # fmt: skip

    lead_won = lead_closed("user_id")
    orders = confirmed("user_id")
    messages = SQL(
        """FROM mail_message m JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
          WHERE m.date >= %s AND m.date < %s AND m.create_uid IN %s""",
        start, end, ids,
    )  # fmt: skip
    order_amounts = SQL(
        "SELECT o.user_id, %s, SUM(o.amount_untaxed), COUNT(*) %s GROUP BY 1, 2",
        day(SQL("o.date_order")), orders,
    )  # fmt: skip
    daily = SQL(
        """FROM sales_discipline_daily d WHERE d.date BETWEEN %s AND %s AND d.user_id IN %s
            AND (d.company_id IN %s OR d.company_id IS NULL)""",
        date_from, date_to, ids, companies,
    )  # fmt: skip
    queries = {
        "revenue_won": SQL(
            """SELECT l.closer_user_id, %s, SUM(l.expected_revenue), COUNT(*) %s
                  AND s.is_won GROUP BY 1, 2""",
            day(SQL("l.date_closed")), lead_closed("closer_user_id"),
        ),
        "conversion": SQL(
            """SELECT l.user_id, %s, SUM(l.probability), COUNT(*) %s
                  AND (s.is_won OR (NOT l.active AND l.probability = 0)) GROUP BY 1, 2""",
            day(SQL("l.date_closed")), lead_won,
        ),
        "leads_qualified": milestone(SQL("m.sales_qualifying")),
        "meetings_handed_over": milestone(SQL("m.responsible_role = 'closer'")),
        "sales_ordered": order_amounts,
        # the same parts: an average is amount / count, taken by the caller
        "average_order": order_amounts,
        "new_customers": SQL(
            """SELECT o.closer_user_id, %s, COUNT(*), COUNT(*) %s
                  AND o.is_first_purchase GROUP BY 1, 2""",
            day(SQL("o.date_order")), confirmed("closer_user_id"),
        ),
        "customer_retention": SQL(
            """SELECT o.user_id, %s, SUM(o.sales_customer_days), COUNT(*) %s
                  AND NOT COALESCE(o.is_first_purchase, FALSE) GROUP BY 1, 2""",
            day(SQL("o.date_order")), orders,
        ),
        "invoices_paid_on_time": SQL(
            """SELECT im.invoice_user_id, %s, COUNT(*), COUNT(*) FROM account_move im
                WHERE im.move_type = 'out_invoice' AND im.state = 'posted'
                  AND im.sales_paid_on_time AND im.sales_paid_date BETWEEN %s AND %s
                  AND im.invoice_user_id IN %s AND im.company_id IN %s
                GROUP BY 1, 2""",
            date_day(SQL("im.sales_paid_date")), date_from, date_to, ids, companies,
        ),
        "repeat_purchases": SQL(
            """SELECT o.user_id, %s, COUNT(*), COUNT(*) %s
                  AND NOT COALESCE(o.is_first_purchase, FALSE) GROUP BY 1, 2""",
            day(SQL("o.date_order")), orders,
        ),
        "payments_received": SQL(
            """SELECT im.invoice_user_id, %s, SUM(r.amount), COUNT(*)
                 FROM account_partial_reconcile r
                 JOIN account_move_line il ON il.id = r.debit_move_id
                 JOIN account_move im ON im.id = il.move_id
                 JOIN account_move_line pl ON pl.id = r.credit_move_id
                 JOIN account_move pm ON pm.id = pl.move_id
                WHERE im.move_type = 'out_invoice' AND pm.move_type = 'entry'
                  AND pl.date BETWEEN %s AND %s AND im.invoice_user_id IN %s
                  AND (r.company_id IN %s OR r.company_id IS NULL)
                GROUP BY 1, 2""",
            date_day(SQL("pl.date")), date_from, date_to, ids, companies,
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
            "SELECT d.user_id, %s, SUM(d.leads_without_task), COUNT(*) %s GROUP BY 1, 2",
            date_day(SQL("d.date")), daily,
        ),
        "overdue_tasks": SQL(
            "SELECT d.user_id, %s, SUM(d.overdue_tasks), COUNT(*) %s GROUP BY 1, 2",
            date_day(SQL("d.date")), daily,
        ),
        "call_review_score": SQL(
            """SELECT c.user_id, %s, SUM(c.review_score), COUNT(*) FROM sales_call c
                WHERE c.review_score > 0 AND c.start >= %s AND c.start < %s
                  AND c.user_id IN %s AND c.company_id IN %s
                GROUP BY 1, 2""",
            day(SQL("c.start")), start, end, ids, companies,
        ),
    }  # fmt: skip
    facts = defaultdict(lambda: [0.0, 0])
    for metric in metrics:
        env.cr.execute(queries[metric.code])
        for user_id, day_, amount, count in env.cr.fetchall():
            facts[metric.id, user_id, day_][0] += float(amount or 0)
            facts[metric.id, user_id, day_][1] += count
    return facts
