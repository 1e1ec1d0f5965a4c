"""The plan breakdown on team North's history (``breakdown_common.py``,
where every figure is worked by hand), the clock in January 2027."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .breakdown_common import BreakdownCommon

DAYS = ("2027-01-01", "2027-01-15", "2027-01-31")


@tagged("post_install", "-at_install")
class TestKpiPlanBreakdown(BreakdownCommon):
    def _wizard(self, user=None, plan=None, **values):
        Breakdown = self.env["sales.kpi.plan.breakdown"].with_user(user or self.user_head)
        return Breakdown.create(dict({"plan_id": (plan or self.plan).id}, **values))

    def _figures(self, wizard):
        return {
            line.user_id.name: (line.calls, line.meetings, line.proposals, line.won, line.revenue)
            for line in wizard.line_ids
        }

    def _plan_lines(self, plan=None):
        return {
            (line.metric_id.code, line.user_id.name or "team"): (line.target, line.weight)
            for line in (plan or self.plan).sudo().line_ids
        }

    def test_history_rates_and_needs_on_the_1st_15th_and_last_day(self):
        for day in DAYS:
            with self.subTest(day=day), freeze_time(f"{day} 09:00:00"):
                wizard = self._wizard(target=500000)
                self.assertEqual(
                    (str(wizard.history_from), str(wizard.history_to)), ("2026-10-01", "2026-12-31")
                )
                self.assertEqual(
                    (wizard.history_calls, wizard.history_meetings, wizard.history_proposals,
                     wizard.history_won), (100, 10, 5, 2)
                )  # fmt: skip
                self.assertEqual(wizard.history_average_order, 25000.0)
                self.assertEqual(wizard.average_order, 25000.0)
                self.assertEqual(
                    (wizard.rate_call_meeting, wizard.rate_meeting_proposal,
                     wizard.rate_proposal_won), (10.0, 50.0, 40.0)
                )  # fmt: skip
                self.assertEqual(
                    (wizard.won_needed, wizard.proposals_needed, wizard.meetings_needed,
                     wizard.calls_needed), (20, 50, 100, 1000)
                )  # fmt: skip
                self.assertFalse(wizard.problem)

    @freeze_time("2027-01-15 09:00:00")
    def test_per_person_by_darwin_weight_and_headcount(self):
        wizard = self._wizard(target=500000)
        self.assertEqual(
            self._figures(wizard),
            {
                "Jan Hunter": (500, 50, 25, 0, 0.0),
                "Tomasz Closer": (0, 0, 0, 10, 250000.0),
                "Ula Universal": (333, 33, 17, 10, 250000.0),
                "Zofia Hunter": (167, 17, 8, 0, 0.0),
            },
        )
        self.assertEqual(wizard.working_days, 21)
        # the company's hunter norm: 120 calls a day; ceil(1000 / (120 * 21)) = 1 hunter
        self.assertEqual(wizard.calls_per_day, 120)
        self.assertEqual(
            (wizard.hunters_needed, wizard.hunters_count, wizard.hunters_gap), (1, 3, 0)
        )
        self.assertEqual(
            (wizard.closers_needed, wizard.closers_count, wizard.closers_gap), (2, 2, 0)
        )
        # 10 calls a day: ceil(1000 / 210) = 5 hunters, 2 missing
        wizard.calls_per_day = 10
        self.assertEqual((wizard.hunters_needed, wizard.hunters_gap), (5, 2))

    @freeze_time("2027-01-15 09:00:00")
    def test_without_darwin_everyone_weighs_one(self):
        self.team_north.sales_darwin = False
        wizard = self._wizard(target=500000)
        # calls 1000 / 3: 333.3 each, the call left over goes to the first by name
        self.assertEqual(
            [(line.user_id.name, line.weight, line.calls) for line in wizard.line_ids],
            [("Jan Hunter", 1.0, 334), ("Tomasz Closer", 1.0, 0), ("Ula Universal", 1.0, 333),
             ("Zofia Hunter", 1.0, 333)],
        )  # fmt: skip

    @freeze_time("2027-01-15 09:00:00")
    def test_the_rounding_up_is_stated(self):
        # 510,000 / 25,000 = 20.4: 21 won; 21 / 40 % = 52.5: 53 proposals;
        # 53 / 50 % = 106 meetings; 106 / 10 % = 1,060 calls
        wizard = self._wizard(target=510000)
        self.assertEqual(
            (wizard.won_needed, wizard.proposals_needed, wizard.meetings_needed,
             wizard.calls_needed), (21, 53, 106, 1060)
        )  # fmt: skip

    @freeze_time("2027-01-15 09:00:00")
    def test_saving_writes_every_persons_lines_and_the_team_sums(self):
        wizard = self._wizard(target=500000)
        wizard.action_apply()
        self.assertEqual(
            self._plan_lines(),
            {
                ("calls_made", "Jan Hunter"): (500, 1.5),
                ("calls_made", "Ula Universal"): (333, 1.0),
                ("calls_made", "Zofia Hunter"): (167, 0.5),
                ("calls_made", "team"): (1000, 1.0),
                ("leads_qualified", "Jan Hunter"): (50, 1.5),
                ("leads_qualified", "Ula Universal"): (33, 1.0),
                ("leads_qualified", "Zofia Hunter"): (17, 0.5),
                ("leads_qualified", "team"): (100, 1.0),
                ("meetings_handed_over", "Jan Hunter"): (25, 1.5),
                ("meetings_handed_over", "Ula Universal"): (17, 1.0),
                ("meetings_handed_over", "Zofia Hunter"): (8, 0.5),
                ("meetings_handed_over", "team"): (50, 1.0),
                ("revenue_won", "Tomasz Closer"): (250000, 1.0),
                ("revenue_won", "Ula Universal"): (250000, 1.0),
                ("revenue_won", "team"): (500000, 1.0),
            },
        )

    @freeze_time("2027-01-15 09:00:00")
    def test_overrides_before_saving_and_a_rerun_replaces(self):
        other = self.env["sales.kpi.plan.line"].create(
            {"plan_id": self.plan.id, "metric_id": self.env.ref(
                "sales_dept_org.kpi_metric_meetings_held").id, "user_id": self.user_hunter.id,
             "target": 12}
        )  # fmt: skip
        form = Form(self._wizard(target=500000))
        with form.line_ids.edit(3) as zofia:
            self.assertEqual(zofia.user_id, self.user_zofia)
            zofia.calls = 200
        with form.line_ids.edit(0) as jan:
            jan.meetings = 60
        form.save().action_apply()
        lines = self._plan_lines()
        self.assertEqual(lines["calls_made", "Zofia Hunter"], (200, 0.5))
        self.assertEqual(lines["calls_made", "team"], (1033, 1.0))
        self.assertEqual(lines["leads_qualified", "Jan Hunter"], (60, 1.5))
        self.assertEqual(lines["leads_qualified", "team"], (110, 1.0))
        # again at 600,000: 24 won, 60 proposals, 120 meetings, 1,200 calls
        # (Zofia's share of them is 200 again, by weight)
        self._wizard(target=600000).action_apply()
        lines = self._plan_lines()
        self.assertEqual(len(lines), 16, "15 lines of the breakdown and the meetings held kept")
        self.assertEqual(len(self.plan.sudo().line_ids), 16, "no line twice")
        self.assertEqual(lines["calls_made", "team"], (1200, 1.0))
        self.assertEqual(lines["calls_made", "Zofia Hunter"], (200, 0.5))
        self.assertEqual(lines["revenue_won", "Tomasz Closer"], (300000, 1.0))
        self.assertEqual(other.target, 12)

    @freeze_time("2027-01-15 09:00:00")
    def test_the_plan_constraints_stay(self):
        """Jan already has a calls target in another January plan: refused,
        nothing written."""
        self.env["sales.kpi.plan"].create(
            {
                "name": "Calls sprint",
                "date_from": "2027-01-10",
                "date_to": "2027-01-20",
                "line_ids": [Command.create({"metric_id": self.metric["calls_made"].id,
                                             "user_id": self.user_hunter.id, "target": 5})],
            }
        )  # fmt: skip
        wizard = self._wizard(target=500000)
        # (assertRaises rolls back to a savepoint, as the request's transaction would)
        with self.assertRaises(ValidationError) as raised:
            wizard.action_apply()
        self.assertIn("Jan Hunter, Calls made", str(raised.exception))
        self.assertFalse(self.plan.line_ids)

    @freeze_time("2027-01-15 09:00:00")
    def test_zero_history_names_the_step_and_writes_nothing(self):
        """South won its one lead, but nobody of South made a call."""
        wizard = self._wizard(user=self.user_head_south, plan=self.plan_south, target=500000)
        self.assertEqual(
            (wizard.history_calls, wizard.history_meetings, wizard.history_proposals,
             wizard.history_won), (0, 1, 1, 1)
        )  # fmt: skip
        self.assertIn("call to meeting", wizard.problem)
        self.assertFalse(wizard.line_ids)
        self.assertEqual(wizard.won_needed, 0)
        with self.assertRaisesRegex(UserError, "No history for the step call to meeting"):
            wizard.action_apply()
        self.assertFalse(self.plan_south.line_ids)

    @freeze_time("2027-01-15 09:00:00")
    def test_zero_history_of_the_last_step(self):
        """North's two won leads were created before the window: no deal won."""
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = '2026-08-01' WHERE id = ANY(%s)",
            (self.leads[:2].ids,),
        )
        self.env["crm.lead"].invalidate_model()
        wizard = self._wizard(target=500000)
        self.assertEqual((wizard.history_proposals, wizard.history_won), (3, 0))
        self.assertIn("proposal to won", wizard.problem)
        with self.assertRaisesRegex(UserError, "proposal to won"):
            wizard.action_apply()
        self.assertFalse(self.plan.line_ids)

    @freeze_time("2027-01-15 09:00:00")
    def test_bad_input_is_named_and_nothing_written(self):
        wizard = self._wizard(target=0, average_order=0)
        with self.assertRaises(UserError) as raised:
            wizard.action_apply()
        self.assertIn("revenue target must be more than zero", str(raised.exception))
        self.assertIn("average order must be more than zero", str(raised.exception))
        wizard = self._wizard(target=500000)
        wizard.line_ids[0].calls = -5
        with self.assertRaisesRegex(UserError, "Jan Hunter: Calls cannot be negative"):
            wizard.action_apply()
        self.assertFalse(self.plan.line_ids)

    @freeze_time("2027-01-15 09:00:00")
    def test_the_history_length_is_a_company_setting(self):
        # one month: December only, Zofia's 30 calls and no lead of North
        self.env.company.sales_breakdown_months = 1
        wizard = self._wizard(target=500000)
        self.assertEqual((wizard.history_calls, wizard.history_meetings), (30, 0))
        self.assertIn("proposal to won", wizard.problem)
        # four months reach September 30th: its lead and Jan's 50 calls count
        wizard.history_months = 4
        self.assertEqual(
            (wizard.history_calls, wizard.history_meetings, wizard.history_won), (150, 11, 3)
        )
        with self.assertRaises(ValidationError):
            self.env.company.sales_breakdown_months = 0

    @freeze_time("2027-01-15 09:00:00")
    def test_rights(self):
        """A head breaks down the plans of the team he leads only; a
        salesperson not at all; the director any team."""
        with self.assertRaises(AccessError):
            self._wizard(user=self.user_head_south)
        with self.assertRaises(AccessError):
            self._wizard(user=self.user_hunter)
        self._wizard(user=self.user_director, target=500000).action_apply()
        self.assertEqual(len(self.plan.line_ids), 15)
        department = self.env["sales.kpi.plan"].create(
            {"name": "Department, January", "date_from": "2027-01-01", "date_to": "2027-01-31"}
        )
        with self.assertRaisesRegex(UserError, "department plan"):
            self._wizard(user=self.user_director, plan=department)

    @freeze_time("2027-01-15 09:00:00")
    def test_as_an_integrator_calls(self):
        """Over RPC: the head's own rights, no company in the context."""
        env = self.env(user=self.user_head, context={})
        wizard = env["sales.kpi.plan.breakdown"].create({"plan_id": self.plan.id, "target": 500000})
        self.assertEqual(wizard.calls_needed, 1000)
        wizard.action_apply()
        self.assertEqual(self._plan_lines()["revenue_won", "team"], (500000, 1.0))

    @freeze_time("2027-01-15 09:00:00")
    def test_two_companies(self):
        """Company B's team has its own history and plan; North's head
        cannot reach them, B's head reads only B's facts."""
        company_b, nora, manhattan = self._new_york("sdo_nora")
        head_b = self._sales_user("sdo_head_b", "Bob Head", "sales_dept_org.group_sales_dept_head")
        head_b.write({"company_id": company_b.id, "company_ids": [Command.set(company_b.ids)]})
        nora.groups_id |= self.group_salesperson
        self.env["hr.employee"].create(
            {"name": "Nora York", "user_id": nora.id, "sales_role": "universal",
             "company_id": company_b.id}
        )  # fmt: skip
        manhattan.user_id = head_b
        new, qualified, proposition, _negotiation, won = self.stages
        leads = self.env["crm.lead"].create(
            [
                {"name": f"NY {n}", "type": "opportunity", "team_id": manhattan.id,
                 "company_id": company_b.id, "user_id": nora.id, "stage_id": new.id,
                 "expected_revenue": 10000}
                for n in range(4)
            ]
        )  # fmt: skip
        self.env["sales.lead.stage.log"].sudo().create(
            [{"lead_id": lead.id, "stage_id": stage.id, "date_in": "2026-11-20",
              "team_id": manhattan.id, "user_id": nora.id}
             for lead in leads for stage in (qualified, proposition)]
            + [{"lead_id": leads[0].id, "stage_id": won.id, "date_in": "2026-11-25",
                "team_id": manhattan.id, "user_id": nora.id}]
        )  # fmt: skip
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = '2026-11-20' WHERE id = ANY(%s)", (leads.ids,)
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET stage_id = %s WHERE id = %s", (won.id, leads[0].id)
        )
        self.env.cr.execute(
            "UPDATE mail_message SET create_uid = %s WHERE id IN (SELECT id FROM mail_message"
            " WHERE create_uid = %s ORDER BY date DESC LIMIT 8)",
            (nora.id, self.user_hunter.id),
        )
        self.env.invalidate_all()
        plan_b = self.env["sales.kpi.plan"].create(
            {"name": "Manhattan, January", "team_id": manhattan.id, "company_id": company_b.id,
             "date_from": "2027-01-01", "date_to": "2027-01-31"}
        )  # fmt: skip
        with self.assertRaises(AccessError):
            self._wizard(plan=plan_b)
        wizard = (
            self.env["sales.kpi.plan.breakdown"]
            .with_user(head_b)
            .create({"plan_id": plan_b.id, "target": 40000})
        )
        # 4 meetings, 4 proposals, 1 won, Nora's 8 calls; 40,000 at 10,000:
        # 4 won, 16 proposals, 16 meetings, 32 calls, all Nora's
        self.assertEqual(
            (wizard.history_calls, wizard.history_meetings, wizard.history_proposals,
             wizard.history_won, wizard.history_average_order), (8, 4, 4, 1, 10000.0)
        )  # fmt: skip
        self.assertEqual(self._figures(wizard), {"Nora York": (32, 16, 16, 4, 40000.0)})
        wizard.action_apply()
        self.assertEqual(set(plan_b.sudo().line_ids.company_id), {company_b})
        self.assertEqual(len(plan_b.sudo().line_ids), 8)
        # North's history did not lose those 8 calls to Manhattan by accident
        north = self._wizard(target=500000)
        self.assertEqual(north.history_calls, 92)
