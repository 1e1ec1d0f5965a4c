from odoo.tests import tagged

from .bonus_common import DECEMBER, OCTOBER, BonusCommon

NO_DISCIPLINE = "Discipline score 100% until counts are recorded"


@tagged("post_install", "-at_install")
class TestBonusEmptySets(BonusCommon):
    """A month with no plan, no scheme or nobody to pay computes to lines
    with notes (or no line and a note), never to a database error."""

    def test_month_without_plans(self):
        # no plan covers December: fixed and soft only, each line says which plans
        # are missing and the sheet why nobody earns a bonus
        sheet = self.compute_month(DECEMBER)
        self.assertEqual(
            sheet.note,
            f"No KPI plan covers this month for {self.company.name}: nobody earns a bonus.\n"
            "The daily discipline counts of this month are not recorded yet: the soft part "
            "is paid in full (score 100% until counts are recorded).",
        )
        hunter = self.line_of(sheet, self.employee_hunter)
        # 6,000 at 30/10/60: 1,800 + 600 + 0
        self.assertRecordValues(
            hunter,
            [
                {
                    "bonus_payout": 0.0,
                    "bonus_amount": 0.0,
                    "total_amount": 2400.0,
                    "note": f"No plan for: Leads qualified, Meetings held; {NO_DISCIPLINE}",
                }
            ],
        )
        self.assertEqual(hunter.metric_line_ids.mapped("plan"), [0.0, 0.0])
        # hunter 2,400 + closer 3,000 + 1,000 + farmer 2,400 + 800
        # + head and director 3,600 + 1,200 each
        self.assertEqual(sheet.total_amount, 2400.0 + 4000.0 + 3200.0 + 4800.0 + 4800.0)

    def test_month_without_schemes(self):
        self.env["sales.bonus.scheme"].search([]).active = False
        sheet = self.compute_month(OCTOBER)
        self.assertEqual(len(sheet.line_ids), 5)
        self.assertEqual(
            set(sheet.line_ids.mapped("note")), {"No bonus scheme for this role or person."}
        )
        self.assertEqual(sheet.total_amount, 0.0)
        self.assertIn(
            f"Nobody in {self.company.name} has a bonus scheme: create the default schemes",
            sheet.note,
        )
        # archived schemes are kept as they are; deleted, the public action brings the
        # shipped ones back
        self.company.action_sales_create_default_schemes()
        self.assertFalse(self.env["sales.bonus.scheme"].search([]))
        self.env["sales.bonus.scheme"].with_context(active_test=False).search([]).unlink()
        self.company.action_sales_create_default_schemes()
        sheet.action_compute()
        # the hunter as in October: 1,800 + 600 + 3,240 (90% of 3,600)
        self.assertEqual(self.line_of(sheet, self.employee_hunter).total_amount, 5640.0)

    def test_month_without_people(self):
        company = self.env["res.company"].create({"name": "Nobody Sp. z o.o."})
        self.env.user.company_ids |= company
        sheet = self.compute_month(OCTOBER, company)
        self.assertEqual(sheet.state, "computed")
        self.assertFalse(sheet.line_ids)
        self.assertEqual(sheet.total_amount, 0.0)
        self.assertEqual(
            sheet.note,
            "Nobody in Nobody Sp. z o.o. has a sales role: there is nobody to pay this month.",
        )
