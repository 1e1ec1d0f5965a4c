"""A lead past its stage's limit is stuck at once, not at the next nightly
run: when the limit is set (as on install), when the lead comes in with its
history (an import) and when it is restored."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.addons.sales_dept_org.tests.stage_common import SalesStageCommon

NOW = datetime(2026, 3, 20, 6, 0)


class TestStuckAtOnce(SalesStageCommon):
    def _alerted(self, leads):
        """The leads of ``leads`` whose head was told they are stuck."""
        alerts = self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("sales_dept_org.mail_activity_type_stuck_lead").id,
                ),
                ("user_id", "=", self.user_head.id),
            ]
        )
        return leads.browse(alerts.mapped("res_id")).sorted("id")

    def test_limit_set_flags_the_stage_at_once(self):
        """Install writes the limits on stages that already hold leads: 11
        and 9 days in Proposal are both over 8 days, only the first over 10."""
        old, recent = self._north_leads(2, self.stage_proposal, partner_id=self.customer.id)
        old.date_last_stage_update = NOW - timedelta(days=11)
        recent.date_last_stage_update = NOW - timedelta(days=9)
        with freeze_time(NOW):
            self.stage_proposal.sales_max_days = 8
            self.assertEqual((old.is_stuck, recent.is_stuck), (True, True))
            self.assertEqual(self._alerted(old + recent), old + recent)
            self.stage_proposal.sales_max_days = 10
            self.assertEqual((old.is_stuck, recent.is_stuck), (True, False))

    def test_lead_imported_with_its_history(self):
        with freeze_time(NOW):
            old, recent, fresh = (
                self.env["crm.lead"]
                .with_context(sales_stage_rules_off=True)
                .create(
                    [
                        dict(
                            name=name,
                            team_id=self.team_north.id,
                            user_id=self.user_hunter.id,
                            stage_id=self.stage_proposal.id,
                            partner_id=self.customer.id,
                            type="opportunity",
                            date_last_stage_update=when,
                        )
                        for name, when in (
                            ("Old", NOW - timedelta(days=11)),
                            ("Recent", NOW - timedelta(days=9)),
                            ("Fresh", NOW),
                        )
                    ]
                )
            )
        self.assertEqual([old.is_stuck, recent.is_stuck, fresh.is_stuck], [True, False, False])
        self.assertEqual(self._alerted(old + recent + fresh), old)

    def test_restored_lead(self):
        lead = self._north_leads(1, self.stage_proposal, partner_id=self.customer.id)
        lead.date_last_stage_update = NOW - timedelta(days=11)
        with freeze_time(NOW):
            lead.action_archive()
            self.assertFalse(lead.is_stuck)
            lead.action_unarchive()
        self.assertTrue(lead.is_stuck)
        self.assertEqual(self._alerted(lead), lead)
