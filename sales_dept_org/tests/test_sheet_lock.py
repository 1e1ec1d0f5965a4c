"""A confirmed bonus sheet answers every change the same way, whoever asks.

October of BonusCommon, computed and confirmed. Every change of the sheet,
its lines, their metrics and the month's instant bonuses, tried by the head,
the director, the accountant, a salesperson and the superuser, gets one
message: the sheet's name and how to reopen it, in the user's language.
"""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .bonus_common import NOVEMBER, OCTOBER, BonusCommon


@tagged("post_install", "-at_install")
class TestLockedSheet(BonusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sheet = cls.compute_month(OCTOBER)
        cls.sheet.action_confirm()
        cls.line = cls.sheet.line_ids.filtered(lambda line: line.employee_id == cls.employee_hunter)
        cls.metric_line = cls.line.metric_line_ids[:1]
        cls.november_bonus = cls.env["sales.bonus.instant"].create(
            {
                "employee_id": cls.employee_hunter.id,
                "date": NOVEMBER,
                "amount": 70.0,
                "reason": "First call of the month",
            }
        )

    def _attempts(self, env):
        sheet = self.sheet.with_env(env)
        line = self.line.with_env(env)
        metric_line = self.metric_line.with_env(env)
        return {
            "sheet note": lambda: sheet.write({"note": "changed"}),
            "sheet month": lambda: sheet.write({"date_from": NOVEMBER}),
            "sheet back to computed": lambda: sheet.write({"state": "computed"}),
            "sheet delete": sheet.unlink,
            "compute": sheet.action_compute,
            "line write": lambda: line.write({"fixed_amount": 1.0}),
            "line delete": line.unlink,
            "line create": lambda: env["sales.bonus.line"].create(
                {
                    "sheet_id": sheet.id,
                    "employee_id": self.employee_director.id,
                    "line_type": "clawback",
                    "origin_line_id": line.id,
                }
            ),
            "metric write": lambda: metric_line.write({"fact": 1.0}),
            "metric delete": metric_line.unlink,
            "metric create": lambda: env["sales.bonus.line.metric"].create(
                {"line_id": line.id, "metric_id": self.metric("calls_made").id}
            ),
            "instant bonus in the month": lambda: env["sales.bonus.instant"].create(
                {
                    "employee_id": self.employee_closer.id,
                    "date": date(2026, 10, 20),
                    "amount": 10.0,
                    "reason": "late",
                }
            ),
            "instant bonus moved into the month": lambda: self.november_bonus.with_env(env).write(
                {"date": date(2026, 10, 3)}
            ),
        }

    def _answers(self, env):
        answers = {}
        for name, attempt in self._attempts(env).items():
            try:
                with self.cr.savepoint():
                    attempt()
                answers[name] = "changed!"
            except UserError as error:  # AccessError is a UserError: told apart below
                answers[name] = f"{type(error).__name__}: {error}"
        return answers

    def test_one_answer_for_every_change_and_every_persona(self):
        expected = (
            f"UserError: {self.sheet.name} is confirmed and locked: nothing in it can change. "
            "A head of sales can reopen it with the Reopen button on the sheet, giving a reason."
        )
        before = self.sheet.line_ids.sorted("id").read(["total_amount", "fixed_amount"])
        for user in (
            self.user_head,
            self.user_director,
            self.user_accountant,
            self.user_hunter,
            self.env.ref("base.user_root"),
        ):
            env = self.env(user=user, su=user == self.env.ref("base.user_root"))
            for name, answer in self._answers(env).items():
                with self.subTest(user=user.name, change=name):
                    self.assertEqual(answer, expected)
        self.assertEqual(self.sheet.state, "confirmed")
        self.assertEqual(
            self.sheet.line_ids.sorted("id").read(["total_amount", "fixed_amount"]), before
        )

    def test_the_answer_speaks_the_users_language(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.user_head.lang = "pl_PL"
        env = self.env(user=self.user_head, context={"lang": "pl_PL"})
        with self.assertRaises(UserError) as caught:
            self.line.with_env(env).write({"fixed_amount": 1.0})
        self.assertEqual(
            str(caught.exception),
            f"{self.sheet.name} jest zatwierdzona i zablokowana: nic w niej nie można zmienić. "
            "Kierownik sprzedaży może ją ponownie otworzyć przyciskiem „Otwórz ponownie” na "
            "liście, podając powód.",
        )

    def test_the_way_out_still_works(self):
        """The lock leaves the export and the reopening, by those allowed."""
        self.sheet.with_user(self.user_accountant).action_export_xlsx()
        self.assertEqual(self.sheet.state, "exported")
        self.env["sales.bonus.sheet.reopen"].with_user(self.user_head).create(
            {"sheet_id": self.sheet.id, "reason": "A deal was booked twice"}
        ).action_reopen()
        self.assertEqual(self.sheet.state, "draft")
        self.line.write({"fixed_amount": 1.0})
        self.assertEqual(self.line.fixed_amount, 1.0)
