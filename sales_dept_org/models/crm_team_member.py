from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .hr_employee import SALES_ROLES


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    sales_role = fields.Selection(
        SALES_ROLES,
        compute="_compute_sales_role",
        store=True,
        index=True,
        help="The sales role of the member's employee in the team's company.",
    )
    sales_capacity = fields.Integer(
        string="Capacity",
        default=0,
        help="Most open leads this member may own; 0 means no limit. "
        "A member at capacity is skipped by the hand-off.",
    )
    sales_open_lead_count = fields.Integer(
        string="Open Leads",
        compute="_compute_sales_open_lead_count",
        help="Open (active, not won) leads and opportunities owned by the member.",
    )
    sales_handoff_ticket = fields.Integer(
        string="Hand-off Turn",
        readonly=True,
        copy=False,
        help="Round-robin turn of the last lead handed to this member: "
        "among equally loaded members, the lowest turn goes first.",
    )

    @api.depends(
        "user_id.employee_ids.sales_role",
        "user_id.employee_ids.company_id",
        "crm_team_id.company_id",
    )
    def _compute_sales_role(self):
        for member in self:
            company = member.crm_team_id.company_id
            employees = member.user_id.employee_ids.filtered(
                lambda employee, company=company: (
                    employee.sales_role and (not company or employee.company_id == company)
                )
            )
            member.sales_role = employees[:1].sales_role

    def _compute_sales_open_lead_count(self):
        counts = self.env["crm.lead"]._sales_open_lead_counts(self.user_id)
        for member in self:
            member.sales_open_lead_count = counts.get(member.user_id.id, 0)

    @api.constrains("sales_capacity")
    def _check_sales_capacity(self):
        wrong = self.filtered(lambda member: member.sales_capacity < 0)
        if wrong:
            raise ValidationError(
                self.env._(
                    "A capacity cannot be below 0 (0 means no limit): %(members)s.",
                    members=", ".join(
                        f"{member.user_id.name} ({member.crm_team_id.name}: "
                        f"{member.sales_capacity})"
                        for member in wrong
                    ),
                )
            )

    @api.constrains("crm_team_id", "user_id", "active")
    def _check_sales_span_of_control(self):
        self.env["crm.team"]._sales_check_span(self.crm_team_id.user_id)
