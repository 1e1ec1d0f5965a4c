from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoReports(TransactionCase):
    """The reports' demo builds on the demo department (rolled back after)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sales.dept.demo"]._load_demo_department()
        Demo = cls.env["sales.dept.demo.reports"]
        cls.built = Demo._load_demo_reports()
        cls.built_again = Demo._load_demo_reports()
        cls.company = cls.env.ref("sales_dept_org.demo_company")
        cls.previous = cls.env.ref("sales_dept_org.demo_abcxyz_snapshot_previous")
        cls.current = cls.env.ref("sales_dept_org.demo_abcxyz_snapshot_current")

    def test_builds_once(self):
        self.assertTrue(self.built)
        self.assertFalse(self.built_again)

    def test_two_snapshots_with_every_kind_of_customer(self):
        # one-offs: index 15 bought 13 months ago (previous window only), index 27 last
        # month (current only): 27 of this builder's customers in each snapshot; the KPI
        # demo also invoices the won deals of the last months, which brings the missing
        # one back into each window: all 28 demo customers
        self.assertEqual((self.previous.customer_count, self.current.customer_count), (28, 28))
        for snapshot in self.previous | self.current:
            classes = set(snapshot.line_ids.mapped("abc_class"))
            self.assertEqual(classes, {"a", "b", "c"}, snapshot.name)
            self.assertEqual(set(snapshot.line_ids.mapped("xyz_class")), {"x", "y", "z"})
            self.assertTrue(all(snapshot.line_ids.mapped("user_id")), "every customer has a farmer")

    def test_customers_migrate_between_the_snapshots(self):
        action = (
            self.env["sales.abcxyz.migration"]
            .create({"snapshot_from_id": self.previous.id, "snapshot_to_id": self.current.id})
            .action_compare()
        )
        lines = self.env["sales.abcxyz.migration.line"].search(action["domain"])
        moved = lines.filtered(lambda line: line.class_from != line.class_to)
        self.assertGreaterEqual(len(moved), 3)

    def test_money_of_today(self):
        money = self.env["sales.money.report"]._money_by_salesperson(
            self.company, fields.Date.context_today(self.company)
        )
        totals = [
            sum(amounts[key] for amounts in money.values())
            for key in ("planned_today", "received_today", "planned_tomorrow")
        ]
        self.assertTrue(all(totals), totals)

    def test_morning_digest_of_every_team(self):
        teams = self.env["crm.team"].search([("company_id", "=", self.company.id)])
        posts = self.env["sales.digest.post"].search([("team_id", "in", teams.ids)])
        self.assertEqual(posts.team_id, teams)
        self.assertEqual(set(posts.mapped("slot")), {"morning"})
        self.assertTrue(all(post.channel_id.message_ids for post in posts))

    def test_funnel_narrows_down_the_pipeline(self):
        leads = self.env["crm.lead"].with_context(active_test=False)
        demo_leads = leads.search([("company_id", "=", self.company.id)])
        groups = self.env["sales.funnel.report"]._read_group(
            [("lead_id", "in", demo_leads.ids)],
            ["stage_id"],
            ["reached:sum", "lost_there:sum"],
            order="stage_id",  # the pipeline's order, not the stages' ids
        )
        reached = [count for _stage, count, _lost in groups]
        self.assertEqual(reached[0], len(demo_leads))
        self.assertEqual(reached, sorted(reached, reverse=True))
        self.assertTrue(sum(lost for _stage, _count, lost in groups))
