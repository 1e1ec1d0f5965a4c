"""The head breaks his team's month down in the browser, in Polish: from
the revenue target to saved per-person plans, one figure overridden. The
history of ``breakdown_common.py`` is moved to this month (the browser's
clock cannot be frozen), so its figures are the hand-worked ones."""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.tests import HttpCase, tagged

from .breakdown_common import BreakdownCommon


def _months_since_january_2027():
    this_month = date.today().replace(day=1)
    moved = relativedelta(this_month, date(2027, 1, 1))
    return moved.years * 12 + moved.months


@tagged("post_install", "-at_install")
class TestKpiPlanBreakdownTour(HttpCase, BreakdownCommon):
    month_shift = _months_since_january_2027()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "crm", "sales_team", "sales_dept_org"], ["pl_PL"]
        )
        cls.user_head.lang = "pl_PL"

    def test_head_breaks_down_the_month(self):
        url = f"/odoo/action-sales_dept_org.sales_kpi_plan_action/{self.plan.id}"
        self.authenticate(self.user_head.login, self.user_head.login)
        self.url_open(url, timeout=120)
        self.start_tour(url, "sales_dept_head_breakdown_tour", login=self.user_head.login)
        lines = {
            (line.metric_id.code, line.user_id.name or "team"): line.target
            for line in self.plan.sudo().line_ids
        }
        self.assertEqual(len(lines), 15)
        self.assertEqual(lines["calls_made", "Zofia Hunter"], 200)
        self.assertEqual(lines["calls_made", "Jan Hunter"], 500)
        self.assertEqual(lines["calls_made", "team"], 1033)
        self.assertEqual(lines["revenue_won", "Tomasz Closer"], 250000)
        self.assertEqual(lines["revenue_won", "team"], 500000)
