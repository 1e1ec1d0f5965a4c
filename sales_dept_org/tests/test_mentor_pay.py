"""A mentor's line on the month's sheet: a share of each trainee's target
bonus, tied to the trainee's overall attainment of the month."""

from datetime import datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .bonus_common import NOVEMBER, BonusCommon


@tagged("post_install", "-at_install")
class TestMentorPay(BonusCommon):
    """November 2026: Jan (hunter) and Agnieszka (farmer) are trainees of
    Tomasz (closer). Their only plan of the month is revenue won, 100,000
    each; Jan wins 80,000 (80%), Agnieszka 120,000 (120%). The company's
    mentor share is the shipped 10%."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.employee_hunter | cls.employee_farmer).write(
            {"is_trainee": True, "mentor_id": cls.employee_closer.id}
        )
        cls._month_plan(
            NOVEMBER,
            [(cls.user_hunter, "revenue_won", 100000), (cls.user_farmer, "revenue_won", 100000)],
        )
        cls._lead(cls.user_hunter, 80000, closed=datetime(2026, 11, 10, 12), won=True)
        cls._lead(cls.user_farmer, 120000, closed=datetime(2026, 11, 12, 12), won=True)

    def mentor_lines(self, sheet):
        return sheet.line_ids.filtered(lambda line: line.line_type == "mentor").sorted(
            lambda line: line.trainee_id.name
        )

    def test_two_trainees_at_80_and_120_percent(self):
        self.assertEqual(self.company.sales_mentor_share, 10.0)
        sheet = self.compute_month(NOVEMBER)
        # Agnieszka (farmer, 8,000 at 30/10/60): target bonus 4,800; 10% is 480 at
        # plan; at 120%: 576.00. Jan (hunter, 6,000): target bonus 3,600; 10% is 360;
        # at 80%: 288.00. Both lines are Tomasz's, on his team North.
        self.assertRecordValues(
            self.mentor_lines(sheet),
            [
                {
                    "employee_id": self.employee_closer.id,
                    "trainee_id": self.employee_farmer.id,
                    "team_id": self.team_north.id,
                    "bonus_target": 480.0,
                    "bonus_payout": 120.0,
                    "bonus_amount": 576.0,
                    "total_amount": 576.0,
                    "fixed_amount": 0.0,
                    "note": "Mentor of Agnieszka Farmer: 10% of the target bonus "
                    "$\xa04,800.00 at 120% attainment",
                },
                {
                    "employee_id": self.employee_closer.id,
                    "trainee_id": self.employee_hunter.id,
                    "team_id": self.team_north.id,
                    "bonus_target": 360.0,
                    "bonus_payout": 80.0,
                    "bonus_amount": 288.0,
                    "total_amount": 288.0,
                    "fixed_amount": 0.0,
                    "note": "Mentor of Jan Hunter: 10% of the target bonus "
                    "$\xa03,600.00 at 80% attainment",
                },
            ],
        )
        # the mentor's own pay line is apart and unchanged by mentoring
        self.assertEqual(len(self.line_of(sheet, self.employee_closer)), 1)
        # the sheet's total (stored, summed from its lines) counts the 864.00 of mentoring
        pay_lines = sheet.line_ids.filtered(lambda line: line.line_type == "pay")
        self.assertAlmostEqual(
            sheet.total_amount, sum(pay_lines.mapped("total_amount")) + 864.0, places=2
        )

    def test_share_changed_and_computed_again_keeps_the_records(self):
        sheet = self.compute_month(NOVEMBER)
        before = self.mentor_lines(sheet)
        self.company.sales_mentor_share = 5.0
        sheet.action_compute()
        after = self.mentor_lines(sheet)
        self.assertEqual(after, before)
        # 5%: 3,600 x 5% x 80% = 144.00; 4,800 x 5% x 120% = 288.00
        self.assertEqual(after.mapped("bonus_amount"), [288.0, 144.0])

    def test_share_zero_pays_no_mentor(self):
        self.company.sales_mentor_share = 0.0
        self.assertFalse(self.mentor_lines(self.compute_month(NOVEMBER)))

    def test_unmarked_trainee_leaves_the_sheet(self):
        sheet = self.compute_month(NOVEMBER)
        self.employee_farmer.is_trainee = False
        sheet.action_compute()
        self.assertEqual(self.mentor_lines(sheet).trainee_id, self.employee_hunter)

    def test_trainee_without_a_plan_pays_nothing_with_a_note(self):
        newcomer = self.extra_people("hunter", 1)
        self.team_north.member_ids |= newcomer.user_id
        newcomer.write({"is_trainee": True, "mentor_id": self.employee_closer.id})
        sheet = self.compute_month(NOVEMBER)
        line = self.mentor_lines(sheet).filtered(lambda line: line.trainee_id == newcomer)
        self.assertRecordValues(
            line,
            [
                {
                    "employee_id": self.employee_closer.id,
                    "bonus_target": 360.0,
                    "bonus_amount": 0.0,
                    "total_amount": 0.0,
                    "note": "Mentor of Extra hunter 0: the trainee has no plan this month, "
                    "nothing is paid.",
                }
            ],
        )

    def test_locked_sheet_stays_untouched(self):
        sheet = self.compute_month(NOVEMBER)
        sheet.action_confirm()
        self.company.sales_mentor_share = 50.0
        with self.assertRaises(UserError):
            sheet.action_compute()
        self.assertEqual(self.mentor_lines(sheet).mapped("bonus_amount"), [576.0, 288.0])

    def test_export_shows_the_mentor_line(self):
        sheet = self.compute_month(NOVEMBER)
        lines = self.mentor_lines(sheet)
        rows = self.env["sales.bonus.sheet.xlsx"]._person_rows(lines, {})
        self.assertEqual(
            [(row["employee"], row["role"], row["bonus"], row["total"]) for row in rows],
            [("Tomasz Closer", "Mentor", 576.0, 576.0), ("Tomasz Closer", "Mentor", 288.0, 288.0)],
        )
        self.assertEqual(rows[1]["note"], lines[1].note)

    def test_share_out_of_range_is_refused(self):
        for share in (-1.0, 100.5):
            with self.subTest(share=share), self.assertRaises(ValidationError) as caught:
                self.company.sales_mentor_share = share
            self.assertIn("the mentor share lies between 0% and 100%", str(caught.exception))
        self.company.invalidate_recordset()
        self.assertEqual(self.company.sales_mentor_share, 10.0)
