"""Trainees and mentors on employees: the adaptation plan started once when
someone is marked trainee, the mentor's constraints, and who may mark whom."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SalesDeptCommon

PLAN_NAME = "Sales adaptation"


@tagged("post_install", "-at_install")
class TestMentorAdaptation(SalesDeptCommon):
    def adaptation(self, employee):
        """(step, user, deadline) of the employee's adaptation activities, in plan order."""
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "hr.employee"), ("res_id", "=", employee.id)],
            order="date_deadline, id",
        )
        return [
            (activity.activity_type_id.name, activity.user_id, activity.date_deadline)
            for activity in activities
        ]

    def plan_started_messages(self, employee):
        return employee.message_ids.filtered(
            lambda message: f'The plan "{PLAN_NAME}" has been started' in (message.body or "")
        )

    def test_plan_started_on_the_1st_the_15th_and_the_last_day(self):
        # Jan (mentor Tomasz) on 1 March, Tomasz (mentor Agnieszka) on the 15th,
        # Agnieszka (mentor Jan) on the 31st; Piotr heads North and holds the test.
        # Deadlines: 3, 5, 7 and 14 days after the day marked.
        cases = [
            (self.employee_hunter, self.employee_closer, date(2026, 3, 1)),
            (self.employee_closer, self.employee_farmer, date(2026, 3, 15)),
            (self.employee_farmer, self.employee_hunter, date(2026, 3, 31)),
        ]

        # (month, day) of the four deadlines, worked out on the calendar
        expected = {
            date(2026, 3, 1): ((3, 4), (3, 6), (3, 8), (3, 15)),
            date(2026, 3, 15): ((3, 18), (3, 20), (3, 22), (3, 29)),
            date(2026, 3, 31): ((4, 3), (4, 5), (4, 7), (4, 14)),
        }
        for trainee, mentor, day in cases:
            with (
                self.subTest(day=day),
                freeze_time(datetime.combine(day, datetime.min.time()).replace(hour=10)),
            ):
                trainee.write({"is_trainee": True, "mentor_id": mentor.id})
                product, scripts, calls, test = (date(2026, *md) for md in expected[day])
                self.assertEqual(
                    self.adaptation(trainee),
                    [
                        ("Product training", trainee.user_id, product),
                        ("Learn the sales scripts", trainee.user_id, scripts),
                        ("First calls with the mentor", mentor.user_id, calls),
                        ("Adaptation test", self.user_head, test),
                    ],
                )
                self.assertEqual(trainee.adaptation_started_on, day)
                self.assertEqual(len(self.plan_started_messages(trainee)), 1)

    @freeze_time("2026-05-15 10:00:00")
    def test_marked_again_the_plan_is_not_started_twice(self):
        self.employee_hunter.write({"is_trainee": True, "mentor_id": self.employee_closer.id})
        with freeze_time("2026-06-01 10:00:00"):
            self.employee_hunter.is_trainee = False
            self.employee_hunter.is_trainee = True
        self.assertEqual(len(self.adaptation(self.employee_hunter)), 4)
        self.assertEqual(self.employee_hunter.adaptation_started_on, date(2026, 5, 15))
        self.assertEqual(len(self.plan_started_messages(self.employee_hunter)), 1)
        # the mentor changed: no new plan either
        self.employee_hunter.mentor_id = self.employee_farmer
        self.assertEqual(len(self.adaptation(self.employee_hunter)), 4)

    @freeze_time("2026-05-15 10:00:00")
    def test_created_trainee_starts_the_plan_and_without_mentor_the_head_takes_the_calls(self):
        user = self._sales_user(
            "sdo_newbie", "Ola Newbie", "sales_dept_org.group_sales_dept_salesperson"
        )
        self.team_north.member_ids |= user
        newbie = self.env["hr.employee"].create(
            {"name": user.name, "user_id": user.id, "sales_role": "hunter", "is_trainee": True}
        )
        self.assertEqual(
            self.adaptation(newbie),
            [
                ("Product training", user, date(2026, 5, 18)),
                ("Learn the sales scripts", user, date(2026, 5, 20)),
                ("First calls with the mentor", self.user_head, date(2026, 5, 22)),
                ("Adaptation test", self.user_head, date(2026, 5, 29)),
            ],
        )

    def test_nobody_for_a_step_refuses_the_change(self):
        # a hunter of no team, with no manager: nobody holds the test
        loner = self.env["hr.employee"].create({"name": "Lone Wolf"})
        with self.assertRaises(ValidationError) as caught:
            loner.write({"is_trainee": True})
        self.assertIn("Lone Wolf has neither a head of sales nor a manager", str(caught.exception))
        loner.invalidate_recordset()
        self.assertFalse(loner.is_trainee)
        self.assertFalse(loner.adaptation_started_on)
        self.assertFalse(self.adaptation(loner))

    def test_mentor_is_someone_else_of_the_same_company(self):
        with self.assertRaises(ValidationError) as caught:
            self.employee_hunter.write({"is_trainee": True, "mentor_id": self.employee_hunter.id})
        self.assertEqual(str(caught.exception), "Jan Hunter cannot be their own mentor.")
        company, nora, _team = self._new_york("sdo_nora")
        nora_employee = self.env["hr.employee"].create(
            {"name": "Nora York", "user_id": nora.id, "company_id": company.id}
        )
        with self.assertRaises(ValidationError) as caught:
            self.employee_hunter.write({"is_trainee": True, "mentor_id": nora_employee.id})
        self.assertEqual(
            str(caught.exception),
            f"The mentor of Jan Hunter ({self.env.company.name}) must work in the same company: "
            "Nora York works in Big Apple Inc.",
        )
        self.employee_hunter.invalidate_recordset()
        self.assertFalse(self.employee_hunter.mentor_id)
        self.assertFalse(self.employee_hunter.is_trainee)
        self.assertFalse(self.adaptation(self.employee_hunter))

    def test_rpc_a_head_marks_his_teams_employee_a_salesperson_cannot(self):
        """Over RPC: no company in the context, the caller's own rights."""
        values = {"is_trainee": True, "mentor_id": self.employee_closer.id}
        head_env = self.env(user=self.user_head, context={})
        head_env["hr.employee"].browse(self.employee_hunter.id).write(values)
        self.assertTrue(self.employee_hunter.is_trainee)
        self.assertEqual(self.employee_hunter.mentor_id, self.employee_closer)
        self.assertEqual(len(self.adaptation(self.employee_hunter)), 4)
        # the chatter says who did it
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracking = self.employee_hunter.message_ids.filtered("tracking_value_ids")[:1]
        self.assertEqual(tracking.author_id, self.user_head.partner_id)
        # a salesperson cannot, not even on a colleague of the team
        closer_env = self.env(user=self.user_closer, context={})
        with self.assertRaises(AccessError):
            closer_env["hr.employee"].browse(self.employee_farmer.id).write(values)
        # a head cannot change anything else of an employee
        with self.assertRaises(AccessError):
            head_env["hr.employee"].browse(self.employee_farmer.id).write({"name": "Renamed"})
        # nor mark someone outside the teams they lead
        other = self._sales_user("sdo_head2", "Ewa Head", "sales_dept_org.group_sales_dept_head")
        self.env["crm.team"].create({"name": "South", "user_id": other.id})
        other_env = self.env(user=other, context={})
        with self.assertRaises(AccessError) as caught:
            other_env["hr.employee"].browse(self.employee_farmer.id).write(values)
        self.assertIn(
            "only the people of the teams you lead, not: Agnieszka Farmer", str(caught.exception)
        )
        self.employee_farmer.invalidate_recordset()
        self.assertFalse(self.employee_farmer.is_trainee)

    def test_colleagues_read_the_trainee_and_mentor(self):
        self.employee_hunter.write({"is_trainee": True, "mentor_id": self.employee_closer.id})
        self.env.flush_all()  # the public employees are a view of the table
        public = (
            self.env["hr.employee.public"]
            .with_user(self.user_farmer)
            .browse(self.employee_hunter.id)
        )
        self.assertTrue(public.is_trainee)
        self.assertEqual(public.mentor_id.name, "Tomasz Closer")
        self.assertEqual(public.adaptation_started_on, self.employee_hunter.adaptation_started_on)
        trainees = (
            self.env["hr.employee.public"]
            .with_user(self.user_farmer)
            .search([("is_trainee", "=", True)])
        )
        self.assertEqual(trainees.ids, self.employee_hunter.ids)
