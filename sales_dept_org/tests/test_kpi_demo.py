from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..engine import darwin


@tagged("post_install", "-at_install")
class TestKpiDemo(TransactionCase):
    """The demo department comes with plans, money and a board."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sales.dept.demo"]._load_demo_department()
        cls.company = cls.env.ref("sales_dept_org.demo_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.today = fields.Date.context_today(cls.env["sales.kpi.plan"])
        cls.month = cls.today.replace(day=1)

    def test_plans_for_current_and_previous_month(self):
        broken_down = self.env.ref("sales_dept_org.demo_kpi_plan_breakdown")
        plans = self.env["sales.kpi.plan"].search(
            [("company_id", "=", self.company.id), ("id", "!=", broken_down.id)]
        )
        previous = self.month - relativedelta(months=1)
        self.assertEqual(
            sorted((plan.team_id.name, plan.date_from) for plan in plans),
            sorted(
                (team, start)
                for team in ("Północ", "Południe", "Mazowsze (uniwersalny)")
                for start in (previous, self.month)
            ),
        )
        for plan in plans:
            revenue = plan.line_ids.filtered(lambda line: line.metric_id.code == "revenue_won")
            team_line = revenue.filtered(lambda line: not line.user_id)
            # the team target is split to the cent among the members
            self.assertAlmostEqual(
                sum(revenue.filtered("user_id").mapped("target")), team_line.target, 2
            )

    def test_next_month_of_north_is_broken_down(self):
        """North's next month, from 250,000 zł through its own funnel: every
        hunter has calls, the closers share the revenue to the cent."""
        plan = self.env.ref("sales_dept_org.demo_kpi_plan_breakdown")
        self.assertEqual(plan.date_from, self.month + relativedelta(months=1))
        lines = plan.line_ids
        revenue = lines.filtered(lambda line: line.metric_id.code == "revenue_won")
        self.assertEqual(revenue.filtered(lambda line: not line.user_id).target, 250000)
        self.assertAlmostEqual(sum(revenue.filtered("user_id").mapped("target")), 250000, 2)
        calls = lines.filtered(lambda line: line.metric_id.code == "calls_made" and line.user_id)
        hunters = plan.team_id.crm_team_member_ids.filtered(
            lambda member: member.sales_role in ("hunter", "universal")
        )
        self.assertEqual(calls.user_id, hunters.user_id)
        self.assertTrue(all(line.target > 0 for line in calls))

    def test_money_and_board(self):
        people = self.env["res.users"].search([("company_ids", "in", self.company.ids)])
        payments = self.env.ref("sales_dept_org.kpi_metric_payments_received")
        previous = self.month - relativedelta(months=1)
        paid = payments._read_facts(people, previous, self.today)
        self.assertGreater(sum(paid.values()), 0)
        self.assertTrue(
            self.env["account.move"].search_count(
                [
                    ("company_id", "=", self.company.id),
                    ("payment_state", "=", "not_paid"),
                    ("move_type", "=", "out_invoice"),
                ]
            )
        )
        self.assertTrue(
            self.env["sales.kpi.fact"].search_count([("company_id", "=", self.company.id)])
        )
        team = self.env.ref("sales_dept_org.demo_team_polnoc")
        rows = self.env["sales.kpi.board"].search_read(
            [("team_id", "=", team.id)], ["rank", "metrics_html"]
        )
        self.assertEqual([row["rank"] for row in rows], [1, 2, 3])
        self.assertTrue(all(row["metrics_html"] for row in rows))
        trainee = self.env.ref("sales_dept_org.demo_employee_hunter_south")
        self.assertTrue(trainee.is_trainee and trainee.mentor_id)

    def test_north_on_darwin_weighed_from_last_month(self):
        north = self.env.ref("sales_dept_org.demo_team_polnoc")
        self.assertTrue(north.sales_darwin)
        members = north.crm_team_member_ids
        previous = self.month - relativedelta(months=1)
        self.assertEqual(set(members.mapped("sales_weight_month")), {previous})
        self.assertTrue(all(members.mapped("sales_weight_planned")), "every member had a plan")
        # each weight is the shipped table's band of the attainment it records
        for member in members:
            self.assertEqual(
                member.sales_weight,
                darwin.weight_for(darwin.DEFAULT_BANDS, member.sales_weight_attainment),
                member.user_id.name,
            )
