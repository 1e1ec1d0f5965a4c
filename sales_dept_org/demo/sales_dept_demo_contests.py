"""Contests of the demo department: team North's contest of this month,
running on its live leaderboard, and last month's, closed with a day off
for each winner (a to-do on the head) and one announcement in the team's
channel."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class SalesDeptDemo(models.AbstractModel):
    _inherit = "sales.dept.demo"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _load_demo_department(self):
        built = super()._load_demo_department()
        if built:
            self._demo_contests(self.env.ref("sales_dept_org.demo_company"))
        return built

    def _demo_contests(self, company):
        team = self.env.ref("sales_dept_org.demo_team_polnoc")
        month = fields.Date.context_today(self).replace(day=1)
        last_month = month - relativedelta(months=1)
        running, closed = self.env["sales.contest"].create(
            [
                {
                    "name": f"Sprint telefonów {month:%m.%Y}",
                    "company_id": company.id,
                    "team_ids": [fields.Command.set(team.ids)],
                    "metric_id": self.env.ref("sales_dept_org.kpi_metric_calls_made").id,
                    "date_from": month,
                    "date_to": month + relativedelta(months=1, days=-1),
                    "rule": "top",
                    "top_count": 3,
                    "prize": "money",
                    "prize_amount": 200.0,
                },
                {
                    "name": f"Spotkania {last_month:%m.%Y}",
                    "company_id": company.id,
                    "team_ids": [fields.Command.set(team.ids)],
                    "metric_id": self.env.ref("sales_dept_org.kpi_metric_meetings_held").id,
                    "date_from": last_month,
                    "date_to": month - relativedelta(days=1),
                    "rule": "top",
                    "top_count": 1,
                    "prize": "day_off",
                },
            ]
        )
        (running | closed).action_start()
        closed._close(team.user_id, closed._standings())
        self._demo_xmlids({"demo_contest_running": running, "demo_contest_closed": closed})
