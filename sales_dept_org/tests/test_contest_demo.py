"""The demo department's contests: North's of this month runs with its
leaderboard, last month's is closed with one announcement in the team's
channel and a day off to grant (a to-do on the head) per winner."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestContestDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sales.dept.demo"]._load_demo_department()

    def test_a_running_and_a_closed_contest(self):
        running = self.env.ref("sales_dept_org.demo_contest_running")
        closed = self.env.ref("sales_dept_org.demo_contest_closed")
        team = self.env.ref("sales_dept_org.demo_team_polnoc")
        self.assertEqual((running.state, closed.state), ("running", "closed"))
        self.assertEqual(running.leaderboard.count("<tr>"), 1 + len(team.member_ids))
        self.assertTrue(closed.winner_ids)
        self.assertEqual(closed.activity_ids.user_id, team.user_id)
        self.assertEqual(len(closed.activity_ids), len(closed.winner_ids))
        announced = team.digest_channel_id.message_ids.filtered(
            lambda message: closed.name in message.body
        )
        self.assertEqual(len(announced), 1)
