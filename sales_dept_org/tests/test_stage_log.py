from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.sql_db import Cursor
from odoo.tests import users

from odoo.addons.sales_dept_org.hooks import _start_stage_log
from odoo.addons.sales_dept_org.tests.stage_common import SalesStageCommon

T0 = datetime(2026, 3, 2, 9, 0)  # created in new
T1 = datetime(2026, 3, 3, 9, 0)  # → qualified (1 day in new)
T2 = datetime(2026, 3, 5, 21, 0)  # → new, back (2.5 days in qualified)
T3 = datetime(2026, 3, 6, 9, 0)  # → qualified again (0.5 day in new)
T4 = datetime(2026, 3, 8, 9, 0)  # lost (2 days in qualified)
T5 = datetime(2026, 3, 10, 9, 0)  # restored, back in qualified
T6 = datetime(2026, 3, 11, 9, 0)  # now


class TestStageLog(SalesStageCommon):
    def _rows(self, lead):
        return [
            (row.stage_from_id, row.stage_id, row.date_in, row.date_out, row.user_id)
            for row in lead.sales_stage_log_ids.sorted(lambda row: (row.date_in, row.id))
        ]

    def test_rows_over_a_sequence_of_moves(self):
        new, qualified = self.stage_new, self.stage_qualified
        with freeze_time(T0):
            lead = self._north_leads(1, new, phone="+48 1", expected_revenue=100)
        with freeze_time(T1):
            lead.write({"stage_id": qualified.id})
        with freeze_time(T2):
            lead.write({"stage_id": new.id})
        with freeze_time(T3):
            lead.write({"stage_id": qualified.id})
        with freeze_time(T4):
            lead.action_set_lost()
        with freeze_time(T5):
            lead.action_unarchive()
        hunter, empty = self.user_hunter, self.env["crm.stage"]
        self.assertEqual(
            self._rows(lead),
            [
                (empty, new, T0, T1, hunter),
                (new, qualified, T1, T2, hunter),
                (qualified, new, T2, T3, hunter),
                (new, qualified, T3, T4, hunter),
                (qualified, qualified, T5, False, hunter),
            ],
        )
        # days per stage: new 1 + 0.5; qualified 2.5 + 2 + (T6 - T5 = 1, still open)
        rows = lead.sales_stage_log_ids.sorted("date_in")
        self.assertEqual(rows.mapped("duration_days"), [1.0, 2.5, 0.5, 2.0, 0.0])
        spent = self.env["sales.lead.stage.log"]._time_in_stage(lead.ids, at=T6)
        self.assertAlmostEqual(spent[(lead.id, new.id)], 1.5)
        self.assertAlmostEqual(spent[(lead.id, qualified.id)], 5.5)
        self.assertEqual(lead.sales_stage_log_ids.mapped("sales_role"), ["hunter"] * 5)

    def test_open_row_follows_the_owner(self):
        lead = self._north_leads(1, self.stage_new)
        lead.user_id = self.user_closer
        row = lead.sales_stage_log_ids
        self.assertEqual((row.user_id, row.sales_role), (self.user_closer, "closer"))

    def test_owner_written_lead_by_lead(self):
        """Odoo's lead assignment writes its leads one at a time: the rows of
        every lead are read in one query, and only the open rows follow."""
        with freeze_time(T0):
            leads = self._north_leads(6, self.stage_new, phone="+48 1", expected_revenue=100)
        with freeze_time(T1):
            leads[0].write({"stage_id": self.stage_qualified.id})
        self.env.flush_all()
        self.env.invalidate_all()
        leads = leads.browse(leads.ids)
        reads = []
        execute = Cursor.execute

        def counting_execute(cursor, query, *args, **kwargs):
            if getattr(query, "code", query).startswith('SELECT "sales_lead_stage_log"'):
                reads.append(query)
            return execute(cursor, query, *args, **kwargs)

        with patch.object(Cursor, "execute", counting_execute):
            for lead in leads:
                lead.user_id = self.user_closer
            self.env.flush_all()
        self.assertEqual(len(reads), 2, "the rows' ids, then their fields: once for six leads")
        closed, open_row = leads[0].sales_stage_log_ids.sorted("date_in")
        self.assertEqual((closed.user_id, open_row.user_id), (self.user_hunter, self.user_closer))
        self.assertEqual(leads[1:].sales_stage_log_ids.user_id, self.user_closer)

    def test_starting_rows_for_leads_existing_before_install(self):
        with freeze_time(T0):
            leads = self._north_leads(2, self.stage_qualified)
            leads.date_last_stage_update = T0  # core stamps it with the real clock
        with freeze_time(T1):
            leads[1].action_set_lost()
        leads.sales_stage_log_ids.unlink()  # as before the module was installed
        _start_stage_log(self.env)
        self.env.invalidate_all()
        open_row, lost_row = leads[0].sales_stage_log_ids, leads[1].sales_stage_log_ids
        self.assertEqual(
            (open_row.stage_id, open_row.stage_from_id, open_row.date_in, open_row.date_out),
            (self.stage_qualified, self.env["crm.stage"], T0, False),
        )
        self.assertEqual((lost_row.date_in, lost_row.date_out, lost_row.duration_days), (T0, T1, 1))
        _start_stage_log(self.env)
        self.assertEqual(len(leads.sales_stage_log_ids), 2, "a second run adds nothing")

    def test_query_count_does_not_grow_with_leads(self):
        """Moving 3 or 30 leads costs the same queries (tracking off: core's own
        tracking messages are one per lead)."""
        small = self._north_leads(3, self.stage_new, phone="+48 1", expected_revenue=5)
        large = self._north_leads(30, self.stage_new, phone="+48 1", expected_revenue=5)
        self.env.flush_all()
        for leads in (small, large):
            leads.invalidate_recordset()
            with self.assertQueryCount(__system__=23):
                leads.with_context(tracking_disable=True).write(
                    {"stage_id": self.stage_qualified.id}
                )
                leads.flush_recordset()
        self.assertEqual(
            self.env["sales.lead.stage.log"].search_count(
                [("lead_id", "in", (small + large).ids), ("stage_id", "=", self.stage_qualified.id)]
            ),
            33,
        )

    # ------------------------------------------------------------------
    # access and companies
    # ------------------------------------------------------------------
    @users("sdo_hunter")
    def test_salesperson_reads_own_rows_only(self):
        own = self._north_leads(1, self.stage_new)
        other = self._north_leads(1, self.stage_new, user_id=self.user_closer.id)
        Log = self.env["sales.lead.stage.log"]
        visible = Log.search([("lead_id", "in", (own + other).ids)])
        self.assertEqual(visible.lead_id, own)
        with self.assertRaises(AccessError):
            visible.write({"override_reason": "x"})
        with self.assertRaises(AccessError):
            Log.create({"lead_id": own.id, "stage_id": self.stage_new.id, "date_in": T0})

    def test_multi_company(self):
        self._activate_multi_company()
        lead_2 = (
            self.env["crm.lead"]
            .with_company(self.company_2)
            .create({"name": "Firma 2", "type": "opportunity", "company_id": self.company_2.id})
        )
        row = lead_2.sales_stage_log_ids
        self.assertEqual(row.company_id, self.company_2)
        # a director of the main company only does not see company 2's rows
        self.assertNotIn(self.company_2, self.user_director.company_ids)
        visible = (
            self.env["sales.lead.stage.log"]
            .with_user(self.user_director)
            .search([("id", "=", row.id)])
        )
        self.assertFalse(visible)
