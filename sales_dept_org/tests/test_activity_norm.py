from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ..engine import pay
from .kpi_common import KpiCommon


@tagged("post_install", "-at_install")
class TestActivityNorm(KpiCommon):
    """The day that ended against each role's norms.

    The company's calendar: 8 h Monday to Friday. The closer is held to 40
    calls a day, 5 an hour and 3 meetings a week; the hunter to the shipped
    120 a day and 15 an hour. The farmer's role has no norm here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employees.resource_calendar_id = cls.env.company.resource_calendar_id
        cls.Norm = cls.env["sales.activity.norm"]
        cls.Norm.search([("sales_role", "=", "farmer")]).unlink()
        cls.Norm.search([("sales_role", "=", "closer")]).write(
            {"calls_per_day": 40, "calls_per_hour": 5, "meetings_per_week": 3}
        )
        cls.Daily = cls.env["sales.discipline.daily"]
        cls.call = cls.env.ref("mail.mail_activity_data_call")
        cls.meeting = cls.env.ref("mail.mail_activity_data_meeting")

    def _calls(self, user, day, count):
        self._done_activities(user, self.call, [day] * count)

    def _rows(self, day):
        return {
            row.user_id: (row.activity_shortfalls, row.activity_note)
            for row in self.Daily.search([("date", "=", day)])
        }

    def test_shipped_norms(self):
        hunter = self.Norm.search([("sales_role", "=", "hunter")])
        self.assertRecordValues(
            hunter,
            [{"calls_per_day": 120, "calls_per_hour": 15.0, "meetings_per_week": 0}],
        )

    def test_a_short_day_counts_each_norm_missed_with_its_reason(self):
        # Monday 2 March 2026: the closer makes 32 calls in 8 hours (4 an hour),
        # the hunter 120 (15 an hour, exactly the norm), the farmer none (no norm)
        self._calls(self.user_closer, date(2026, 3, 2), 32)
        self._calls(self.user_hunter, date(2026, 3, 2), 120)
        self.Daily._sales_check_activity(date(2026, 3, 2))
        self.assertEqual(
            self._rows(date(2026, 3, 2)),
            {self.user_closer: (2, "Calls: 32 of 40; Calls per hour: 4.0 of 5.0")},
        )

    def test_short_working_day_is_held_to_the_hourly_norm(self):
        """A leave on Tuesday 3 March from 8:00 to 12:00 (Warsaw): 4 hours
        left; 30 calls reach 7.5 an hour (over 5) but not 40 a day."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Doctor",
                "calendar_id": self.env.company.resource_calendar_id.id,
                "resource_id": self.employee_closer.resource_id.id,
                "date_from": datetime(2026, 3, 3, 7, 0),
                "date_to": datetime(2026, 3, 3, 11, 0),
            }
        )
        self._calls(self.user_closer, date(2026, 3, 3), 30)
        self.Daily._sales_check_activity(date(2026, 3, 3))
        self.assertEqual(self._rows(date(2026, 3, 3))[self.user_closer], (1, "Calls: 30 of 40"))

    def test_weekend_and_leave_are_not_checked(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.env.company.resource_calendar_id.id,
                "date_from": datetime(2026, 3, 4, 0, 0),
                "date_to": datetime(2026, 3, 4, 23, 59),
            }
        )
        self.Daily._sales_check_activity(date(2026, 3, 1))  # Sunday
        self.Daily._sales_check_activity(date(2026, 3, 4))  # a public holiday
        self.assertFalse(self.Daily.search([]))

    def test_meetings_of_a_week_across_two_months_on_its_last_working_day(self):
        """Week of Monday 30 March to Sunday 5 April: meetings on Tuesday 31
        March and Thursday 2 April, 2 of 3; 40 calls each day. Checked on
        Friday 3 April only, the job run at night each day."""
        days = [date(2026, 3, 30), date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 2)]
        days.append(date(2026, 4, 3))
        for day in days:
            self._calls(self.user_closer, day, 40)
        self._done_activities(self.user_closer, self.meeting, [date(2026, 3, 31), date(2026, 4, 2)])
        with freeze_time("2026-04-01 01:00:00"):  # the 1st: checks the last day of March
            self.Daily._sales_check_activity()
        with freeze_time("2026-04-04 01:00:00"):  # checks Friday 3 April
            self.Daily._sales_check_activity()
        self.assertNotIn(self.user_closer, self._rows(date(2026, 3, 31)))
        self.assertEqual(
            self._rows(date(2026, 4, 3))[self.user_closer], (1, "Meetings this week: 2 of 3")
        )
        # a meeting logged late on Friday: the job run again clears the row
        self._done_activities(self.user_closer, self.meeting, [date(2026, 4, 3)])
        with freeze_time("2026-04-04 01:00:00"):
            self.Daily._sales_check_activity()
        self.assertEqual(self._rows(date(2026, 4, 3))[self.user_closer], (0, False))

    def test_fifteenth_checks_the_fourteenth_and_feeds_the_score(self):
        """Run on 15 April, the job checks Tuesday 14 April: the hunter's 60
        calls are 60 of 120 and 7.5 an hour of 15. Two norms missed on the
        only day counted cost 2 x 5 points: a discipline score of 90%."""
        self._calls(self.user_hunter, date(2026, 4, 14), 60)
        self._calls(self.user_closer, date(2026, 4, 14), 40)
        with freeze_time("2026-04-15 01:00:00"):
            self.Daily._sales_check_activity()
        self.assertEqual(
            self._rows(date(2026, 4, 14)),
            {self.user_hunter: (2, "Calls: 60 of 120; Calls per hour: 7.5 of 15.0")},
        )
        row = self.Daily.search([("user_id", "=", self.user_hunter.id)])
        self.assertEqual(
            pay.discipline_score({"activity_shortfalls": row.activity_shortfalls}, 1), 90
        )

    def test_norms_per_company(self):
        company, nora, _team = self._new_york("nora_norm")
        self.env["hr.employee"].create(
            {
                "name": "Nora York",
                "user_id": nora.id,
                "company_id": company.id,
                "sales_role": "closer",
                "resource_calendar_id": company.resource_calendar_id.id,
            }
        )
        self.Norm.create({"company_id": company.id, "sales_role": "closer", "calls_per_day": 10})
        self._calls(self.user_closer, date(2026, 3, 2), 12)
        self._calls(nora, date(2026, 3, 2), 9)
        self.Daily._sales_check_activity(date(2026, 3, 2))
        # each company's own norm: 12 calls are 12 of 40 and 1.5 an hour of 5; Nora's 9 of 10
        self.assertEqual(
            self._rows(date(2026, 3, 2)),
            {
                self.user_hunter: (2, "Calls: 0 of 120; Calls per hour: 0.0 of 15.0"),
                self.user_closer: (2, "Calls: 12 of 40; Calls per hour: 1.5 of 5.0"),
                nora: (1, "Calls: 9 of 10"),
            },
        )

    def test_one_grouped_read_whatever_the_people(self):
        self.Daily._sales_check_activity(date(2026, 3, 2))
        self.env.invalidate_all()
        with self.assertQueryCount(21):
            self.Daily._sales_check_activity(date(2026, 3, 9))
        more = self.env["res.users"].create(
            [{"name": f"Hunter {index}", "login": f"hunter_{index}"} for index in range(5)]
        )
        self.env["hr.employee"].create(
            [
                {
                    "name": user.name,
                    "user_id": user.id,
                    "sales_role": "hunter",
                    "resource_calendar_id": self.env.company.resource_calendar_id.id,
                }
                for user in more
            ]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(21):
            self.Daily._sales_check_activity(date(2026, 3, 16))

    def test_negative_norm_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.Norm.search([("sales_role", "=", "hunter")]).calls_per_day = -1

    def test_rpc_director_sets_a_norm_a_salesperson_only_reads(self):
        """As an integrator calls: the user's own rights, no company in the context."""
        self.Norm.search([("sales_role", "=", "universal")]).unlink()
        norm = (
            self.Norm.with_user(self.user_director)
            .with_context(allowed_company_ids=None)
            .create({"sales_role": "universal", "calls_per_day": 50, "calls_per_hour": 6.5})
        )
        self.assertEqual(norm.company_id, self.env.company)
        as_hunter = norm.with_user(self.user_hunter)
        self.assertEqual(as_hunter.calls_per_day, 50)
        with self.assertRaises(AccessError):
            as_hunter.calls_per_day = 10
