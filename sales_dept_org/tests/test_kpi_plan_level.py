from contextlib import contextmanager
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .kpi_common import KpiCommon


@tagged("post_install", "-at_install")
class TestKpiPlanLevel(KpiCommon):
    """Quarter and year plans with month plans beneath, and the week's figures.

    The company's calendar: 8 h Monday to Friday, no holidays. Weekdays:
    January 2026 22 (Thursday 1 to Friday 30), February 20 (2-27), March 22
    (2-31), April 22 (1-30): the first quarter has 64."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employees.resource_calendar_id = cls.env.company.resource_calendar_id
        cls.calls = cls.metric("calls_made")
        cls.Plan = cls.env["sales.kpi.plan"]
        cls.quarter = cls._plan("Q1", "quarter", date(2026, 1, 1), date(2026, 3, 31), 3000)

    @classmethod
    def _plan(cls, name, level, date_from, date_to, hunter_calls, parent=None, company=None):
        return cls.Plan.create(
            {
                "name": name,
                "level": level,
                "parent_id": parent and parent.id,
                "team_id": cls.team_north.id,
                "company_id": (company or cls.env.company).id,
                "date_from": date_from,
                "date_to": date_to,
                "line_ids": [
                    Command.create(
                        {
                            "metric_id": cls.calls.id,
                            "user_id": cls.user_hunter.id,
                            "target": hunter_calls,
                        }
                    )
                ],
            }
        )

    @contextmanager
    def _refused(self, pattern):
        """A ValidationError matching ``pattern``, its writes rolled back."""
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def _months(self, *calls):
        """January, February, March... plans beneath the quarter with these targets."""
        ends = {1: date(2026, 1, 31), 2: date(2026, 2, 28), 3: date(2026, 3, 31)}
        return self.Plan.union(
            *(
                self._plan(
                    f"M{month}", "month", date(2026, month, 1), ends[month], target, self.quarter
                )
                for month, target in enumerate(calls, start=1)
            )
        )

    def test_existing_plans_are_month_plans(self):
        plan = self.Plan.create(
            {"name": "Plain", "date_from": date(2026, 5, 1), "date_to": date(2026, 5, 31)}
        )
        self.assertEqual(plan.level, "month")

    def test_month_plans_over_the_quarter_warn_on_its_form(self):
        self.assertEqual(self.env.company.sales_plan_sum_check, "warning")
        self._months(1000, 1000)
        self.assertFalse(self.quarter.sum_warning)  # 2000 of 3000 so far
        march = self._plan("M3", "month", date(2026, 3, 1), date(2026, 3, 31), 1100, self.quarter)
        self.quarter.invalidate_recordset(["sum_warning"])
        self.assertEqual(
            self.quarter.sum_warning,
            "Jan Hunter, Calls made: the month plans add up to 3100.0, Q1 says 3000.0",
        )
        march.line_ids.target = 1000
        self.quarter.invalidate_recordset(["sum_warning"])
        self.assertFalse(self.quarter.sum_warning)  # exactly the quarter: fine

    def test_block_names_person_metric_sum_and_figure_and_writes_nothing(self):
        self.env.company.sales_plan_sum_check = "block"
        self._months(1000, 1000)
        with self._refused(
            "Jan Hunter, Calls made: the month plans add up to 3000.01, Q1 says 3000.0",
        ):
            self._plan("M3", "month", date(2026, 3, 1), date(2026, 3, 31), 1000.01, self.quarter)
        self.assertEqual(len(self.quarter.child_ids), 2)
        # lowering the parent under its months is refused too
        with self._refused("add up to 2000.0, Q1 says 1999.0"):
            self.quarter.line_ids.target = 1999
        self.assertEqual(self.quarter.line_ids.target, 3000)

    def test_block_in_one_company_warning_in_another(self):
        self.env.company.sales_plan_sum_check = "block"
        other = self.env["res.company"].create({"name": "Other Sp. z o.o."})
        self.user_hunter.company_ids |= other
        year = self._plan("Y", "year", date(2026, 1, 1), date(2026, 12, 31), 100, company=other)
        self._plan("Jan", "month", date(2026, 1, 1), date(2026, 1, 31), 150, year, other)
        self.assertIn("add up to 150.0, Y says 100.0", year.sum_warning)

    def test_same_level_overlap_refused_month_may_overlap_its_quarter(self):
        self._months(1000)  # a month inside its quarter: fine
        with self._refused("Jan Hunter, Calls made: Q1b overlaps Q1"):
            self._plan("Q1b", "quarter", date(2026, 3, 1), date(2026, 5, 31), 10)
        with self._refused("Jan Hunter, Calls made: M1b overlaps M1"):
            self._plan("M1b", "month", date(2026, 1, 15), date(2026, 2, 14), 10)
        # a year plan is a level of its own
        self._plan("Y", "year", date(2026, 1, 1), date(2026, 12, 31), 12000)
        # changing a plan's level re-checks its lines
        april = self._plan("Q2", "quarter", date(2026, 4, 1), date(2026, 6, 30), 10)
        with self._refused("Q2 overlaps Y"):
            april.level = "year"

    def test_parent_must_be_higher_same_company_and_hold_the_period(self):
        january = self._months(1000)
        with self._refused("must be of a higher level"):
            self._plan("Feb", "month", date(2026, 2, 1), date(2026, 2, 28), 10, january)
        with self._refused("lies outside the parent plan Q1"):
            self._plan("Apr", "month", date(2026, 4, 1), date(2026, 4, 30), 10, self.quarter)
        with self._refused("M1: its period lies outside the parent plan Q1"):
            self.quarter.date_from = date(2026, 1, 2)

    def test_a_day_takes_the_lowest_level_target(self):
        """The quarter's 3000 over 64 days is 46.875 a day: the first 32 days
        get 46.88, the rest 46.87 (the cents go to the earliest). January has
        its own month plan of 1000; February (days 23-42: 10 x 46.88 + 10 x
        46.87) keeps the quarter's 937.50."""
        self._months(1000)
        hunter = self.user_hunter
        targets = self.Plan._get_range_targets(
            hunter,
            [
                (date(2026, 1, 1), date(2026, 1, 31)),
                (date(2026, 2, 1), date(2026, 2, 28)),
                (date(2026, 1, 26), date(2026, 2, 6)),
            ],
        )
        # the week across: Jan 26-30 from January's 1000 / 22 days = 45.4545..
        # (the 10 remainder cents go to its first 10 days: 45.45 each here),
        # Feb 2-6 the quarter's days 23-27 (46.88 each): 227.25 + 234.40
        self.assertEqual(targets[self.calls.id, hunter.id], [1000.0, 937.5, 461.65])

    def test_rpc_head_builds_a_quarter_with_months(self):
        """As an integrator calls: the head's own rights, no company in the context."""
        Plan = (
            self.env["sales.kpi.plan"]
            .with_user(self.user_head)
            .with_context(allowed_company_ids=None)
        )
        quarter = Plan.create(
            {
                "name": "Q2",
                "level": "quarter",
                "team_id": self.team_north.id,
                "date_from": "2026-04-01",
                "date_to": "2026-06-30",
                "line_ids": [
                    Command.create(
                        {"metric_id": self.calls.id, "user_id": self.user_hunter.id, "target": 600}
                    )
                ],
            }
        )
        Plan.create(
            {
                "name": "April",
                "parent_id": quarter.id,
                "team_id": self.team_north.id,
                "date_from": "2026-04-01",
                "date_to": "2026-04-30",
                "line_ids": [
                    Command.create(
                        {"metric_id": self.calls.id, "user_id": self.user_hunter.id, "target": 700}
                    )
                ],
            }
        )
        self.assertEqual(quarter.child_ids.name, "April")
        self.assertEqual(
            quarter.sum_warning,
            "Jan Hunter, Calls made: the month plans add up to 700.0, Q2 says 600.0",
        )


