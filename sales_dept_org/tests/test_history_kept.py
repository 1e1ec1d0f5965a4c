"""History outlives what it names: deleting a stage or a user never erases
the stage log or the discipline counts; it is refused, with a clear message
naming what to do instead, and the rows keep the names they had."""

from odoo.exceptions import UserError

from odoo.addons.sales_dept_org.tests.stage_common import SalesStageCommon


class TestHistoryKept(SalesStageCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # one lead passed through N-New and sits in N-Proposal: both stages have history
        cls.lead = cls._north_leads(1, cls.stage_new, partner_id=cls.customer.id)
        cls.lead.with_context(sales_stage_override_reason="Framework deal").write(
            {"stage_id": cls.stage_proposal.id}
        )
        cls.Log = cls.env["sales.lead.stage.log"]
        cls.env["sales.discipline.daily"]._sales_refresh()

    def test_a_stage_with_history_is_not_deleted(self):
        """N-New holds no lead any more (crm would let it go), but two log
        rows name it: the row of its stay and the row that left it."""
        rows = self.Log.search(
            ["|", ("stage_id", "=", self.stage_new.id), ("stage_from_id", "=", self.stage_new.id)]
        )
        self.assertEqual(len(rows), 2)
        with self.assertRaisesRegex(UserError, r"N-New.*lead stage history.*fold it instead"):
            self.stage_new.unlink()
        self.assertEqual(rows.exists(), rows)
        self.assertEqual(
            {(row.stage_from_id.name, row.stage_id.name) for row in rows},
            {(False, "N-New"), ("N-New", "N-Proposal")},
        )

    def test_a_stage_without_history_is_deleted(self):
        self.assertFalse(self.Log.search_count([("stage_id", "=", self.stage_negotiation.id)]))
        self.stage_negotiation.unlink()
        self.assertFalse(self.stage_negotiation.exists())

    def test_a_user_with_history_is_archived_not_deleted(self):
        hunter = self.user_hunter
        counts = self.env["sales.discipline.daily"].search([("user_id", "=", hunter.id)])
        self.assertTrue(counts)
        with self.assertRaisesRegex(UserError, r"Jan Hunter.*sales history.*archive"):
            hunter.unlink()
        self.assertEqual(counts.exists(), counts)
        hunter.action_archive()
        self.assertEqual(counts.user_id.name, "Jan Hunter")
        self.assertEqual(set(self.lead.sales_stage_log_ids.user_id.mapped("name")), {"Jan Hunter"})

    def test_a_user_without_history_is_deleted(self):
        newcomer = self.env["res.users"].create({"name": "Newcomer", "login": "sdo_newcomer"})
        newcomer.unlink()
        self.assertFalse(newcomer.exists())
