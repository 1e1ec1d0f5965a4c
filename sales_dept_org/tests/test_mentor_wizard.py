"""The trainee wizard of the employee forms, called as the browser calls it
(the head's own rights, no company in the context): it writes through the
employee's guarded write, so a refusal names the reason and writes nothing."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SalesDeptCommon


@tagged("post_install", "-at_install")
class TestMentorWizard(SalesDeptCommon):
    def wizard(self, user, employee, **values):
        env = self.env(user=user, context={})
        return env["sales.trainee.wizard"].create({"employee_id": employee.id, **values})

    def activities(self, employee):
        return self.env["mail.activity"].search(
            [("res_model", "=", "hr.employee"), ("res_id", "=", employee.id)],
            order="date_deadline, id",
        )

    def test_head_marks_on_the_1st_the_15th_and_the_last_day(self):
        # the head's own step, the adaptation test, is due 14 days after the day marked
        cases = [
            (self.employee_hunter, date(2026, 3, 1), date(2026, 3, 15)),
            (self.employee_closer, date(2026, 3, 15), date(2026, 3, 29)),
            (self.employee_farmer, date(2026, 3, 31), date(2026, 4, 14)),
        ]
        mentors = {
            self.employee_hunter: self.employee_closer,
            self.employee_closer: self.employee_farmer,
            self.employee_farmer: self.employee_hunter,
        }
        for trainee, day, test_day in cases:
            with (
                self.subTest(day=day),
                freeze_time(datetime.combine(day, datetime.min.time()).replace(hour=10)),
            ):
                wizard = self.wizard(self.user_head, trainee, mentor_id=mentors[trainee].id)
                self.assertTrue(wizard.is_trainee)
                wizard.action_apply()
                self.assertRecordValues(
                    trainee,
                    [
                        {
                            "is_trainee": True,
                            "mentor_id": mentors[trainee].id,
                            "adaptation_started_on": day,
                        }
                    ],
                )
                last = self.activities(trainee)[-1]
                self.assertEqual((last.user_id, last.date_deadline), (self.user_head, test_day))

    @freeze_time("2026-05-15 10:00:00")
    def test_opened_on_a_trainee_it_changes_the_mentor_and_ends_the_adaptation(self):
        self.employee_hunter.write(
            {
                "is_trainee": True,
                "mentor_id": self.employee_closer.id,
                "adaptation_end_date": "2026-06-30",
            }
        )
        wizard = self.wizard(self.user_head, self.employee_hunter)
        self.assertRecordValues(
            wizard,
            [
                {
                    "is_trainee": True,
                    "mentor_id": self.employee_closer.id,
                    "adaptation_end_date": date(2026, 6, 30),
                }
            ],
        )
        wizard.mentor_id = self.employee_farmer
        wizard.action_apply()
        self.assertEqual(self.employee_hunter.mentor_id, self.employee_farmer)
        self.assertEqual(len(self.activities(self.employee_hunter)), 4)  # started once
        ending = self.wizard(self.user_head, self.employee_hunter, is_trainee=False)
        ending.action_apply()
        self.assertRecordValues(
            self.employee_hunter,
            [
                {
                    "is_trainee": False,
                    "mentor_id": self.employee_farmer.id,
                    "adaptation_end_date": date(2026, 6, 30),
                }
            ],
        )

    def test_refusals_name_the_reason_and_write_nothing(self):
        other = self._sales_user("sdo_head2", "Ewa Head", "sales_dept_org.group_sales_dept_head")
        self.env["crm.team"].create({"name": "South", "user_id": other.id})
        wizard = self.wizard(other, self.employee_farmer, mentor_id=self.employee_closer.id)
        with self.assertRaises(AccessError) as caught:
            wizard.action_apply()
        self.assertIn(
            "only the people of the teams you lead, not: Agnieszka Farmer", str(caught.exception)
        )
        wizard = self.wizard(
            self.user_head, self.employee_hunter, mentor_id=self.employee_hunter.id
        )
        with self.assertRaises(ValidationError) as caught:
            wizard.action_apply()
        self.assertEqual(str(caught.exception), "Jan Hunter cannot be their own mentor.")
        for employee in self.employee_farmer | self.employee_hunter:
            employee.invalidate_recordset()
            self.assertRecordValues(
                employee,
                [{"is_trainee": False, "mentor_id": False, "adaptation_started_on": False}],
            )
            self.assertFalse(self.activities(employee))

    def test_a_salesperson_cannot_open_it(self):
        with self.assertRaises(AccessError):
            self.wizard(self.user_closer, self.employee_farmer)
