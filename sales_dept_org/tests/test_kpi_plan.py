from datetime import date, datetime

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .kpi_common import KpiCommon


@tagged("post_install", "-at_install")
class TestKpiPlan(KpiCommon):
    """March 2026 starts on a Sunday: 22 weekdays (2-6, 9-13, 16-20, 23-27, 30-31)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._march_2026_leaves()
        # the farmer is a trainee until Friday 13 March
        cls.employee_farmer.write(
            {
                "is_trainee": True,
                "mentor_id": cls.employee_closer.id,
                "adaptation_end_date": date(2026, 3, 13),
            }
        )
        cls.calls = cls.metric("calls_made")
        cls.revenue = cls.metric("revenue_won")
        cls.Plan = cls.env["sales.kpi.plan"]
        cls.plan = cls.Plan.create(
            {
                "name": "North March",
                "team_id": cls.team_north.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
                "trainee_factor": 0.5,
                "line_ids": [
                    Command.create(
                        {"metric_id": cls.calls.id, "user_id": user.id, "target": target}
                    )
                    for user, target in (
                        (cls.user_hunter, 1900),
                        (cls.user_closer, 2100),
                        (cls.user_farmer, 2100),
                    )
                ],
            }
        )
        cls.people = cls.user_hunter + cls.user_closer + cls.user_farmer

    def targets(self, date_from, date_to, by_day=False):
        return self.Plan._get_targets(self.people, date_from, date_to, group_by_day=by_day)

    def test_spread_over_calendar_with_holiday_and_leave(self):
        hunter, closer, _farmer = self.people.ids
        days = self.targets(date(2026, 3, 1), date(2026, 3, 31), by_day=True)
        calls = self.calls.id
        # hunter: 22 weekdays - holiday - 2 days of leave = 19 days: 1900 / 19 = 100 a day
        # closer: 22 - holiday = 21 days: 2100 / 21 = 100 a day
        self.assertEqual(days[calls, hunter, date(2026, 3, 2)], 100.0)
        self.assertEqual(days.get((calls, hunter, date(2026, 3, 7)), 0.0), 0.0)  # Saturday
        self.assertEqual(days[calls, hunter, date(2026, 3, 10)], 0.0)  # holiday
        self.assertEqual(days[calls, closer, date(2026, 3, 10)], 0.0)
        self.assertEqual(days[calls, hunter, date(2026, 3, 16)], 0.0)  # leave
        self.assertEqual(days[calls, closer, date(2026, 3, 16)], 100.0)
        month = self.targets(date(2026, 3, 1), date(2026, 3, 31))
        self.assertEqual(round(month[calls, hunter], 2), 1900.0)
        self.assertEqual(round(month[calls, closer], 2), 2100.0)
        # weeks: 9-13 March has the holiday (4 days each); 16-20 the hunter's leave
        week_2 = self.targets(date(2026, 3, 9), date(2026, 3, 15))
        self.assertEqual((week_2[calls, hunter], week_2[calls, closer]), (400.0, 400.0))
        week_3 = self.targets(date(2026, 3, 16), date(2026, 3, 22))
        self.assertEqual((week_3[calls, hunter], week_3[calls, closer]), (300.0, 500.0))

    def test_trainee_target_is_scaled(self):
        farmer = self.user_farmer.id
        calls = self.calls.id
        # 21 working days; 2-13 March without the holiday = 9 adaptation days at 4 h,
        # 16-31 March = 12 days at 8 h: 36 + 96 = 132 h of 168 h
        # -> 2100 * 132 / 168 = 1650, i.e. 50 a day in adaptation, 100 after
        days = self.targets(date(2026, 3, 1), date(2026, 3, 31), by_day=True)
        self.assertEqual(days[calls, farmer, date(2026, 3, 2)], 50.0)
        self.assertEqual(days[calls, farmer, date(2026, 3, 16)], 100.0)
        self.assertEqual(
            round(self.targets(date(2026, 3, 1), date(2026, 3, 31))[calls, farmer], 2), 1650.0
        )
        line = self.plan.line_ids.filtered(lambda line: line.user_id == self.user_farmer)
        self.assertEqual(line.effective_target, 1650.0)

    def _april(self, weights, team_target=1000.0, year=2026):
        return self.Plan.create(
            {
                "name": "North April",
                "team_id": self.team_north.id,
                "date_from": date(year, 4, 1),
                "date_to": date(year, 4, 30),
                "line_ids": [Command.create({"metric_id": self.revenue.id, "target": team_target})]
                + [
                    Command.create(
                        {"metric_id": self.revenue.id, "user_id": user.id, "weight": weight}
                    )
                    for user, weight in zip(self.people, weights, strict=True)
                ],
            }
        )

    def test_split_by_weights_to_the_cent(self):
        plan = self._april([1, 1, 1])
        plan.action_split_targets()
        people = plan.line_ids.filtered("user_id").sorted("user_id")
        # 1000.00 / 3 = 333.33 each, 999.99: the spare cent to the first (hunter)
        self.assertEqual(people.mapped("target"), [333.34, 333.33, 333.33])
        plan = self._april([2, 1, 0], team_target=100.0, year=2027)
        plan.action_split_targets()
        # 100 * 2/3 = 66.666 -> 66.67, 100 * 1/3 = 33.333 -> 33.33, nothing for weight 0
        self.assertEqual(
            plan.line_ids.filtered("user_id").sorted("user_id").mapped("target"),
            [66.67, 33.33, 0.0],
        )

    def test_split_with_zero_weights_is_refused(self):
        plan = self._april([0, 0, 0])
        with self.assertRaisesRegex(UserError, "North April, Revenue won: the weights sum to zero"):
            plan.action_split_targets()
        self.assertEqual(plan.line_ids.filtered("user_id").mapped("target"), [0.0, 0.0, 0.0])

    def test_overlapping_period_is_refused(self):
        count = self.env["sales.kpi.plan.line"].search_count([])
        with (
            self.assertRaisesRegex(
                ValidationError, "Jan Hunter, Calls made: Mid March overlaps North March"
            ),
            self.env.cr.savepoint(),
        ):
            self.Plan.create(
                {
                    "name": "Mid March",
                    "date_from": date(2026, 3, 15),
                    "date_to": date(2026, 4, 14),
                    "line_ids": [
                        Command.create(
                            {
                                "metric_id": self.calls.id,
                                "user_id": self.user_hunter.id,
                                "target": 5,
                            }
                        )
                    ],
                }
            )
        self.assertEqual(self.env["sales.kpi.plan.line"].search_count([]), count)
        # another metric in the same period is fine
        self.Plan.create(
            {
                "name": "Mid March revenue",
                "date_from": date(2026, 3, 15),
                "date_to": date(2026, 4, 14),
                "line_ids": [
                    Command.create(
                        {"metric_id": self.revenue.id, "user_id": self.user_hunter.id, "target": 5}
                    )
                ],
            }
        )

    def test_second_team_target_of_a_metric_is_refused(self):
        plan = self._april([1, 1, 1])
        count = len(plan.line_ids)
        with (
            self.assertRaisesRegex(
                ValidationError, "North April: more than one team target for Revenue won"
            ),
            self.env.cr.savepoint(),
        ):
            plan.line_ids = [Command.create({"metric_id": self.revenue.id, "target": 5})]
        self.assertEqual(len(plan.line_ids), count)

    def test_overlap_check_is_one_query_whatever_the_people(self):
        """Every line is compared with every other in SQL: one query for the
        targets of 5 people or of 50."""
        extra = self.env["res.users"].create(
            [{"name": f"Overlap {n}", "login": f"plan_overlap_{n}"} for n in range(50)]
        )
        lines = self.env["sales.kpi.plan.line"].create(
            [
                {"plan_id": self.plan.id, "metric_id": self.revenue.id, "user_id": user.id}
                for user in extra
            ]
        )
        self.env.flush_all()
        for some in (lines[:5], lines):
            self.env.invalidate_all()
            with self.assertQueryCount(1):
                some._check_overlap()

    def test_negative_target_and_bad_period_are_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "cannot be negative:\nCalls made / Jan Hunter"
        ):
            self.plan.line_ids.filtered(lambda line: line.user_id == self.user_hunter).target = -1
        with self.assertRaisesRegex(ValidationError, "Backwards ends before it starts"):
            self.Plan.create(
                {"name": "Backwards", "date_from": date(2026, 3, 5), "date_to": date(2026, 3, 1)}
            )

    def test_targets_query_count_does_not_grow_with_people(self):
        extra = self.env["res.users"].create(
            [{"name": f"Extra {n}", "login": f"plan_extra_{n}"} for n in range(15)]
        )
        self.env["hr.employee"].create([{"name": user.name, "user_id": user.id} for user in extra])
        self.plan.line_ids = [
            Command.create({"metric_id": self.calls.id, "user_id": user.id, "target": 22})
            for user in extra
        ]
        march = (date(2026, 3, 1), date(2026, 3, 31))
        self.Plan._get_targets(self.people, *march)
        # the lines with their stored day targets: no calendar is read
        for users in (self.people, self.people | extra):
            for by_day in (False, True):
                self.env.invalidate_all()
                with self.assertQueryCount(1):
                    self.Plan._get_targets(users, *march, group_by_day=by_day)

    def test_several_ranges_in_one_query(self):
        hunter, closer, _farmer = self.people.ids
        calls = self.calls.id
        ranges = [
            (date(2026, 3, 1), date(2026, 3, 3)),  # Sunday, then 2 days of 100
            (date(2026, 3, 16), date(2026, 3, 16)),  # the hunter's leave
            (date(2026, 2, 20), date(2026, 2, 25)),  # before the plan
            (date(2026, 3, 30), date(2026, 4, 5)),  # the plan's last 2 days
        ]
        self.Plan._get_range_targets(self.people, ranges)  # warm the caches
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            targets = self.Plan._get_range_targets(self.people, ranges)
        self.assertEqual(targets[calls, hunter], [200.0, 0.0, 0.0, 200.0])
        self.assertEqual(targets[calls, closer], [200.0, 100.0, 0.0, 200.0])

    def test_leave_recorded_after_the_plan_respreads_its_days(self):
        closer = self.user_closer.id
        calls = self.calls.id
        # the closer: 21 working days of 100; a leave on Wednesday 18 March
        # leaves 20: 2100 / 20 = 105 a day
        leave = self.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "calendar_id": self.env.company.resource_calendar_id.id,
                "resource_id": self.employee_closer.resource_id.id,
                "date_from": datetime(2026, 3, 18, 0, 0),
                "date_to": datetime(2026, 3, 18, 23, 59),
            }
        )
        days = self.targets(date(2026, 3, 1), date(2026, 3, 31), by_day=True)
        self.assertEqual(days[calls, closer, date(2026, 3, 18)], 0.0)
        self.assertEqual(days[calls, closer, date(2026, 3, 19)], 105.0)
        self.assertEqual(days[calls, self.user_hunter.id, date(2026, 3, 18)], 100.0)
        leave.write(
            {"date_from": datetime(2026, 3, 19, 0, 0), "date_to": datetime(2026, 3, 19, 23, 59)}
        )
        days = self.targets(date(2026, 3, 1), date(2026, 3, 31), by_day=True)
        self.assertEqual(days[calls, closer, date(2026, 3, 18)], 105.0)
        self.assertEqual(days[calls, closer, date(2026, 3, 19)], 0.0)
        leave.unlink()
        days = self.targets(date(2026, 3, 1), date(2026, 3, 31), by_day=True)
        self.assertEqual(days[calls, closer, date(2026, 3, 19)], 100.0)

    def test_public_holiday_recorded_after_the_plan_respreads_everybody(self):
        hunter, closer, _farmer = self.people.ids
        calls = self.calls.id
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Extra holiday",
                "calendar_id": self.env.company.resource_calendar_id.id,
                "date_from": datetime(2026, 3, 20, 0, 0),
                "date_to": datetime(2026, 3, 20, 23, 59),
            }
        )
        days = self.targets(date(2026, 3, 1), date(2026, 3, 31), by_day=True)
        self.assertEqual(days[calls, closer, date(2026, 3, 20)], 0.0)
        self.assertEqual(days[calls, hunter, date(2026, 3, 20)], 0.0)
        self.assertEqual(days[calls, closer, date(2026, 3, 2)], 105.0)  # 2100 / 20
        # the hunter: 1900 over 18 days, still exactly to the cent
        self.assertEqual(self.targets(date(2026, 3, 1), date(2026, 3, 31))[calls, hunter], 1900.0)

    def test_trainee_period_set_after_the_plan_scales_the_target(self):
        line = self.plan.line_ids.filtered(lambda line: line.user_id == self.user_closer)
        self.assertEqual(line.effective_target, 2100.0)
        # as the farmer: 9 adaptation days at half, 12 full of 21 -> 2100 * 132 / 168
        self.employee_closer.write({"is_trainee": True, "adaptation_end_date": date(2026, 3, 13)})
        self.assertEqual(line.effective_target, 1650.0)
        days = self.targets(date(2026, 3, 1), date(2026, 3, 31), by_day=True)
        self.assertEqual(days[self.calls.id, self.user_closer.id, date(2026, 3, 2)], 50.0)
        self.employee_closer.is_trainee = False
        self.assertEqual(line.effective_target, 2100.0)

    def test_working_hours_changed_respread_the_periods_not_over(self):
        """February 2027 (20 weekdays, from Monday the 1st) is still ahead;
        March 2026 is closed and keeps the targets it was measured on."""
        closer, calls = self.user_closer.id, self.calls.id
        self.Plan.create(
            {
                "name": "North February",
                "team_id": self.team_north.id,
                "date_from": date(2027, 2, 1),
                "date_to": date(2027, 2, 28),
                "line_ids": [
                    Command.create({"metric_id": calls, "user_id": closer, "target": 2000})
                ],
            }
        )
        february = (date(2027, 2, 1), date(2027, 2, 28))
        self.assertEqual(self.targets(*february, by_day=True)[calls, closer, date(2027, 2, 5)], 100)
        company_calendar = self.env.company.resource_calendar_id
        four_days = self.env["resource.calendar"].create(
            {
                "name": "Monday to Thursday",
                "tz": company_calendar.tz,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {weekday}",
                            "dayofweek": str(weekday),
                            "hour_from": 8,
                            "hour_to": 16,
                            "day_period": "morning",
                        }
                    )
                    for weekday in range(4)
                ],
            }
        )
        # 16 days from Monday to Thursday: 125 a day, Fridays nothing
        self.employee_closer.resource_calendar_id = four_days
        days = self.targets(*february, by_day=True)
        self.assertEqual(days[calls, closer, date(2027, 2, 4)], 125.0)
        self.assertEqual(days[calls, closer, date(2027, 2, 5)], 0.0)
        march = self.targets(date(2026, 3, 1), date(2026, 3, 31), by_day=True)
        self.assertEqual(march[calls, closer, date(2026, 3, 6)], 100.0)  # a Friday, as before
        # Fridays added to the calendar: 20 days again
        four_days.attendance_ids = [
            Command.create(
                {
                    "name": "Friday",
                    "dayofweek": "4",
                    "hour_from": 8,
                    "hour_to": 16,
                    "day_period": "morning",
                }
            )
        ]
        days = self.targets(*february, by_day=True)
        self.assertEqual(days[calls, closer, date(2027, 2, 5)], 100.0)