@tagged("post_install", "-at_install")
class TestPlanWeek(KpiCommon):
    """The week's target and the week to date on the salesperson's plan lines.

    March and April 2026 plans of 2200 calls over 22 weekdays each: 100 a
    day. The week from Monday 30 March to Sunday 5 April spans both."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employees.resource_calendar_id = cls.env.company.resource_calendar_id
        cls.calls = cls.metric("calls_made")
        cls.march, cls.april = cls.env["sales.kpi.plan"].create(
            [
                {
                    "name": name,
                    "team_id": cls.team_north.id,
                    "date_from": first,
                    "date_to": last,
                    "line_ids": [
                        Command.create(
                            {
                                "metric_id": cls.calls.id,
                                "user_id": cls.user_hunter.id,
                                "target": 2200,
                            }
                        )
                    ],
                }
                for name, first, last in (
                    ("March", date(2026, 3, 1), date(2026, 3, 31)),
                    ("April", date(2026, 4, 1), date(2026, 4, 30)),
                )
            ]
        )
        call = cls.env.ref("mail.mail_activity_data_call")
        cls._done_activities(
            cls.user_hunter,
            call,
            [date(2026, 3, 30), date(2026, 3, 30), date(2026, 4, 1), date(2026, 4, 14)],
        )

    def _week(self, moment):
        with freeze_time(moment):
            lines = (
                self.env["sales.kpi.plan.line"]
                .with_user(self.user_hunter)
                .search([("user_id", "=", self.user_hunter.id)], order="date_from")
            )
            return [
                (
                    line.plan_id.name,
                    line.week_target,
                    line.week_to_date_target,
                    line.week_to_date_fact,
                )
                for line in lines
            ]

    def test_first_of_the_month_in_a_week_across_two_months(self):
        # Wednesday 1 April: Mon 30 and Tue 31 March, Wed 1 April so far
        self.assertEqual(
            self._week(datetime(2026, 4, 1, 12)),
            [("March", 0.0, 0.0, 0.0), ("April", 500.0, 300.0, 3.0)],
        )

    def test_last_day_of_the_month_in_a_week_across_two_months(self):
        # Tuesday 31 March: the week's five days, two in March, three in April
        self.assertEqual(
            self._week(datetime(2026, 3, 31, 12)),
            [("March", 500.0, 200.0, 2.0), ("April", 0.0, 0.0, 0.0)],
        )

    def test_fifteenth_of_the_month(self):
        # Wednesday 15 April: the week of 13-19 April, one call on Tuesday 14
        self.assertEqual(
            self._week(datetime(2026, 4, 15, 12)),
            [("March", 0.0, 0.0, 0.0), ("April", 500.0, 300.0, 1.0)],
        )
