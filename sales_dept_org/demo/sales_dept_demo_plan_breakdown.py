"""Plan breakdown part of the demo department: team North's plan of next
month, made by the breakdown from 250,000 zł and the team's own funnel of
the last three months."""

import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

NORTH_NEXT_MONTH = 250000


class SalesDeptDemo(models.AbstractModel):
    _inherit = "sales.dept.demo"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _load_demo_department(self):
        built = super()._load_demo_department()
        if built:
            self._demo_breakdown(self.env.ref("sales_dept_org.demo_company"))
        return built

    def _demo_breakdown(self, company):
        team = self.env.ref("sales_dept_org.demo_team_polnoc")
        month = fields.Date.context_today(self).replace(day=1) + relativedelta(months=1)
        plan = self.env["sales.kpi.plan"].create(
            {
                "name": f"{team.name} {month:%m.%Y} (rozpisany)",
                "company_id": company.id,
                "team_id": team.id,
                "date_from": month,
                "date_to": month + relativedelta(months=1, days=-1),
            }
        )
        self._demo_xmlids({"demo_kpi_plan_breakdown": plan})
        wizard = (
            self.env["sales.kpi.plan.breakdown"]
            .with_context(allowed_company_ids=company.ids)
            .create({"plan_id": plan.id, "target": NORTH_NEXT_MONTH})
        )
        if wizard.problem:  # the seeded history always has every step; say so if not
            _logger.warning("Demo plan breakdown of %s left empty: %s", team.name, wizard.problem)
            return
        wizard.action_apply()
