"""Same-day money: an instant bonus goes draft -> approved (a head of the
employee's team or the director) -> paid (the accountant, on the company's
day). The month's sheet pays an approved bonus, shows a paid one as paid
already and leaves it out of the amount to pay; the accountant's daily file
lists what was approved that day."""

import importlib.util
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .bonus_common import OCTOBER, BonusCommon

MIGRATION = (
    Path(__file__).resolve().parent.parent
    / "migrations"
    / "18.0.1.0.7"
    / "post-instant_bonus_states.py"
)


@tagged("post_install", "-at_install")
class TestInstantBonusFlow(BonusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Europe/Warsaw"
        cls.Instant = cls.env["sales.bonus.instant"]

    def grant(self, employee, day, amount, reason="Good day", user=None):
        """A bonus granted by ``user`` (the head by default), as an integrator
        calls: the user's own rights, no company in the context."""
        Instant = self.env(user=user or self.user_head, context={})["sales.bonus.instant"]
        return Instant.create(
            {"employee_id": employee.id, "date": day, "amount": amount, "reason": reason}
        )

    def as_user(self, bonuses, user):
        return bonuses.with_env(self.env(user=user, context={}))

    def test_paid_bonus_is_on_the_sheet_as_paid_and_not_paid_twice(self):
        """Jan Hunter's October: fixed 1,800 + soft 600 + bonus 3,240 = 5,640
        (see test_bonus_sheet). Instant bonuses: 300 approved and paid on the
        10th, 100 approved on the 15th and not paid yet, 50 still a draft.
        The month pays 300 + 100 = 400: total 6,040, of which 300 paid
        already, so 5,740 to pay."""
        with freeze_time(datetime(2026, 10, 10, 9)):
            paid = self.grant(self.employee_hunter, date(2026, 10, 10), 300.0)
            self.as_user(paid, self.user_head).action_approve()
            self.as_user(paid, self.user_accountant).action_mark_paid()
        with freeze_time(datetime(2026, 10, 15, 9)):
            approved = self.grant(self.employee_hunter, date(2026, 10, 15), 100.0)
            self.as_user(approved, self.user_director).action_approve()
            self.grant(self.employee_hunter, date(2026, 10, 15), 50.0)
        self.assertRecordValues(
            paid,
            [
                {
                    "state": "paid",
                    "approved_by_id": self.user_head.id,
                    "approved_date": date(2026, 10, 10),
                    "paid_by_id": self.user_accountant.id,
                    "paid_date": date(2026, 10, 10),
                }
            ],
        )
        sheet = self.compute_month(OCTOBER)
        self.assertRecordValues(
            self.line_of(sheet, self.employee_hunter),
            [
                {
                    "fixed_amount": 1800.0,
                    "soft_amount": 600.0,
                    "bonus_amount": 3240.0,
                    "instant_amount": 400.0,
                    "instant_paid_amount": 300.0,
                    "total_amount": 6040.0,
                    "to_pay_amount": 5740.0,
                }
            ],
        )
        others = sheet.line_ids - self.line_of(sheet, self.employee_hunter)
        self.assertEqual(sheet.to_pay_amount, sheet.total_amount - 300.0)
        self.assertEqual(sum(others.mapped("to_pay_amount")), sum(others.mapped("total_amount")))
        # computing again changes nothing; the confirmed month then refuses the payment of
        # a bonus it pays itself (no second payment by the accountant)
        sheet.action_compute()
        self.assertEqual(self.line_of(sheet, self.employee_hunter).to_pay_amount, 5740.0)
        sheet.action_confirm()
        with self.assertRaisesRegex(UserError, "is confirmed and locked"):
            self.as_user(approved, self.user_accountant).action_mark_paid()
        self.assertEqual(approved.state, "approved")

    def test_approval_and_payment_on_the_company_day(self):
        """The 1st, the 15th and the last day of a month, each approved and
        paid late in the evening in Warsaw: the day is Warsaw's, not UTC's."""
        for moment, day in (
            (datetime(2026, 10, 1, 20, 30), date(2026, 10, 1)),
            (datetime(2026, 10, 15, 21, 30), date(2026, 10, 15)),
            # 31 October 23:30 UTC is 1 November 00:30 in Warsaw (CET)
            (datetime(2026, 10, 31, 23, 30), date(2026, 11, 1)),
        ):
            with self.subTest(moment=moment), freeze_time(moment):
                bonus = self.grant(self.employee_closer, day, 120.0)
                self.as_user(bonus, self.user_head).action_approve()
                self.as_user(bonus, self.user_accountant).action_mark_paid()
                self.assertEqual((bonus.approved_date, bonus.paid_date), (day, day))

    def test_who_approves_and_who_pays(self):
        bonus = self.grant(self.employee_closer, date(2026, 11, 3), 200.0)
        # a salesperson and the accountant do not approve; the accountant does not
        # even see a draft
        with self.assertRaises(AccessError):
            self.as_user(bonus, self.user_hunter).action_approve()
        with self.assertRaises(AccessError):
            self.as_user(bonus, self.user_accountant).action_approve()
        with self.assertRaises(AccessError):
            self.as_user(bonus, self.user_accountant).action_mark_paid()
        # the head does not pay
        with self.assertRaises(AccessError):
            self.as_user(bonus, self.user_head).action_mark_paid()
        self.assertEqual(bonus.state, "draft")
        # the client cannot write the state itself
        self.as_user(bonus, self.user_head).write({"state": "paid", "amount": 250.0})
        self.assertEqual((bonus.state, bonus.amount), ("draft", 250.0))
        self.as_user(bonus, self.user_head).action_approve()
        with self.assertRaisesRegex(UserError, "Only a draft instant bonus is approved"):
            self.as_user(bonus, self.user_director).action_approve()
        # approved, it keeps its amount and stays
        with self.assertRaisesRegex(UserError, "no longer changes: Tomasz Closer, 2026-11-03"):
            self.as_user(bonus, self.user_head).write({"amount": 900.0})
        with self.assertRaisesRegex(UserError, "Only a draft instant bonus is deleted"):
            self.as_user(bonus, self.user_head).unlink()
        self.as_user(bonus, self.user_accountant).action_mark_paid()
        self.assertRecordValues(bonus, [{"state": "paid", "amount": 250.0}])
        with self.assertRaisesRegex(UserError, "Only an approved instant bonus is paid"):
            self.as_user(bonus, self.user_accountant).action_mark_paid()
        # the salesperson reads his own, paid
        self.assertEqual(self.as_user(bonus, self.user_closer).state, "paid")

    def test_a_head_approves_his_team_only_and_nobody_their_own(self):
        head_b = self._sales_user(
            "sdo_head_b", "Ewa Head B", "sales_dept_org.group_sales_dept_head"
        )
        self.env["crm.team"].create({"name": "South", "user_id": head_b.id})
        bonus = self.grant(self.employee_farmer, date(2026, 11, 4), 80.0)
        with self.assertRaises(AccessError):
            self.as_user(bonus, head_b).action_approve()
        own = self.grant(self.employee_head, date(2026, 11, 4), 90.0, user=self.user_director)
        with self.assertRaisesRegex(UserError, "Piotr Head.*own bonus"):
            self.as_user(own, self.user_head).action_approve()
        self.as_user(own, self.user_director).action_approve()
        self.assertEqual(own.state, "approved")

    def test_the_day_file_of_the_accountant(self):
        """The 15th: two bonuses approved that day (one already paid), one the
        day before, one draft, and one of another company approved the same
        day: the file of the 15th lists the first two by name, 80.50 + 120 = 200.50."""
        company_b = self.env["res.company"].create({"name": "Second Sp. z o.o."})
        company_b.resource_calendar_id.tz = "Europe/Warsaw"
        user_b = self.extra_people("hunter", 1, company=company_b)
        self.user_director.company_ids |= company_b
        self.user_accountant.company_ids |= company_b
        with freeze_time(datetime(2026, 10, 14, 9)):
            self.as_user(
                self.grant(self.employee_hunter, date(2026, 10, 14), 60.0), self.user_head
            ).action_approve()
        with freeze_time(datetime(2026, 10, 15, 9)):
            first = self.grant(self.employee_hunter, date(2026, 10, 15), 120.0, "=SUM(A1)")
            second = self.grant(self.employee_farmer, date(2026, 10, 13), 80.5, "Late approval")
            self.as_user(first + second, self.user_head).action_approve()
            self.as_user(first, self.user_accountant).action_mark_paid()
            self.grant(self.employee_closer, date(2026, 10, 15), 10.0)
            other = (
                self.Instant.with_user(self.user_director)
                .with_context(allowed_company_ids=company_b.ids)
                .create(
                    {
                        "company_id": company_b.id,
                        "employee_id": user_b.id,
                        "date": date(2026, 10, 15),
                        "amount": 999.0,
                        "reason": "Elsewhere",
                    }
                )
            )
            other.with_user(self.user_director).action_approve()
            Export = self.env["sales.bonus.instant"].with_user(self.user_accountant)
            action = Export.with_context(
                allowed_company_ids=self.company.ids
            ).action_export_approved_today()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        self.assertEqual(action["target"], "download")
        self.assertEqual(attachment.create_uid, self.user_accountant)
        # the file is its reader's: another accountant-like reader does not open it
        with self.assertRaises(AccessError):
            attachment.with_user(self.user_director).check("read")
        rows = [
            list(row)
            for row in openpyxl.load_workbook(io.BytesIO(attachment.raw)).active.iter_rows(
                values_only=True
            )
        ]
        self.assertEqual(rows[0][0], f"Instant bonuses approved on 2026-10-15, {self.company.name}")
        self.assertEqual(
            rows[2:],
            [
                [
                    "Employee",
                    "Team",
                    "Date",
                    "Amount",
                    "Reason",
                    "Granted by",
                    "Approved by",
                    "Status",
                ],
                ["Agnieszka Farmer", "North", "2026-10-13", 80.5, "Late approval",
                 "Piotr Head", "Piotr Head", "Approved"],
                ["Jan Hunter", "North", "2026-10-15", 120.0, "=SUM(A1)", "Piotr Head",
                 "Piotr Head", "Paid"],
                ["Total", None, None, 200.5, None, None, None, None],
            ],
        )  # fmt: skip
        # the head does not export, the accountant of one company does not read the other's
        with self.assertRaises(AccessError):
            self.env["sales.bonus.instant"].with_user(self.user_head).action_export_approved_today()
        self.user_accountant.company_ids -= company_b
        with self.assertRaises(AccessError):
            other.with_user(self.user_accountant).read(["amount"])

    def test_migration_approves_the_bonuses_granted_before(self):
        bonus = self.grant(self.employee_hunter, date(2026, 10, 20), 75.0)
        self.env.flush_all()
        spec = importlib.util.spec_from_file_location("instant_states", MIGRATION)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, False)  # a fresh install: nothing to do
        self.env.invalidate_all()
        self.assertEqual(bonus.state, "draft")
        script.migrate(self.env.cr, "18.0.1.0.6")
        self.env.invalidate_all()
        self.assertRecordValues(
            bonus,
            [
                {
                    "state": "approved",
                    "approved_date": date(2026, 10, 20),
                    "approved_by_id": self.user_head.id,
                }
            ],
        )

    def test_the_day_file_in_polish(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(["sales_dept_org"], ["pl_PL"])
        with freeze_time(datetime(2026, 10, 15, 9)):
            bonus = self.grant(self.employee_hunter, date(2026, 10, 15), 120.0)
            self.as_user(bonus, self.user_head).action_approve()
            action = self.env(user=self.user_accountant, context={"lang": "pl_PL"})[
                "sales.bonus.instant"
            ].action_export_approved_today()
        attachment = self.env["ir.attachment"].search([], order="id desc", limit=1)
        self.assertIn(f"/web/content/{attachment.id}?", action["url"])
        self.assertEqual(
            attachment.name,
            f"Premie natychmiastowe zatwierdzone 2026-10-15, {self.company.name}.xlsx",
        )
        rows = list(
            openpyxl.load_workbook(io.BytesIO(attachment.raw)).active.iter_rows(values_only=True)
        )
        self.assertEqual(rows[2][:4], ("Pracownik", "Zespół", "Data", "Kwota"))
        self.assertEqual(rows[2][6:], ("Zatwierdził(a)", "Status"))
        self.assertEqual(rows[3][7], "Zatwierdzona")
        self.assertEqual(rows[4][0], "Razem")
