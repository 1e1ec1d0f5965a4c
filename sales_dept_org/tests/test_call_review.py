"""The weekly review: a sample of each agent's answered calls for the head,
scored 1-5, seen by the agent, averaged by a metric."""

from datetime import date, datetime

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .call_common import CallCommon

NOW = datetime(2026, 3, 14, 6, 0)  # Saturday 14 March 2026, 07:00 in Warsaw


@tagged("post_install", "-at_install")
class TestCallReview(CallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Jan: 5 answered calls this week, 1 missed, 1 answered a month ago;
        # Tomasz: 2 answered; Hubert (team East): 1
        cls.jan_calls = cls.Call.browse()
        for day in range(9, 14):
            cls.jan_calls |= cls._log(event_id=f"j{day}", start=f"2026-03-{day:02d}T10:00:00+01:00")
        cls._log(event_id="j-missed", status="missed", start="2026-03-12T10:00:00+01:00")
        cls._log(event_id="j-old", start="2026-02-10T10:00:00+01:00")
        cls.tomasz_calls = cls._log(event_id="t1", agent="102") | cls._log(
            event_id="t2", agent="102", start="2026-03-11T10:00:00+01:00"
        )
        cls.hubert_call = cls._log(event_id="h1", agent="201")
        cls.review_type = cls.env.ref("sales_dept_org.mail_activity_type_review_call")

    def test_a_weekly_sample_per_agent_for_their_head(self):
        picked = self.Call._cron_sample_reviews(now=NOW)
        by_agent = {user: len(calls) for user, calls in picked.grouped("user_id").items()}
        self.assertEqual(
            by_agent, {self.user_hunter: 3, self.user_closer: 2, self.user_hunter_east: 1}
        )
        jan_picked = picked.filtered(lambda call: call.user_id == self.user_hunter)
        self.assertTrue(jan_picked <= self.jan_calls, "only this week's answered calls")
        tasks = picked.activity_ids
        self.assertEqual(tasks.activity_type_id, self.review_type)
        self.assertEqual(
            {(task.res_id, task.user_id) for task in tasks},
            {(call.id, call.team_id.user_id) for call in picked},
        )
        self.assertEqual(set(tasks.user_id), {self.user_head, self.user_head_east})
        # a second run the same week picks Jan's two others, nobody else's
        again = self.Call._cron_sample_reviews(now=NOW)
        self.assertEqual(again, self.jan_calls - picked)
        self.assertFalse(self.Call._cron_sample_reviews(now=NOW))

    def test_the_sample_size_is_the_companys(self):
        self.env.company.sales_call_review_sample = 1
        picked = self.Call._cron_sample_reviews(now=NOW)
        self.assertEqual(len(picked), 3)  # one per agent
        with self.assertRaises(ValidationError):
            self.env.company.sales_call_review_sample = -1

    def test_the_head_scores_the_agent_reads_the_metric_averages(self):
        picked = self.Call._cron_sample_reviews(now=NOW)
        first, second = picked.filtered(lambda call: call.user_id == self.user_hunter)[:2]
        first.with_user(self.user_head).write({"review_score": 4, "review_note": "Good opening"})
        second.with_user(self.user_head).write({"review_score": 1})
        self.assertEqual((first.reviewer_id, first.review_score), (self.user_head, 4))
        self.assertFalse(first.activity_ids, "the review task is done")
        as_agent = first.with_user(self.user_hunter)
        self.assertEqual((as_agent.review_score, as_agent.review_note), (4, "Good opening"))
        metric = self.env.ref("sales_dept_org.kpi_metric_call_review_score")
        facts = metric._read_facts(self.user_hunter, date(2026, 3, 1), date(2026, 3, 31))
        self.assertEqual(facts, {(metric.id, self.user_hunter.id): 2.5})  # (4 + 1) / 2

    def test_who_may_review(self):
        call = self.jan_calls[0]
        for user in (self.user_hunter, self.user_head_east):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                call.with_user(user).write({"review_score": 3})
        with self.assertRaises(ValidationError):
            call.with_user(self.user_head).write({"review_score": 6})
        with self.assertRaises(AccessError):
            call.with_user(self.user_head).write({"duration": 1})
        self.hubert_call.with_user(self.user_director).write({"review_score": 5})
        self.assertEqual(self.hubert_call.reviewer_id, self.user_director)
