"""The demo department's trainee: Południe's hunter, mentored by the team's
closer, with the adaptation plan running and the mentor's line on last
month's sheet."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMentorDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sales.dept.demo"]._load_demo_department()
        cls.env["sales.dept.demo.pay"]._load_demo_pay()

    def test_trainee_with_a_mentor_and_a_mentor_line(self):
        Demo = self.env["sales.dept.demo.mentors"]
        self.assertTrue(Demo._load_demo_mentors())
        self.assertFalse(Demo._load_demo_mentors(), "a second run changes nothing")
        trainee = self.env.ref("sales_dept_org.demo_employee_hunter_south")
        mentor = self.env.ref("sales_dept_org.demo_employee_closer_south")
        self.assertEqual((trainee.is_trainee, trainee.mentor_id), (True, mentor))
        # the adaptation plan runs: the four steps, the mentor's calls on the mentor
        steps = {
            activity.activity_type_id.name: activity.user_id for activity in trainee.activity_ids
        }
        self.assertEqual(
            steps,
            {
                "Product training": trainee.user_id,
                "Learn the sales scripts": trainee.user_id,
                "First calls with the mentor": mentor.user_id,
                "Adaptation test": self.env.ref("sales_dept_org.demo_team_poludnie").user_id,
            },
        )
        line = self.env.ref("sales_dept_org.demo_bonus_line_mentor")
        self.assertEqual(line.sheet_id, self.env.ref("sales_dept_org.demo_bonus_sheet_last_month"))
        self.assertEqual((line.employee_id, line.trainee_id), (mentor, trainee))
        # the hunter's shipped scheme: 6,000 at 30/10/60, a target bonus of 3,600;
        # the shipped 10% is 360.00 at plan, paid at the trainee's attainment
        self.assertEqual(line.bonus_target, 360.0)
        self.assertGreater(line.bonus_payout, 0.0)
        # the payout is shown to a hundredth of a percent, the amount is of the
        # exact attainment: 360 x 0.005% = 0.018, plus half a cent of rounding
        self.assertAlmostEqual(line.bonus_amount, 360.0 * line.bonus_payout / 100, delta=0.023)
        self.assertEqual(line.total_amount, line.bonus_amount)
