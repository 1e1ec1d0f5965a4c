from datetime import timedelta

from odoo import api, models
from odoo.osv import expression


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._respread_kpi_targets(leaves._kpi_target_domains())
        return leaves

    def write(self, vals):
        before = self._kpi_target_domains()
        result = super().write(vals)
        self._respread_kpi_targets(before + self._kpi_target_domains())
        return result

    def unlink(self):
        before = self._kpi_target_domains()
        result = super().unlink()
        self._respread_kpi_targets(before)
        return result

    def _respread_kpi_targets(self, domains):
        if domains:
            self.env["sales.kpi.plan.line"]._respread(expression.OR(domains))

    def _kpi_target_domains(self):
        """The person targets a leave changes: its person's, or everybody's in
        its company for a public holiday, on the days it covers."""
        domains = []
        for leave in self.sudo():
            if not (leave.date_from and leave.date_to):
                continue
            # a day either side: the person's time zone may move the hours
            period = [
                ("date_from", "<=", leave.date_to.date() + timedelta(days=1)),
                ("date_to", ">=", leave.date_from.date() - timedelta(days=1)),
            ]
            if leave.resource_id:
                if leave.resource_id.user_id:
                    domains.append([("user_id", "=", leave.resource_id.user_id.id), *period])
            elif leave.company_id:
                domains.append([("company_id", "=", leave.company_id.id), *period])
            else:
                domains.append(period)
        return domains
