"""The Darwin principle: last month's attainment weighs each member of a
Darwin team, and the hand-off shares leads by weight.

Team East (see ``handoff_common``): hunter Hubert, closers 1, 2 and 3. In
November 2026 each closer had a plan of 100 calls; they made 130, 104 and 60
(stored facts), so 130%, 104% and 60%: in the shipped table (from 120% 1.5,
from 100% 1.25, from 70% 1.0, below 0.5) weights 1.5, 1.25 and 0.5. The
hunter had no plan: weight 1.0.
"""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .handoff_common import HandoffCommon

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
CALLS_MADE = (130, 104, 60)


@tagged("post_install", "-at_install")
class TestDarwin(HandoffCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calls = cls.env.ref("sales_dept_org.kpi_metric_calls_made")
        cls.env["sales.kpi.plan"].create(
            {
                "name": "East November",
                "team_id": cls.team_east.id,
                "date_from": NOVEMBER[0],
                "date_to": NOVEMBER[1],
                "line_ids": [
                    Command.create({"metric_id": cls.calls.id, "user_id": user.id, "target": 100})
                    for user in cls.user_closers
                ],
            }
        )
        # the month's calls as the nightly job stored them, one day each
        cls.env["sales.kpi.fact"].create(
            [
                {
                    "date": date(2026, 11, 20),
                    "metric_id": cls.calls.id,
                    "user_id": user.id,
                    "company_id": cls.env.company.id,
                    "amount": calls,
                    "record_count": calls,
                }
                for user, calls in zip(cls.user_closers, CALLS_MADE, strict=True)
            ]
        )
        cls.calls.facts_stored_until = date(2026, 12, 31)
        cls.team_east.sales_darwin = True

    def _weights(self, team=None):
        members = self._members(team or self.team_east)
        return {
            user: (member.sales_weight, member.sales_weight_reason)
            for user, member in members.items()
        }

    def _run_cron_on(self, day):
        with freeze_time(f"{day} 12:00:00"):
            self.env["crm.team"]._cron_sales_darwin()

    def test_nightly_weights_from_last_month(self):
        self._run_cron_on(date(2026, 12, 1))
        closer_1, closer_2, closer_3 = self.user_closers
        self.assertEqual(
            self._weights(),
            {
                closer_1: (1.5, "130% of plan in November 2026"),
                closer_2: (1.25, "104% of plan in November 2026"),
                closer_3: (0.5, "60% of plan in November 2026"),
                self.user_hunter_east: (1.0, "no plan in November 2026"),
            },
        )

    def test_first_fifteenth_and_last_day_all_read_last_month(self):
        expected = [1.5, 1.25, 0.5]
        for day in (date(2026, 12, 1), date(2026, 12, 15), date(2026, 12, 31)):
            self._run_cron_on(day)
            members = self._members(self.team_east)
            self.assertEqual(
                [members[user].sales_weight for user in self.user_closers], expected, day
            )
            self.assertEqual(members[self.user_closers[0]].sales_weight_month, NOVEMBER[0])
        # on 1 January, December is last month: no plan then, everyone at 1.0
        self._run_cron_on(date(2027, 1, 1))
        self.assertEqual(set(self._weights().values()), {(1.0, "no plan in December 2026")})

    def test_team_table_before_company_table_and_off_teams_untouched(self):
        # the team's own table: from 0% 1.0, from 100% 3.0 (104% and 130% → 3)
        self.team_east.sales_darwin_band_ids = [
            Command.create({"attainment_from": 0, "weight": 1.0}),
            Command.create({"attainment_from": 100, "weight": 3.0}),
        ]
        self.team_north.sales_darwin = False
        self._run_cron_on(date(2026, 12, 2))
        self.assertEqual(
            [self._members(self.team_east)[user].sales_weight for user in self.user_closers],
            [3.0, 3.0, 1.0],
        )
        self.assertEqual(
            {weight for weight, _why in self._weights(self.team_north).values()}, {1.0}
        )
        self.assertEqual(set(self._weights(self.team_north).values()), {(1.0, "not weighed yet")})

    def test_weighing_reads_the_month_in_a_fixed_number_of_queries(self):
        """The same queries for one team of 4 as for two teams of 7 people:
        the teams, their members and users, the company's day, the metrics,
        everyone's targets, everyone's facts, the bands, one UPDATE."""
        self._run_cron_on(date(2026, 12, 1))  # warm caches
        for teams in (self.team_east, self.team_east | self.team_north):
            teams.sales_darwin = True
            self.env.flush_all()
            self.env.invalidate_all()
            with freeze_time("2026-12-02 12:00:00"), self.assertQueryCount(__system__=11):
                self.env["crm.team"]._cron_sales_darwin()

    def test_leads_go_by_weight_when_darwin_is_on(self):
        """Weights 1.5, 1.0, 0.5 (3:2:1), no open leads: twelve leads go in
        cycles of six, closer 1, 2, 3, 1, 2, 1 (see the engine's test): 6/4/2."""
        for user, weight in zip(self.user_closers, (1.5, 1.0, 0.5), strict=True):
            self._members(self.team_east)[user].sales_weight = weight
        leads = self._leads(self.team_east, self.user_hunter_east, 12)
        leads.write({"stage_id": self.stage_proposal.id})
        owners = [lead.user_id for lead in leads.sorted("id")]
        self.assertEqual([owners.count(user) for user in self.user_closers], [6, 4, 2])

    def test_darwin_off_keeps_the_round_robin(self):
        self.team_east.sales_darwin = False
        for user, weight in zip(self.user_closers, (1.5, 1.0, 0.5), strict=True):
            self._members(self.team_east)[user].sales_weight = weight
        leads = self._leads(self.team_east, self.user_hunter_east, 12)
        leads.write({"stage_id": self.stage_proposal.id})
        owners = [lead.user_id for lead in leads.sorted("id")]
        self.assertEqual(owners, [self.user_closers[index % 3] for index in range(12)])

    def test_chatter_line_tells_the_weight_and_why(self):
        self._run_cron_on(date(2026, 12, 3))
        # closer 1 (1.5) takes the first lead: loads 0, the lowest turn
        lead = self._leads(self.team_east, self.user_hunter_east, 1)
        self.flush_tracking()
        lead.stage_id = self.stage_proposal
        self.flush_tracking()
        lead.invalidate_recordset(["message_ids"])
        self.assertEqual(lead.user_id, self.user_closers[0])
        self.assertIn(
            "Closer 1 had the fewest open leads for their weight (weight 1.5: 130% of plan in "
            "November 2026) among the closers of team East with room left.",
            lead.message_ids[0].body,
        )

    def test_chatter_line_unchanged_when_darwin_is_off(self):
        self.team_east.sales_darwin = False
        lead = self._leads(self.team_east, self.user_hunter_east, 1)
        self.flush_tracking()
        lead.stage_id = self.stage_proposal
        self.flush_tracking()
        lead.invalidate_recordset(["message_ids"])
        body = lead.message_ids[0].body
        self.assertIn(
            "Closer 1 had the fewest open leads among the closers of team East with room left.",
            body,
        )
        self.assertNotIn("weight", body)

    def test_a_wrong_table_is_refused_whole_with_every_problem(self):
        with self.assertRaises(ValidationError) as caught:
            self.team_east.sales_darwin_band_ids = [
                Command.create({"attainment_from": 10, "weight": 1.0}),
                Command.create({"attainment_from": 50, "weight": 0.0}),
                Command.create({"attainment_from": 80, "weight": 0.8}),
            ]
        message = str(caught.exception)
        self.assertIn(
            "The Darwin table of team East: the lowest band must start at 0%, not 10%.", message
        )
        self.assertIn("the band from 50% has weight 0; a weight must be above 0.", message)
        self.assertIn(
            "the band from 80% weighs 0.8, less than the band from 10% below it (1)", message
        )
        self.assertFalse(self.team_east.sales_darwin_band_ids, "nothing written")

    def test_a_table_rewritten_at_once_is_checked_at_its_end(self):
        """Raising every band in one save passes through a decreasing table
        (the first band raised above the second): only the end counts."""
        self.team_east.sales_darwin_band_ids = [
            Command.create({"attainment_from": 0, "weight": 1.0}),
            Command.create({"attainment_from": 100, "weight": 1.5}),
        ]
        low, high = self.team_east.sales_darwin_band_ids.sorted("attainment_from")
        self.team_east.sales_darwin_band_ids = [
            Command.update(low.id, {"weight": 2.0}),
            Command.update(high.id, {"weight": 2.5}),
        ]
        self.assertEqual(low.weight + high.weight, 4.5)
        # a band edited alone is checked at once
        with self.assertRaises(ValidationError):
            high.weight = 1.0

    def test_company_table_removing_its_zero_band_is_refused(self):
        zero = self.env.ref("sales_dept_org.sales_darwin_band_0")
        with self.assertRaises(ValidationError) as caught:
            zero.unlink()
        self.assertIn("the lowest band must start at 0%, not 70%.", str(caught.exception))

    def test_a_weight_cannot_be_zero(self):
        member = self._members(self.team_east)[self.user_closers[0]]
        with self.assertRaises(ValidationError):
            member.sales_weight = 0

    def test_cron_record_runs_the_job(self):
        cron = self.env.ref("sales_dept_org.sales_darwin_cron")
        with freeze_time("2026-12-04 12:00:00"):
            cron.method_direct_trigger()
        self.assertEqual(self._members(self.team_east)[self.user_closers[2]].sales_weight, 0.5)
