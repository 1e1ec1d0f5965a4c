from datetime import datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged, users

from .bonus_common import OCTOBER, BonusCommon


@tagged("post_install", "-at_install")
class TestBonusPayoutFlag(BonusCommon):
    """A payout above the company's share of target pay (300% by default) is
    flagged on the sheet, and confirming it needs a reason, logged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a record month for the closer: 85,000 + 40,000 + 100,000 = 225,000 won
        cls._lead(cls.user_closer, 100000, closed=datetime(2026, 10, 27, 12), won=True)

    def test_extreme_payout_is_flagged(self):
        sheet = self.compute_month(OCTOBER)
        closer = self.line_of(sheet, self.employee_closer)
        # Tomasz: 10,000 at 30/10/60. 225,000 / 100,000 = 225% -> 100 + 3 x 125 = 475%
        # of the bonus target 6,000 = 28,500; 3,000 + 1,000 + 28,500 = 32,500 = 325% of
        # the target pay, above 300%
        self.assertRecordValues(
            closer,
            [
                {
                    "bonus_payout": 475.0,
                    "total_amount": 32500.0,
                    "payout_share": 325.0,
                    "payout_flagged": True,
                }
            ],
        )
        # the hunter's 5,990 is 99.83% of 6,000: not flagged
        self.assertFalse(self.line_of(sheet, self.employee_hunter).payout_flagged)
        self.assertEqual(sheet.flagged_line_count, 1)
        # the company raises its limit to 350%: the recomputed line is no longer flagged
        self.company.sales_payout_flag_percent = 350.0
        sheet.action_compute()
        self.assertFalse(closer.payout_flagged)
        self.assertEqual(sheet.flagged_line_count, 0)

    def test_limit_below_the_target_pay_is_refused(self):
        with self.assertRaisesRegex(ValidationError, r"at least 100% \(got 90.0%\)"):
            self.company.sales_payout_flag_percent = 90.0

    @users("sdo_head")
    def test_confirming_needs_a_reason_which_is_logged(self):
        sheet = self.compute_month(OCTOBER).with_user(self.env.user)
        # the button opens the wizard instead of confirming
        action = sheet.action_confirm()
        self.assertEqual(action["res_model"], "sales.bonus.sheet.confirm")
        self.assertEqual(sheet.state, "computed")
        # writing the state directly is refused, naming the sheet
        with self.assertRaisesRegex(UserError, "Confirming them needs a reason"):
            sheet.write({"state": "confirmed"})
        Wizard = self.env["sales.bonus.sheet.confirm"].with_context(**action["context"])
        wizard = Wizard.create({"reason": "  "})
        self.assertEqual(wizard.line_ids, self.line_of(sheet, self.employee_closer))
        with self.assertRaisesRegex(UserError, "needs a reason"):
            wizard.action_confirm()
        self.assertEqual(sheet.state, "computed")
        Wizard.create({"reason": "Record tender in Gdańsk, checked"}).action_confirm()
        self.assertEqual(sheet.state, "confirmed")
        self.assertEqual(
            sheet.message_ids[0].body,
            "<p>Confirmed with 1 line(s) paying more than 300% of the target pay: "
            "Record tender in Gdańsk, checked</p>",
        )
        self.assertEqual(sheet.message_ids[0].author_id, self.user_head.partner_id)

    def test_sheet_without_extreme_payouts_confirms_at_once(self):
        self.company.sales_payout_flag_percent = 400.0
        sheet = self.compute_month(OCTOBER)
        self.assertTrue(sheet.action_confirm())
        self.assertEqual(sheet.state, "confirmed")
