from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import users

from odoo.addons.sales_dept_org.tests.stage_common import SalesStageCommon


class TestDisciplineDaily(SalesStageCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = date.today()
        # hunter: 3 open leads in new without a task; 1 in qualified without a
        # phone (its stage requires one) whose only task is a day late
        cls.hunter_bare = cls._north_leads(3, cls.stage_new)
        cls.hunter_late = cls._north_leads(1, cls.stage_qualified, expected_revenue=100)
        cls._plan_for(cls.hunter_late, today - timedelta(days=1))
        # closer: a won lead and a lost lead without tasks (closed: not counted),
        # an open lead with a task due today (not late), and an overridden move
        closer = {"user_id": cls.user_closer.id, "partner_id": cls.customer.id}
        cls.closer_won = cls._north_leads(1, cls.stage_won, **closer)
        cls.closer_lost = cls._north_leads(1, cls.stage_new, **closer)
        cls.closer_lost.action_set_lost()
        cls.closer_open = cls._north_leads(1, cls.stage_new, **closer)
        cls._plan_for(cls.closer_open, today)
        cls.closer_open.with_user(cls.user_head).with_context(
            sales_stage_override_reason="Umowa ramowa"
        ).write({"stage_id": cls.stage_proposal.id})

    @classmethod
    def _plan_for(cls, leads, deadline):
        cls.env["mail.activity"].create(
            [
                {
                    "res_model_id": cls.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": cls.env.ref("mail.mail_activity_data_call").id,
                    "user_id": lead.user_id.id,
                    "date_deadline": deadline,
                }
                for lead in leads
            ]
        )

    def _counts(self, rows, user):
        row = rows.filtered(lambda row: row.user_id == user)
        self.assertEqual(len(row), 1, "one row per person and day")
        return (row.leads_without_task, row.overdue_tasks, row.missing_data, row.stage_overrides)

    def test_counts_worked_by_hand(self):
        rows = self.env["sales.discipline.daily"]._sales_refresh()
        # hunter: 3 bare leads; 1 late task; 1 lead missing its phone; no override
        self.assertEqual(self._counts(rows, self.user_hunter), (3, 1, 0 + 1, 0))
        # closer: won and lost leads do not count; the open one has its task
        # due today; the head overrode one move of theirs
        self.assertEqual(self._counts(rows, self.user_closer), (0, 0, 0, 1))
        self.assertEqual(
            rows.filtered(lambda r: r.user_id == self.user_hunter).team_id, self.team_north
        )

    def test_overdue_counts_own_work_on_open_leads_only(self):
        """Late tasks count for the owner of an open lead only."""
        yesterday = date.today() - timedelta(days=1)
        call = self.env.ref("mail.mail_activity_data_call")
        stuck = self.env.ref("sales_dept_org.mail_activity_type_stuck_lead")
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": yesterday,
                }
                for lead, activity_type, user in (
                    # the head's stuck-lead alerts, on the closer's lead and
                    # one of the head's own: not the head's work, not counted
                    (self.closer_open, stuck, self.user_head),
                    (self.hunter_bare[0].copy({"user_id": self.user_head.id}), stuck,
                     self.user_head),
                    # a task on a won lead: closed, not counted
                    (self.closer_won, call, self.user_closer),
                    # the hunter's task left on a lead the closer owns now
                    (self.closer_open, call, self.user_hunter),
                    # the closer's own late task on their open lead: counted
                    (self.closer_open, call, self.user_closer),
                )
            ]
        )  # fmt: skip
        # hunter: the late task of the fixture (1); closer: 1; head: none
        self.assertEqual(
            self.env["sales.discipline.daily"]._sales_count_overdue(date.today()),
            {self.user_hunter.id: 1, self.user_closer.id: 1},
        )
        rows = self.env["sales.discipline.daily"]._sales_refresh()
        self.assertEqual(self._counts(rows, self.user_closer)[1], 1)

    def test_counts_without_any_required_field(self):
        """A pipeline with no entry rules (e.g. during install, before the
        default rules are set) counts nothing missing, and the rest as usual."""
        self.env["crm.stage"].search([]).sales_required_field_ids = False
        rows = self.env["sales.discipline.daily"]._sales_refresh()
        # hunter: the same 3 bare leads and 1 late task; the phone is no longer required
        self.assertEqual(self._counts(rows, self.user_hunter), (3, 1, 0, 0))

    def test_second_run_rewrites_the_same_rows(self):
        Daily = self.env["sales.discipline.daily"]
        first = Daily._sales_refresh()
        self._plan_for(self.hunter_bare[0], date.today())
        second = Daily._sales_refresh()
        self.assertEqual(second, first, "no new row on a second run")
        # one bare lead got its task: 3 - 1 = 2
        self.assertEqual(self._counts(second, self.user_hunter)[0], 2)

    @users("sdo_hunter")
    def test_salesperson_reads_own_counts_only(self):
        self.env["sales.discipline.daily"].sudo()._sales_refresh()
        visible = self.env["sales.discipline.daily"].search([])
        self.assertEqual(visible.user_id, self.user_hunter)
        with self.assertRaises(AccessError):
            visible.write({"leads_without_task": 0})

    @users("sdo_head")
    def test_head_reads_the_team(self):
        self.env["sales.discipline.daily"].sudo()._sales_refresh()
        visible = self.env["sales.discipline.daily"].search([])
        self.assertEqual(visible.user_id, self.user_hunter + self.user_closer)

    def test_each_person_counted_on_their_company_day(self):
        """At 02:00 UTC on 11 March 2026 it is 03:00 on the 11th in Warsaw and
        22:00 on the 10th in New York. Nora (New York) owns one lead without a
        task; her head let one of her moves through at 01:00 UTC on the 11th
        (21:00 on the 10th there) and one at 05:00 UTC on the 10th (00:00 on
        the 10th there: the same day). The closer's override of the 11th
        (01:30 in Warsaw) stays a Warsaw 11th."""
        self.env.company.resource_calendar_id.tz = "Europe/Warsaw"
        new_york, nora, manhattan = self._new_york("discipline_nora", sales_task_mode="off")
        lead = self.env["crm.lead"].create(
            {"name": "NY deal", "user_id": nora.id, "team_id": manhattan.id}
        )
        Log = self.env["sales.lead.stage.log"]
        Log.search([("override_reason", "!=", False)]).date_in = "2026-03-11 00:30:00"
        Log.create(
            [
                {
                    "lead_id": lead.id,
                    "company_id": new_york.id,
                    "user_id": nora.id,
                    "stage_id": self.stage_new.id,
                    "date_in": moment,
                    "override_reason": "Signed on paper",
                }
                for moment in ("2026-03-11 01:00:00", "2026-03-10 05:00:00")
            ]
        )
        with freeze_time("2026-03-11 02:00:00"):
            rows = self.env["sales.discipline.daily"]._sales_refresh()
        nora_row = rows.filtered(lambda row: row.user_id == nora)
        self.assertRecordValues(
            nora_row,
            [
                {
                    "date": date(2026, 3, 10),
                    "company_id": new_york.id,
                    "team_id": manhattan.id,
                    "leads_without_task": 1,
                    "stage_overrides": 2,
                }
            ],
        )
        closer_row = rows.filtered(lambda row: row.user_id == self.user_closer)
        self.assertRecordValues(closer_row, [{"date": date(2026, 3, 11), "stage_overrides": 1}])
