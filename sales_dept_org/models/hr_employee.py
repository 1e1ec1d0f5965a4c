from odoo import api, fields, models
from odoo.exceptions import ValidationError

SALES_ROLES = [
    ("hunter", "Hunter"),
    ("closer", "Closer"),
    ("farmer", "Farmer"),
    ("head", "Head of Sales"),
    ("universal", "Universal"),
]

# employee fields a person's KPI targets are spread by (the calendar is the
# resource's: see resource_resource.py)
TARGET_FIELDS = ("user_id", "company_id", "is_trainee", "adaptation_end_date")


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    sales_role = fields.Selection(
        SALES_ROLES,
        tracking=True,
        help="Hunter: finds and qualifies cold leads and books the meeting. "
        "Closer: turns a qualified lead into the first sale. "
        "Farmer: keeps the customer (repeat, up- and cross-sales). "
        "Head of Sales: leads a team. "
        "Universal: runs the whole cycle alone.",
    )
    sales_team_id = fields.Many2one(
        "crm.team",
        compute="_compute_sales_team_id",
        store=True,
        index="btree_not_null",
        help="The team the employee's user belongs to in the employee's company, "
        "or the team they lead.",
    )

    # SPEC §8: a trainee's plan is scaled down until the adaptation ends.
    is_trainee = fields.Boolean(
        tracking=True, help="Carries a scaled target until the adaptation ends."
    )
    mentor_id = fields.Many2one("hr.employee", tracking=True)
    adaptation_end_date = fields.Date(
        tracking=True, help="Last day on which the trainee's targets are scaled down."
    )

    @api.depends(
        "user_id.crm_team_member_ids.crm_team_id",
        "user_id.crm_team_member_ids.active",
        "company_id",
    )
    def _compute_sales_team_id(self):
        # Heads lead a team rather than sit in it: one search for all of them.
        led = self.env["crm.team"].search_fetch(
            [("user_id", "in", self.user_id.ids)], ["user_id", "company_id"], order="sequence, id"
        )
        for employee in self:
            user, company = employee.user_id, employee.company_id
            # a membership first, then a team they lead
            teams = user.crm_team_member_ids.crm_team_id | led.filtered(
                lambda team, user=user: team.user_id == user
            )
            employee.sales_team_id = teams.filtered(
                lambda team, company=company: not team.company_id or team.company_id == company
            )[:1]

    @api.constrains("sales_role", "user_id")
    def _check_sales_role(self):
        """A role is worn by a user (leads are owned by users), and a team
        leader stays a head of sales."""
        problems = [
            self.env._("%(employee)s has a sales role but no user.", employee=employee.name)
            for employee in self
            if employee.sales_role and not employee.user_id
        ]
        not_heads = self.filtered(
            lambda employee: employee.user_id and employee.sales_role not in (False, "head")
        )
        if not_heads:
            teams = self.env["crm.team"].search([("user_id", "in", not_heads.user_id.ids)])
            problems += [
                self.env._(
                    "%(employee)s leads team %(team)s and must stay a head of sales.",
                    employee=employee.name,
                    team=team.name,
                )
                for employee in not_heads
                for team in teams
                if team.user_id == employee.user_id
                and (not team.company_id or team.company_id == employee.company_id)
            ]
        if problems:
            raise ValidationError("\n".join(problems))

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        employees._respread_kpi_targets(employees.user_id)
        return employees

    def write(self, vals):
        if not any(name in vals for name in TARGET_FIELDS):
            return super().write(vals)
        users = self.user_id
        result = super().write(vals)
        self._respread_kpi_targets(users | self.user_id)
        return result

    def unlink(self):
        users = self.user_id
        result = super().unlink()
        self._respread_kpi_targets(users)
        return result

    @api.model
    def _respread_kpi_targets(self, users):
        """A person's targets follow their employee: the calendar (without
        one, the company's) and the adaptation period, which may lie in the
        past, so every period of theirs is spread again."""
        if users:
            self.env["sales.kpi.plan.line"]._respread([("user_id", "in", users.ids)])
