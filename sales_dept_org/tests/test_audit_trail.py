"""Who changed the rules of pay and work, and when: in the chatter.

A scheme (its fields, metrics and tiers), a KPI plan (its fields and
targets), a stage's rules and a bonus sheet's state are told in their
chatter, with the author and the date of each change; the reasons of a
reopening are there too, and the sheet's chatter is read by everyone who
reads the sheet.
"""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .bonus_common import OCTOBER, BonusCommon


@tagged("post_install", "-at_install")
class TestAuditTrail(BonusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_admin = cls.env.ref("base.user_admin")

    def _last_message(self, record):
        record.env.flush_all()
        record.env.cr.flush()  # tracking and line changes are posted at the commit
        return record.message_ids.sorted("id")[-1]

    def _tracked(self, message):
        """{(field, old, new)} as the chatter shows them."""
        return {
            (value["fieldName"], value["oldValue"]["value"], value["newValue"]["value"])
            for value in message.sudo().tracking_value_ids._tracking_value_format()
        }

    def test_scheme_fields_metrics_and_tiers(self):
        scheme = self.scheme_closer.with_user(self.user_director)
        scheme.target_pay = 12000.0
        message = self._last_message(scheme)
        self.assertEqual(message.author_id, self.user_director.partner_id)
        self.assertIn(("target_pay", 10000.0, 12000.0), self._tracked(message))
        scheme.tier_ids.filtered(lambda tier: tier.sequence == 2).rate = 2.0
        message = self._last_message(scheme)
        self.assertEqual(message.author_id, self.user_director.partner_id)
        self.assertIn("Tier from 100.0 %: Then per attainment point (%) 3.0 → 2.0", message.body)
        scheme.write(
            {
                "metric_ids": [
                    (1, scheme.metric_ids.id, {"weight": 60.0}),
                    (0, 0, {"metric_id": self.metric("calls_made").id, "weight": 40.0}),
                ]
            }
        )
        body = self._last_message(scheme).body
        self.assertIn("Revenue won: Weight (%) 100.0 → 60.0", body)
        self.assertIn("Calls made: added", body)

    def test_plan_fields_and_targets(self):
        plan = self.october_plan.with_user(self.user_director)
        target = plan.line_ids.filtered(lambda line: line.user_id == self.user_closer)
        target.target = 90000.0
        message = self._last_message(plan)
        self.assertEqual(message.author_id, self.user_director.partner_id)
        self.assertIn("Revenue won, Tomasz Closer: Target 100000.0 → 90000.0", message.body)
        target.unlink()
        self.assertIn("Revenue won, Tomasz Closer: removed", self._last_message(plan).body)
        plan.name = "October, revised"
        self.assertIn(
            ("name", "Plan 2026-10", "October, revised"), self._tracked(self._last_message(plan))
        )

    def test_the_targets_are_told_only_to_who_may_change_the_plan(self):
        """A member reads the plan and their own target, not the chatter that
        tells everyone's targets; who may change the plan reads it."""
        plan = self.october_plan.with_user(self.user_director)
        plan.line_ids.filtered(lambda line: line.user_id == self.user_closer).target = 90000.0
        told = self._last_message(plan)
        self.assertIn("Tomasz Closer: Target 100000.0 → 90000.0", told.body)
        self.env.invalidate_all()
        for user, reads in (
            (self.user_hunter, False),
            (self.user_head, False),  # a department plan: the director's to change
            (self.user_director, True),
        ):
            with self.subTest(user=user.name):
                Message = self.env["mail.message"].with_user(user)
                listed = Message.search([("model", "=", plan._name), ("res_id", "=", plan.id)])
                self.assertEqual(told in listed, reads)
                self.assertEqual(told in plan.with_user(user).message_ids, reads)
                if not reads:
                    with self.assertRaises(AccessError):
                        told.with_user(user).read(["body"])
                    self.assertEqual(plan.with_user(user).read(["name"])[0]["name"], "Plan 2026-10")
        own = plan.line_ids.with_user(self.user_hunter).search([("plan_id", "=", plan.id)])
        self.assertEqual(own.user_id, self.user_hunter)

    def test_stage_rules(self):
        stage = self.env["crm.stage"].create({"name": "Proposal"})
        self.env.cr.flush()  # created in a transaction of its own
        stage = stage.with_user(self.user_admin)
        phone = self.env["ir.model.fields"]._get("crm.lead", "phone")
        stage.write(
            {
                "sales_max_days": 10,
                "sales_allow_back": False,
                "sales_required_field_ids": [(4, phone.id)],
            }
        )
        message = self._last_message(stage)
        self.assertEqual(message.author_id, self.user_admin.partner_id)
        tracked = self._tracked(message)
        self.assertIn(("sales_max_days", 0, 10), tracked)
        self.assertIn(("sales_allow_back", True, False), tracked)
        self.assertIn("sales_required_field_ids", {name for name, _old, _new in tracked})

    def test_sheet_state_and_reopen_reason_for_every_reader(self):
        sheet = self.Sheet._get_or_create_month(self.company, OCTOBER)
        sheet.action_compute()
        self.env.cr.flush()  # computed by the daily job, in a transaction of its own
        sheet.with_user(self.user_head).action_confirm()
        confirmed = self._last_message(sheet)
        self.assertEqual(confirmed.author_id, self.user_head.partner_id)
        self.assertIn(("state", "Computed", "Confirmed"), self._tracked(confirmed))
        self.env["sales.bonus.sheet.reopen"].with_user(self.user_head).create(
            {"sheet_id": sheet.id, "reason": "A deal was booked twice"}
        ).action_reopen()
        sheet.action_compute()
        sheet.action_confirm()
        for user in (self.user_head, self.user_director, self.user_accountant):
            with self.subTest(user=user.name):
                bodies = (
                    self.env["mail.message"]
                    .with_user(user)
                    .search([("model", "=", sheet._name), ("res_id", "=", sheet.id)])
                    .mapped("body")
                )
                self.assertTrue(any("A deal was booked twice" in body for body in bodies))
