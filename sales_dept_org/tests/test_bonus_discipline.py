from datetime import date, timedelta

from odoo.tests import tagged

from .bonus_common import OCTOBER, BonusCommon


@tagged("post_install", "-at_install")
class TestBonusDiscipline(BonusCommon):
    """The soft part reads the daily discipline counts of the stage rules."""

    def _november_row(self):
        """A bad November day of the hunter: it must never count in October."""
        self.env["sales.discipline.daily"].create(
            {
                "date": date(2026, 11, 2),
                "user_id": self.user_hunter.id,
                "company_id": self.company.id,
                "overdue_tasks": 50,
            }
        )

    def test_soft_part_paid_by_the_discipline_score(self):
        days = [OCTOBER + timedelta(days=offset) for offset in range(20)]  # 1 to 20 October
        # the hunter's faults, spread over the days; everyone else clean
        faults = {
            date(2026, 10, 2): {"leads_without_task": 3, "overdue_tasks": 1},
            date(2026, 10, 3): {"leads_without_task": 3, "overdue_tasks": 3},
            date(2026, 10, 9): {"missing_data": 2, "stage_overrides": 1},
        }
        rows = []
        for day in days:
            for user in (self.user_hunter, self.user_closer):
                counts = faults.get(day, {}) if user == self.user_hunter else {}
                rows.append(
                    {"date": day, "user_id": user.id, "company_id": self.company.id, **counts}
                )
        self.env["sales.discipline.daily"].create(rows)
        # a row of November does not count in October
        self._november_row()
        sheet = self.compute_month(OCTOBER)
        # hunter: 6 lead-days without a task, 4 overdue, 2 missing data, 1 override over
        # 20 counted days: (5 x 6 + 5 x 4 + 5 x 2 + 10 x 1) / 20 = 70 / 20 = 3.5 points
        # -> score 96.5%; soft target 600 (10% of 6,000) -> 579.00
        self.assertRecordValues(
            self.line_of(sheet, self.employee_hunter),
            [
                {
                    "discipline_score": 96.5,
                    "soft_amount": 579.0,
                    # fixed 1,800 (30%) + soft 579 + bonus 3,240 (90% of 3,600)
                    "total_amount": 1800.0 + 579.0 + 3240.0,
                    # days were counted: no note on the line
                    "note": False,
                }
            ],
        )
        # the closer was counted every day and never at fault: full soft part
        self.assertRecordValues(
            self.line_of(sheet, self.employee_closer),
            [
                {
                    "discipline_score": 100.0,
                    "soft_amount": 1000.0,
                }
            ],
        )
        self.assertFalse(sheet.note)

    def test_without_recorded_days_the_score_is_100_and_says_so(self):
        # nothing recorded in October (a November row does not count): every line
        # with a scheme pays its soft part in full and tells why, and so does the sheet
        self._november_row()
        sheet = self.compute_month(OCTOBER)
        hunter = self.line_of(sheet, self.employee_hunter)
        # soft target 600 (10% of 6,000) x 100% = 600
        self.assertRecordValues(
            hunter,
            [
                {
                    "discipline_score": 100.0,
                    "soft_amount": 600.0,
                    "note": "Discipline score 100% until counts are recorded",
                }
            ],
        )
        self.assertIn("score 100% until counts are recorded", sheet.note)
        # recorded from the 20th: the month has a counted day, the note goes away
        self.env["sales.discipline.daily"].create(
            {
                "date": date(2026, 10, 20),
                "user_id": self.user_closer.id,
                "company_id": self.company.id,
            }
        )
        sheet = self.compute_month(OCTOBER)
        self.assertFalse(self.line_of(sheet, self.employee_hunter).note)
        self.assertFalse(sheet.note)
