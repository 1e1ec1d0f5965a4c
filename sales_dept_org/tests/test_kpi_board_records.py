from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users

from .kpi_common import KpiCommon

# weekdays of March 2026 up to Wednesday 18: 2-6, 9-13, 16-18
WORKDAYS_TO_18 = [date(2026, 3, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18)]
# the 7 figures of a board cell: (plan MTD, fact MTD, plan today, fact today,
# plan tomorrow, plan WTD, fact WTD): where each period's fact sits
FACT_INDEX = {"month": 1, "today": 3, "week": 6}


@tagged("post_install", "-at_install")
@freeze_time("2026-03-18 11:00:00")
class TestKpiBoardRecords(KpiCommon):
    """Every figure of the board opens the records behind it: the count (or
    the sum, or the average) of the records opened is the figure.

    Team North on Wednesday 18 March 2026 (Warsaw): the week to date is
    Monday 16 to Wednesday 18, the month to date 1 to 18 March."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id.tz = "Europe/Warsaw"

    def row(self, user):
        self.env.invalidate_all()
        return self.env["sales.kpi.board"].search(
            [("user_id", "=", user.id), ("team_id", "=", self.team_north.id)]
        )

    def opened(self, user, code, period):
        """(the records the figure opens, the board's figure) of ``user``'s
        ``code`` metric in ``period``."""
        row, metric = self.row(user), self.metric(code)
        action = row.action_open_facts(metric.id, period)
        self.assertEqual(action["res_model"], metric.model_name)
        records = self.env[action["res_model"]].with_context(**action["context"])
        figures = row._day_figures(user, row.date, metric.sudo())
        figure = figures[user.id][metric][FACT_INDEX[period]] if figures else 0.0
        return records.search(action["domain"]), figure

    def assertOpens(self, user, code, expected, measure=None):
        """For each period, the records opened make the board's figure, and
        both are the hand-worked ``expected`` {period: (records, figure)}."""
        for period, (count, value) in expected.items():
            records, figure = self.opened(user, code, period)
            if measure is None:
                made = len(records)
            elif measure == "average":
                field = self.metric(code).measure_field
                made = sum(records.mapped(field)) / len(records) if records else 0.0
            else:
                made = sum(records.mapped(measure))
            self.assertEqual(
                (len(records), round(made, 2), round(figure, 2)),
                (count, value, value),
                f"{code}, {period}",
            )

    def test_calls_open_the_done_activities(self):
        """A call a weekday up to today: 1 today, 3 this week, 13 this month;
        the days before today read from the stored facts, still 13."""
        call = self.env.ref("mail.mail_activity_data_call")
        self._done_activities(self.user_hunter, call, [date(2026, 2, 27), *WORKDAYS_TO_18])
        self._done_activities(
            self.user_hunter, self.env.ref("mail.mail_activity_data_meeting"), WORKDAYS_TO_18[-2:]
        )
        self._store_at("2026-03-18 01:00:00")
        self.assertOpens(
            self.user_hunter, "calls_made", {"today": (1, 1), "week": (3, 3), "month": (13, 13)}
        )
        # the meetings are their own figure: 2 this week (17 and 18), 1 today
        self.assertOpens(self.user_hunter, "meetings_held", {"today": (1, 1), "week": (2, 2)})

    def test_revenue_opens_the_won_leads(self):
        """Won by the closer: 4,000 on the 17th, 1,000 today and 700 on 2 March;
        lost today and won in February do not count."""
        closed = [
            (4000, datetime(2026, 3, 17, 10), True),
            (1000, datetime(2026, 3, 18, 9), True),
            (700, datetime(2026, 3, 2, 9), True),
            (300, datetime(2026, 2, 27, 9), True),
            (900, datetime(2026, 3, 18, 9), False),
        ]
        for revenue, moment, won in closed:
            lead = self._lead(self.user_closer, revenue, closed=moment, won=won, lost=not won)
            lead.closer_user_id = self.user_closer
        self.assertOpens(
            self.user_closer,
            "revenue_won",
            {"today": (1, 1000), "week": (2, 5000), "month": (3, 5700)},
            measure="expected_revenue",
        )

    def test_conversion_opens_won_and_lost_leads(self):
        """Closed today by the closer: won (100%) and lost (0%, archived): 50%,
        from two leads, the lost one inactive."""
        self._lead(self.user_closer, 1000, closed=datetime(2026, 3, 18, 9), won=True)
        self._lead(self.user_closer, 900, closed=datetime(2026, 3, 18, 9), lost=True)
        self.assertOpens(
            self.user_closer, "conversion", {"today": (2, 50), "month": (2, 50)}, "average"
        )

    def test_orders_open_the_confirmed_orders(self):
        """Confirmed by the closer on 2 March (300) and today (200); a quotation
        of today does not count."""
        self._order(self.user_closer, self.customer_1, 300, date(2026, 3, 2))
        self._order(self.user_closer, self.customer_2, 200, date(2026, 3, 18))
        self._order(self.user_closer, self.customer_2, 800, date(2026, 3, 18), confirm=False)
        self.assertOpens(
            self.user_closer,
            "sales_ordered",
            {"today": (1, 200), "week": (1, 200), "month": (2, 500)},
            measure="amount_untaxed",
        )

    def test_qualified_leads_open_the_stage_log(self):
        """Qualified by the hunter on 2, 17 and 18 March (09:00 UTC)."""
        self._qualified_leads(
            self.user_hunter,
            [datetime(2026, 3, 2, 9), datetime(2026, 3, 17, 9), datetime(2026, 3, 18, 9)],
        )
        self.assertOpens(
            self.user_hunter,
            "leads_qualified",
            {"today": (1, 1), "week": (2, 2), "month": (3, 3)},
        )

    def test_payments_open_the_reconciliations(self):
        """The farmer received 500 today and 200 on 10 March, for two invoices."""
        self._pay(self._invoice(self.user_farmer, 500), 500, date(2026, 3, 18))
        self._pay(self._invoice(self.user_farmer, 200), 200, date(2026, 3, 10))
        self.assertOpens(
            self.user_farmer,
            "payments_received",
            {"today": (1, 500), "week": (1, 500), "month": (2, 700)},
            measure="amount",
        )

    @users("sdo_hunter")
    def test_others_money_stays_closed(self):
        self._pay(self._invoice(self.user_farmer, 500), 500, date(2026, 3, 18))
        row = self.row(self.user_farmer)
        with self.assertRaisesRegex(AccessError, "Only Agnieszka Farmer, the team head"):
            row.action_open_facts(self.metric("payments_received").id, "today")
        # a count of the farmer is not money: the team sees its calls
        action = row.action_open_facts(self.metric("calls_made").id, "week")
        self.assertEqual(action["res_model"], "mail.message")

    def test_wrong_period_or_metric(self):
        row = self.row(self.user_hunter)
        with self.assertRaisesRegex(UserError, "Unknown period year: use one of today, week"):
            row.action_open_facts(self.metric("calls_made").id, "year")
        with self.assertRaisesRegex(UserError, "The KPI metric 999999 does not exist"):
            row.action_open_facts(999999, "today")


@tagged("post_install", "-at_install")
class TestKpiBoardRecordsCalendar(KpiCommon):
    """The periods at the month's edges: on the 1st, the 15th and the last
    day of March 2026 (a Sunday, a Sunday and a Tuesday), with a call on
    every day of February and March (12:00 Warsaw)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id.tz = "Europe/Warsaw"
        days = [date(2026, 2, d) for d in range(1, 29)] + [date(2026, 3, d) for d in range(1, 32)]
        cls._done_activities(cls.user_hunter, cls.env.ref("mail.mail_activity_data_call"), days)
        cls.plan = cls.env["sales.kpi.plan"].create(
            {
                "name": "North March",
                "team_id": cls.team_north.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
                "line_ids": [
                    Command.create(
                        {
                            "metric_id": cls.metric("calls_made").id,
                            "user_id": cls.user_hunter.id,
                            "target": 22,
                        }
                    )
                ],
            }
        )

    def test_first_fifteenth_and_last_day(self):
        # {moment: {period: calls}}: the week from Monday (23 Feb, 9 Mar, 30 Mar)
        expected = {
            "2026-03-01 11:00:00": {"today": 1, "week": 7, "month": 1},
            "2026-03-15 11:00:00": {"today": 1, "week": 7, "month": 15},
            "2026-03-31 11:00:00": {"today": 1, "week": 2, "month": 31},
        }
        calls = self.metric("calls_made")
        for moment, periods in expected.items():
            with freeze_time(moment):
                self.env.invalidate_all()
                row = self.env["sales.kpi.board"].search([("user_id", "=", self.user_hunter.id)])
                figures = row._day_figures(self.user_hunter, row.date, calls.sudo())
                for period, count in periods.items():
                    action = row.action_open_facts(calls.id, period)
                    opened = self.env["mail.message"].search_count(action["domain"])
                    figure = figures[self.user_hunter.id][calls][FACT_INDEX[period]]
                    self.assertEqual((opened, figure), (count, count), f"{moment} {period}")
