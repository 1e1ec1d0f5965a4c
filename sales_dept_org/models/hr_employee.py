from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

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
# what a head of sales may set on the people of the teams they lead
TRAINEE_FIELDS = {"is_trainee", "mentor_id", "adaptation_end_date"}
ADAPTATION_PLAN = "sales_dept_org.mail_activity_plan_sales_adaptation"


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
        index="btree_not_null",
        groups="hr.group_hr_user,sales_dept_org.group_sales_dept_admin",
        help="The employee's extension on the company's phone system.",
    )

    # SPEC §8: a trainee's plan is scaled down until the adaptation ends.
    is_trainee = fields.Boolean(
        tracking=True,
        help="Carries a scaled target until the adaptation ends. Marking someone trainee "
        "starts the adaptation plan once.",
    )
    mentor_id = fields.Many2one(
        "hr.employee",
        tracking=True,
        domain="[('company_id', '=', company_id), ('id', '!=', id)]",
        help="A colleague of the same company who trains this trainee; each month the "
        "mentor's bonus sheet pays a share of the trainee's target bonus, tied to the "
        "trainee's attainment.",
    )
    adaptation_end_date = fields.Date(
        tracking=True, help="Last day on which the trainee's targets are scaled down."
    )
    adaptation_started_on = fields.Date(
        "Adaptation plan started",
        readonly=True,
        copy=False,
        help="The day the adaptation plan was started, when the employee was first marked "
        "trainee: marking them trainee again does not start it twice.",
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

    @api.constrains("mentor_id", "company_id")
    def _check_mentor(self):
        """A mentor is someone else, of the trainee's company (the sheet of
        that company pays them)."""
        problems = []
        for employee in self.filtered("mentor_id"):
            if employee.mentor_id == employee:
                problems.append(
                    self.env._("%s cannot be their own mentor.", employee.name),
                )
            elif employee.mentor_id.company_id != employee.company_id:
                problems.append(
                    self.env._(
                        "The mentor of %(employee)s (%(company)s) must work in the same "
                        "company: %(mentor)s works in %(mentor_company)s.",
                        employee=employee.name,
                        company=employee.company_id.name,
                        mentor=employee.mentor_id.name,
                        mentor_company=employee.mentor_id.company_id.name,
                    )
                )
        if problems:
            raise ValidationError("\n".join(problems))

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        employees._respread_kpi_targets(employees.user_id)
        employees.filtered("sales_role").user_id._sales_set_home()
        employees._sales_start_adaptation()
        return employees

    def write(self, vals):
        if self._sales_written_by_head(vals):
            # the head has no HR rights: checked above, written as the system
            return self.sudo().write(vals)
        users = self.user_id
        result = super().write(vals)
        if any(name in vals for name in TARGET_FIELDS):
            self._respread_kpi_targets(users | self.user_id)
        if {"sales_role", "user_id"} & set(vals):
            self.filtered("sales_role").user_id._sales_set_home()
        if vals.get("is_trainee"):
            self._sales_start_adaptation()
        return result

    def unlink(self):
        users = self.user_id
        result = super().unlink()
        self._respread_kpi_targets(users)
        return result

    def _sales_written_by_head(self, vals):
        """Whether a head of sales without HR rights marks people of the teams
        they lead (a director: of any team of their companies) as trainees,
        sets their mentor or their adaptation's end: the one change to an
        employee a head may make. Raises when someone else is among them."""
        user = self.env.user
        if (
            self.env.su
            or not vals
            or not set(vals) <= TRAINEE_FIELDS
            or user.has_group("hr.group_hr_user")
            or not user.has_group("sales_dept_org.group_sales_dept_head")
        ):
            return False
        employees = self.sudo()
        allowed = employees.filtered(
            lambda employee: (
                employee.company_id in self.env.companies
                and employee.sales_team_id
                and (
                    employee.sales_team_id.user_id == user
                    or user.has_group("sales_dept_org.group_sales_dept_director")
                )
            )
        )
        if employees - allowed:
            raise AccessError(
                self.env._(
                    "You may mark as trainees only the people of the teams you lead, not: %s.",
                    ", ".join((employees - allowed).mapped("name")),
                )
            )
        return True

    def _sales_start_adaptation(self):
        """Starts the adaptation plan (mail.activity.plan, Employees ▸
        Configuration ▸ Activity Plans) for the trainees of ``self`` who never
        had it, from today: once per person, however often they are marked
        trainee again. The plan's steps name who does them (the trainee,
        the mentor, the head of the trainee's team); a step nobody can be
        found for refuses the whole change."""
        todo = self.filtered(
            lambda employee: employee.is_trainee and not employee.adaptation_started_on
        )
        plan = self.env.ref(ADAPTATION_PLAN, raise_if_not_found=False)
        if not todo or not plan or not plan.active or not plan.template_ids:
            return
        today = fields.Date.context_today(self)
        Schedule = self.env["mail.activity.schedule"].sudo()
        for employees in todo.sudo().grouped("company_id").values():
            # launched as from the employees' list: the wizard reads the records
            # from the context, and the plan is chosen once it has computed the
            # plans it offers (that computation resets a plan given at creation)
            schedule = Schedule.with_context(
                active_model="hr.employee", active_ids=employees.ids
            ).create({})
            schedule.write({"plan_id": plan.id, "plan_date": today})
            schedule.action_schedule_plan()
        todo.sudo().write({"adaptation_started_on": today})

    @api.model
    def _respread_kpi_targets(self, users):
        """A person's targets follow their employee: the calendar (without
        one, the company's) and the adaptation period, which may lie in the
        past, so every period of theirs is spread again."""
        if users:
            self.env["sales.kpi.plan.line"]._respread([("user_id", "in", users.ids)])
