from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

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

    sales_weight = fields.Float(
        "Weight",
        default=1.0,
        digits=(3, 2),
        readonly=True,
        copy=False,
        help="In a Darwin team, the member's share of hand-offs: open leads are divided "
        "by it. Set every night from last month's attainment.",
    )
    sales_weight_month = fields.Date("Weighed On Month", readonly=True, copy=False)
    sales_weight_attainment = fields.Float(
        "Attainment Weighed (%)", readonly=True, copy=False, digits=(16, 2)
    )
    sales_weight_planned = fields.Boolean("Had a Plan", readonly=True, copy=False)
    sales_weight_reason = fields.Char(
        "Why This Weight",
        compute="_compute_sales_weight_reason",
        help="The attainment of the month the weight comes from.",
    )

    @api.depends(
        "user_id.employee_ids.sales_role",
        "user_id.employee_ids.company_id",
        "user_id.employee_ids.active",
        "user_id.company_id",
        "user_id.company_ids",
        "crm_team_id.company_id",
    )
    def _compute_sales_role(self):
        """The role of the member's active employee in the team's company; for
        a team without a company, in the user's company, else in the first of
        the user's other companies that has one.

        The employees are read from every company, whatever the context: the
        user's ``employee_ids`` only hold those of the companies active in the
        context, so a membership stored from a data file, RPC or a cron would
        find none. One query for all members."""
        employees = (
            self.env["hr.employee"]
            .sudo()
            .with_context(active_test=True)
            .search_fetch(
                [("user_id", "in", self.user_id.ids), ("sales_role", "!=", False)],
                ["user_id", "company_id", "sales_role"],
                order="id",
            )
        )
        roles = {}
        for employee in employees:
            roles.setdefault((employee.user_id.id, employee.company_id.id), employee.sales_role)
        for member in self:
            user = member.user_id
            companies = member.crm_team_id.company_id or (user.company_id | user.company_ids)
            member.sales_role = next(
                (
                    roles[key]
                    for key in ((user.id, company.id) for company in companies)
                    if key in roles
                ),
                False,
            )

    @api.depends("sales_weight_month", "sales_weight_attainment", "sales_weight_planned")
    def _compute_sales_weight_reason(self):
        for member in self:
            month = member.sales_weight_month
            if not month:
                member.sales_weight_reason = self.env._("not weighed yet")
                continue
            month_name = format_date(self.env, month, date_format="LLLL y")
            percent = f"{member.sales_weight_attainment:.0f}"
            member.sales_weight_reason = (
                self.env._("%(percent)s%% of plan in %(month)s", percent=percent, month=month_name)
                if member.sales_weight_planned
                else self.env._("no plan in %(month)s", month=month_name)
            )

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

    @api.constrains("sales_weight")
    def _check_sales_weight(self):
        wrong = self.filtered(lambda member: member.sales_weight <= 0)
        if wrong:
            raise ValidationError(
                self.env._(
                    "A weight must be above 0: %(members)s.",
                    members=", ".join(
                        f"{member.user_id.name} ({member.crm_team_id.name}: {member.sales_weight})"
                        for member in wrong
                    ),
                )
            )

    @api.constrains("crm_team_id", "user_id", "active")
    def _check_sales_span_of_control(self):
        self.env["crm.team"]._sales_check_span(self.crm_team_id.user_id)
