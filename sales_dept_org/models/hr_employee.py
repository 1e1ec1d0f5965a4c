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
        help="The team the employee's user leads in the employee's company, "
        "else the team they belong to there.",
    )

    # the phone system names agents by it (sales.call.integration)
    sales_phone_extension = fields.Char(
        "Phone Extension",
        groups="hr.group_hr_user,sales_dept_org.group_sales_dept_admin",
        help="The employee's extension on the company's phone system.",
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
        "user_id.crm_team_member_ids.crm_team_id.company_id",
        "user_id.crm_team_member_ids.crm_team_id.active",
        "user_id.crm_team_member_ids.active",
        "company_id",
    )
    def _compute_sales_team_id(self):
        # the person's team (res.users._sales_team_by_user) in the employee's
        # company; a team's leader is marked for recompute by crm.team
        for company, employees in self.grouped("company_id").items():
            teams = employees.user_id._sales_team_by_user(company)
            for employee in employees:
                employee.sales_team_id = teams.get(employee.user_id.id, False)

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
        employees.filtered("sales_role").user_id._sales_set_home()
        return employees

    def write(self, vals):
        users = self.user_id
        result = super().write(vals)
        if any(name in vals for name in TARGET_FIELDS):
            self._respread_kpi_targets(users | self.user_id)
        if {"sales_role", "user_id"} & set(vals):
            self.filtered("sales_role").user_id._sales_set_home()
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
