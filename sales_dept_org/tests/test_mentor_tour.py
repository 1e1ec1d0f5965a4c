"""A head of sales without HR rights marks a person of his team trainee in a
real browser (headless Chromium), in Polish: the public employee form's
button opens the wizard, the mentor is chosen, and the adaptation plan
starts (the trainee's first step, the mentor's and the head's)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMentorTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "hr", "crm", "sales_team", "sales_dept_org"], ["pl_PL"]
        )
        group = "sales_dept_org.group_sales_dept_"
        cls.head = new_test_user(
            cls.env, "sdo_trainee_head", groups=f"{group}head", name="Piotr Nowak", lang="pl_PL"
        )
        cls.hunter, cls.closer = (
            new_test_user(cls.env, login, groups=f"{group}salesperson", name=name)
            for login, name in (
                ("sdo_trainee_jan", "Jan Wójcik"),
                ("sdo_trainee_tomasz", "Tomasz Zieliński"),
            )
        )
        cls.trainee, cls.mentor = cls.env["hr.employee"].create(
            [
                {"name": user.name, "user_id": user.id, "sales_role": role}
                for user, role in ((cls.hunter, "hunter"), (cls.closer, "closer"))
            ]
        )
        cls.env["crm.team"].create(
            {
                "name": "Północ",
                "user_id": cls.head.id,
                "member_ids": [(6, 0, (cls.hunter | cls.closer).ids)],
            }
        )

    def test_head_marks_his_hunter_trainee(self):
        self.assertFalse(self.head.has_group("hr.group_hr_user"))
        url = f"/odoo/action-hr.hr_employee_public_action/{self.trainee.id}"
        self.authenticate(self.head.login, self.head.login)
        # the first page of a session, served once outside the browser (a busy
        # machine takes longer than the tour's navigation allows)
        self.url_open(url, timeout=120)
        self.start_tour(url, "sales_dept_trainee_tour", login=self.head.login)
        today = fields.Date.context_today(self.head.with_context(tz=self.head.tz))
        self.assertRecordValues(
            self.trainee,
            [{"is_trainee": True, "mentor_id": self.mentor.id, "adaptation_started_on": today}],
        )
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "hr.employee"), ("res_id", "=", self.trainee.id)],
            order="date_deadline, id",
        )
        # the plan's steps: 3, 5, 7 and 14 days from today
        self.assertEqual(
            [(a.user_id, a.date_deadline) for a in activities],
            [
                (self.hunter, today + timedelta(days=3)),
                (self.hunter, today + timedelta(days=5)),
                (self.closer, today + timedelta(days=7)),
                (self.head, today + timedelta(days=14)),
            ],
        )
