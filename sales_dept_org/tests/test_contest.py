"""Contests: the leaderboard read from the stored facts, the winners by top
places (ties share a place and all win) or a threshold, the prize given and
the winners announced exactly once, by the button or the daily job.

Team North in October 2026, calls made (stored facts): Jan Hunter 30 + 20
= 50, Tomasz Closer 45, Ewa 45 (a tie with Tomasz), Filip Farmer 10 (and
100 on 30 September, outside the period, and 100 in another company)."""

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2.errors import LockNotAvailable

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .bonus_common import NOVEMBER, OCTOBER, BonusCommon

# (user attribute, day, calls)
FACTS = (
    ("user_hunter", date(2026, 10, 1), 30),
    ("user_hunter", date(2026, 10, 31), 20),
    ("user_closer", date(2026, 10, 15), 45),
    ("user_ewa", date(2026, 10, 20), 45),
    ("user_farmer", date(2026, 10, 2), 10),
    ("user_farmer", date(2026, 9, 30), 100),
)


@tagged("post_install", "-at_install")
class TestContest(BonusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Europe/Warsaw"
        cls.user_ewa = cls._sales_user(
            "sdo_ewa", "Ewa Hunter", "sales_dept_org.group_sales_dept_salesperson"
        )
        cls.employee_ewa = cls.env["hr.employee"].create(
            {"name": "Ewa Hunter", "user_id": cls.user_ewa.id, "sales_role": "hunter"}
        )
        cls.team_north.member_ids |= cls.user_ewa
        cls.user_head_b = cls._sales_user(
            "sdo_head_b", "Olga Head", "sales_dept_org.group_sales_dept_head"
        )
        cls.user_outsider = cls._sales_user(
            "sdo_outsider", "Piotr South", "sales_dept_org.group_sales_dept_salesperson"
        )
        cls.team_south = cls.env["crm.team"].create(
            {
                "name": "South",
                "user_id": cls.user_head_b.id,
                "member_ids": [(6, 0, cls.user_outsider.ids)],
            }
        )
        cls.calls = cls.env.ref("sales_dept_org.kpi_metric_calls_made")
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.env["sales.kpi.fact"].create(
            [
                {
                    "date": day,
                    "metric_id": cls.calls.id,
                    "user_id": getattr(cls, user).id,
                    "company_id": cls.company.id,
                    "amount": calls,
                    "record_count": calls,
                }
                for user, day, calls in FACTS
            ]
            + [
                {
                    "date": date(2026, 10, 5),
                    "metric_id": cls.calls.id,
                    "user_id": cls.user_farmer.id,
                    "company_id": cls.company_b.id,
                    "amount": 100,
                    "record_count": 100,
                }
            ]
        )
        cls.calls.facts_stored_until = date(2026, 12, 31)

    def contest(self, user=None, **values):
        """A running October contest of North, created and started as ``user``
        (the head by default) as an integrator calls: own rights, no company."""
        Contest = self.env(user=user or self.user_head, context={})["sales.contest"]
        contest = Contest.create(
            dict(
                {
                    "name": "October calls",
                    "date_from": date(2026, 10, 1),
                    "date_to": date(2026, 10, 31),
                    "team_ids": [(6, 0, self.team_north.ids)],
                    "metric_id": self.calls.id,
                    "rule": "top",
                    "top_count": 1,
                    "prize": "money",
                    "prize_amount": 500.0,
                },
                **values,
            )
        )
        contest.action_start()
        return contest

    def board(self, contest):
        return [
            (rank, user.name, value, won)
            for rank, user, value, won in contest._standings()[contest]
        ]

    def announcements(self):
        channel = self.team_north.digest_channel_id
        return channel.message_ids.filtered(lambda message: "October calls" in message.body)

    def test_top_places_with_a_tie(self):
        """Top 1: Jan alone (50). Top 2: Jan, then Tomasz and Ewa sharing
        place 2 (45 each): all three win; Filip is 4th (the tie skips 3)."""
        self.assertEqual(
            self.board(self.contest(top_count=2)),
            [
                (1, "Jan Hunter", 50.0, True),
                (2, "Ewa Hunter", 45.0, True),
                (2, self.user_closer.name, 45.0, True),
                (4, self.user_farmer.name, 10.0, False),
            ],
        )
        self.assertEqual(
            [won for *_rest, won in self.board(self.contest(top_count=1))],
            [True, False, False, False],
        )

    def test_threshold(self):
        """At or over 45: Jan (50), Ewa and Tomasz (45); Filip (10) not."""
        contest = self.contest(rule="threshold", threshold=45.0)
        self.assertEqual(
            [(name, won) for _rank, name, _value, won in self.board(contest)],
            [
                ("Jan Hunter", True),
                ("Ewa Hunter", True),
                (self.user_closer.name, True),
                (self.user_farmer.name, False),
            ],
        )
        self.assertIn("50.00", contest.leaderboard)

    def test_money_prize_on_the_sheet_once_and_one_announcement(self):
        """Top 1 closed on 1 November: Jan gets one approved 500 bonus, on the
        November sheet once; closing again is refused, the job then does
        nothing: one announcement, one bonus."""
        contest = self.contest()
        with freeze_time(datetime(2026, 11, 1, 9)):
            contest.action_close()
            with self.assertRaisesRegex(UserError, "Only a running contest closes"):
                contest.action_close()
            self.env["sales.contest"]._cron_close_ended()
        self.assertRecordValues(contest, [{"state": "closed", "winner_ids": self.user_hunter.ids}])
        bonuses = self.env["sales.bonus.instant"].search([("reason", "like", "October calls")])
        self.assertRecordValues(
            bonuses,
            [
                {
                    "employee_id": self.employee_hunter.id,
                    "amount": 500.0,
                    "state": "approved",
                    "approved_by_id": self.user_head.id,
                    "date": date(2026, 11, 1),
                }
            ],
        )
        self.assertEqual(len(self.announcements()), 1)
        self.assertIn("Jan Hunter", self.announcements().body)
        sheet = self.compute_month(NOVEMBER)
        self.assertEqual(self.line_of(sheet, self.employee_hunter).instant_amount, 500.0)
        sheet.action_compute()
        self.assertEqual(self.line_of(sheet, self.employee_hunter).instant_amount, 500.0)
        # the final standings stay as they were closed, whatever comes later
        self.env["sales.kpi.fact"].create(
            {
                "date": date(2026, 10, 31),
                "metric_id": self.calls.id,
                "user_id": self.user_farmer.id,
                "company_id": self.company.id,
                "amount": 500,
                "record_count": 500,
            }
        )
        contest.invalidate_recordset(["leaderboard"])
        self.assertNotIn("510.00", contest.leaderboard)

    def test_a_close_racing_another_is_refused(self):
        """While another transaction holds the row (closing it), the button
        says so and writes nothing: no winners, no bonus, no announcement."""
        contest = self.contest()
        with (
            patch.object(type(contest), "_lock_running", side_effect=LockNotAvailable),
            self.assertRaisesRegex(UserError, "Someone is closing this contest right now"),
        ):
            contest.action_close()
        self.assertRecordValues(contest, [{"state": "running", "winner_ids": []}])
        self.assertFalse(self.announcements())
        self.assertFalse(self.env["sales.bonus.instant"].search([("reason", "like", "October")]))

    def test_announcement_in_the_company_language(self):
        """The head reads English; the company writes Polish: so does the channel."""
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(["sales_dept_org"], ["pl_PL"])
        self.company.partner_id.lang = "pl_PL"
        contest = self.contest()
        with freeze_time(datetime(2026, 11, 1, 9)):
            contest.action_close()
        self.assertIn("Zwycięzcy: Jan Hunter.", self.announcements().body)

    def test_day_off_is_a_todo_for_the_head(self):
        contest = self.contest(rule="threshold", threshold=45.0, prize="day_off", prize_amount=0)
        with freeze_time(datetime(2026, 11, 2, 9)):
            contest.action_close()
        activities = contest.sudo().activity_ids
        self.assertEqual(activities.user_id, self.user_head)
        self.assertEqual(
            sorted(activities.mapped("summary")),
            [
                "Grant a day off to Ewa Hunter",
                "Grant a day off to Jan Hunter",
                f"Grant a day off to {self.user_closer.name}",
            ],
        )
        self.assertFalse(self.env["sales.bonus.instant"].search([("reason", "like", "October")]))

    def test_job_closes_the_day_after_the_period(self):
        """The 1st, the 15th and the last day of October: still running; on
        1 November (Warsaw's day) closed, paid and announced once."""
        contest = self.contest()
        for moment in (
            datetime(2026, 10, 1, 12),
            datetime(2026, 10, 15, 12),
            datetime(2026, 10, 31, 12),
            # 22:30 UTC on the 31st is 23:30 in Warsaw (CET): still the 31st
            datetime(2026, 10, 31, 22, 30),
        ):
            with freeze_time(moment):
                self.env["sales.contest"]._cron_close_ended()
            self.assertEqual(contest.state, "running", moment)
        with freeze_time(datetime(2026, 11, 1, 1, 15)):
            self.env["sales.contest"]._cron_close_ended()
            self.env["sales.contest"]._cron_close_ended()
        self.assertRecordValues(
            contest, [{"state": "closed", "closed_by_id": self.env.ref("base.user_root").id}]
        )
        self.assertEqual(len(self.announcements()), 1)
        self.assertEqual(
            self.env["sales.bonus.instant"].search_count([("reason", "like", "October calls")]), 1
        )

    def test_rights_per_persona(self):
        contest = self.contest()
        # salespeople of the team read it, not others; nobody of them writes or closes
        for user in (self.user_hunter, self.user_ewa):
            self.assertEqual(contest.with_user(user).read(["name"])[0]["name"], "October calls")
            with self.assertRaises(AccessError):
                contest.with_env(self.env(user=user, context={})).action_close()
        with self.assertRaises(AccessError):
            contest.with_env(self.env(user=self.user_outsider, context={})).read(["name"])
        with self.assertRaises(AccessError):
            self.contest(user=self.user_hunter)
        # another head neither reads it nor runs a contest for a team he does not lead
        with self.assertRaises(AccessError):
            contest.with_env(self.env(user=self.user_head_b, context={})).read(["name"])
        with self.assertRaisesRegex(ValidationError, "you do not lead North"):
            self.contest(user=self.user_head_b)
        # the director runs contests for any team
        both = self.contest(
            user=self.user_director,
            name="All teams",
            team_ids=[(6, 0, (self.team_north | self.team_south).ids)],
        )
        self.assertEqual(both.state, "running")

    def test_bad_terms_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "the period ends before it starts"):
            self.contest(date_from=date(2026, 11, 1))
        with self.assertRaisesRegex(ValidationError, "the money prize must be positive"):
            self.contest(prize_amount=0)
        with self.assertRaisesRegex(ValidationError, "at least one place wins"):
            self.contest(top_count=0)

    def test_other_company(self):
        """A contest of Company B reads Company B's facts only (Wanda: 70;
        Agnieszka's 100 there are not North's), and Company A's people do
        not see it."""
        wanda = self.env["res.users"].create(
            {
                "name": "Wanda West",
                "login": "sdo_wanda",
                "company_id": self.company_b.id,
                "company_ids": [(6, 0, self.company_b.ids)],
            }
        )
        team_b = self.env["crm.team"].create(
            {"name": "West", "company_id": self.company_b.id, "member_ids": [(6, 0, wanda.ids)]}
        )
        self.env["sales.kpi.fact"].create(
            {
                "date": date(2026, 10, 9),
                "metric_id": self.calls.id,
                "user_id": wanda.id,
                "company_id": self.company_b.id,
                "amount": 70,
                "record_count": 70,
            }
        )
        contest = self.env["sales.contest"].create(
            {
                "name": "B calls",
                "company_id": self.company_b.id,
                "date_from": date(2026, 10, 1),
                "date_to": date(2026, 10, 31),
                "team_ids": [(6, 0, team_b.ids)],
                "metric_id": self.calls.id,
                "top_count": 1,
                "prize_amount": 100.0,
            }
        )
        self.assertEqual(
            [(name, value) for _rank, name, value, _won in self.board(contest)],
            [("Wanda West", 70.0)],
        )
        with self.assertRaises(AccessError):
            contest.with_env(self.env(user=self.user_director, context={})).read(["name"])

    def problem_posts(self, contest):
        return contest.message_ids.filtered(lambda message: "cannot close" in message.body)

    def test_a_winner_without_employee_stops_the_close_by_name(self):
        """Over 45 calls Jan, Ewa and Tomasz win; Ewa's employee is archived:
        the button names her and writes nothing. The job, run twice, leaves
        the contest running with the reason on its chatter once, and closes
        the other contest ended the same day (Jan, top 1). Once Ewa has her
        employee back, the job closes it and pays the three."""
        contest = self.contest(rule="threshold", threshold=45.0)
        sprint = self.contest(name="Sprint")
        self.employee_ewa.active = False
        with freeze_time(datetime(2026, 11, 1, 9)):
            with self.assertRaisesRegex(
                UserError,
                f"^Contest October calls cannot close: No employee in {self.company.name} to "
                "pay the prize to: Ewa Hunter. Create their employee records",
            ):
                contest.action_close()
            self.assertRecordValues(contest, [{"state": "running", "winner_ids": []}])
            self.assertFalse(self.announcements())
            self.assertFalse(
                self.env["sales.bonus.instant"].search([("reason", "like", "October calls")])
            )
            self.env["sales.contest"]._cron_close_ended()
            self.env["sales.contest"]._cron_close_ended()
        self.assertRecordValues(
            contest + sprint,
            [
                {"state": "running", "winner_ids": []},
                {"state": "closed", "winner_ids": self.user_hunter.ids},
            ],
        )
        self.assertIn("Ewa Hunter", contest.close_problem)
        self.assertEqual(len(self.problem_posts(contest)), 1)
        self.assertFalse(self.announcements())
        self.assertEqual(
            self.env["sales.bonus.instant"].search([("reason", "like", "Sprint")]).employee_id,
            self.employee_hunter,
        )
        self.employee_ewa.active = True
        with freeze_time(datetime(2026, 11, 2, 9)):
            self.env["sales.contest"]._cron_close_ended()
        self.assertRecordValues(contest, [{"state": "closed", "close_problem": False}])
        self.assertEqual(
            self.env["sales.bonus.instant"]
            .search([("reason", "like", "October calls")])
            .mapped("employee_id"),
            self.employee_hunter | self.employee_closer | self.employee_ewa,
        )
        self.assertEqual(len(self.announcements()), 1)
        self.assertEqual(len(self.problem_posts(contest)), 1)

    def test_the_prize_falls_in_the_open_month_or_names_the_locked_sheet(self):
        """The prize is dated the company's day it is approved. On 1 November,
        October's sheet confirmed: the October contest closes, its prize dated
        1 November. On 30 November, November's sheet confirmed too: closing a
        second one is refused naming November's sheet, nothing written; the
        job leaves it running with the reason once; on 1 December (Warsaw's
        day, 02:15) the job closes it, its prize dated 1 December."""
        first, second = self.contest(), self.contest(name="October calls, again")
        self.compute_month(OCTOBER).action_confirm()
        with freeze_time(datetime(2026, 11, 1, 9)):
            first.action_close()
        bonuses = self.env["sales.bonus.instant"].search([("reason", "like", "October calls")])
        self.assertRecordValues(bonuses, [{"date": date(2026, 11, 1), "amount": 500.0}])
        november = self.compute_month(NOVEMBER)
        november.action_confirm()
        with freeze_time(datetime(2026, 11, 30, 12)):
            with self.assertRaisesRegex(
                UserError,
                f"^Contest October calls, again cannot close: {november.name} is confirmed "
                "and locked",
            ):
                second.action_close()
            self.assertRecordValues(second, [{"state": "running", "winner_ids": []}])
            self.env["sales.contest"]._cron_close_ended()
            self.env["sales.contest"]._cron_close_ended()
        self.assertEqual(second.state, "running")
        self.assertIn(november.name, second.close_problem)
        self.assertEqual(len(self.problem_posts(second)), 1)
        self.assertEqual(
            self.env["sales.bonus.instant"].search_count([("reason", "like", "October calls")]), 1
        )
        with freeze_time(datetime(2026, 12, 1, 1, 15)):
            self.env["sales.contest"]._cron_close_ended()
        self.assertRecordValues(second, [{"state": "closed", "close_problem": False}])
        self.assertRecordValues(
            self.env["sales.bonus.instant"].search([("reason", "like", "October calls, again")]),
            [{"employee_id": self.employee_hunter.id, "date": date(2026, 12, 1), "amount": 500.0}],
        )
