"""The demo's plan breakdown, built as ``make demo`` builds it: the addon
installed with its demo makes the department before its install hook gives
the stages their rules (no qualifying stage, no closers' stage yet), on the
1st, the 15th and the last day of a month.

Every demo team has history for every step of the chain, and North's plan of
next month holds each person's figures. North: one hunter (Jan Wójcik), one
closer (Tomasz Zieliński), so each carries the whole of his steps; the chain
for 250,000 zł, each step rounded up::

    won       = ceil(250000 / average won deal)
    proposals = ceil(won * proposals / won of the history)
    meetings  = ceil(proposals * meetings / proposals of the history)
    calls     = ceil(meetings * calls / meetings of the history)
"""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from ..engine import plan_breakdown as breakdown

# day the demo is built -> North's history (calls, meetings, proposals, won,
# average won deal) and the chain worked out from it by hand; Jan carries
# the calls, meetings and proposals, Tomasz the 250,000 zł.
CASES = {
    # March to May: 250000 / 54264.71 = 4.6 -> 5 won; 5 * 27 / 17 = 7.9 -> 8
    # proposals; 8 * 35 / 27 = 10.4 -> 11 meetings; 11 * 34 / 35 = 10.7 -> 11 calls
    date(2026, 6, 1): ((34, 35, 27, 17, 54264.71), (11, 11, 8)),
    # 250000 / 54400 = 4.6 -> 5 won; 5 * 25 / 16 = 7.8 -> 8 proposals;
    # 8 * 33 / 25 = 10.6 -> 11 meetings; 11 * 25 / 33 = 8.3 -> 9 calls
    date(2026, 6, 15): ((25, 33, 25, 16, 54400.0), (9, 11, 8)),
    # the demo's leads from 1 April: 250000 / 55720 = 4.5 -> 5 won; 5 * 24 / 15 = 8 proposals;
    # 8 * 32 / 24 = 10.7 -> 11 meetings; 11 * 21 / 32 = 7.2 -> 8 calls
    date(2026, 6, 30): ((21, 32, 24, 15, 55720.0), (8, 11, 8)),
}


@tagged("post_install", "-at_install")
class TestDemoPlanBreakdown(TransactionCase):
    def build(self, day):
        stages = self.env["crm.stage"].search([])
        stages.write({"sales_qualifying": False, "responsible_role": False})
        with freeze_time(datetime.combine(day, datetime.min.time()).replace(hour=10)):
            self.env["sales.dept.demo"]._load_demo_department()
            company = self.env.ref("sales_dept_org.demo_company")
            teams = self.env["crm.team"].search([("company_id", "=", company.id)])
            window = breakdown.history_window(day, 3)
            history = self.env["sales.kpi.plan.breakdown"]._sales_breakdown_history(teams, *window)
        return company, teams, history

    def check(self, day):
        _company, teams, history = self.build(day)
        for team in teams:
            counts, average = history[team.id]
            with self.subTest(team=team.name):
                self.assertTrue(all((*vars(counts).values(), average)), (team.name, counts))
        north = self.env.ref("sales_dept_org.demo_team_polnoc")
        counts, average = history[north.id]
        plan = self.env.ref("sales_dept_org.demo_kpi_plan_breakdown")
        lines = {
            (line.metric_id.code, line.user_id.login or "team"): line.target
            for line in plan.line_ids
        }
        (history_counts, (calls, meetings, proposals)) = CASES[day]
        self.assertEqual((*vars(counts).values(), round(average, 2)), history_counts)
        figures = {
            "calls_made": calls,
            "leads_qualified": meetings,
            "meetings_handed_over": proposals,
        }
        expected = {
            **{
                (code, person): target
                for code, target in figures.items()
                for person in ("jan.wojcik", "team")
            },
            ("revenue_won", "tomasz.zielinski"): 250000,
            ("revenue_won", "team"): 250000,
        }
        self.assertEqual(lines, expected)

    def test_first_of_the_month(self):
        self.check(date(2026, 6, 1))

    def test_fifteenth(self):
        self.check(date(2026, 6, 15))

    def test_last_day_of_the_month(self):
        self.check(date(2026, 6, 30))
