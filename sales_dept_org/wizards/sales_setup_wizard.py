"""The first hour: a department set up in one go.

From a table of people (team, role, an existing user or a name and an
e-mail) and a table of monthly targets per role and metric, the wizard
builds the users, their employees and roles, the teams with their heads and
members, the shipped stage rules, the default pay scheme of each role and
the first month's plan of each team. Every row is checked first and every
problem reported at once, naming its row; nothing is written when one is
found, and a failure while building rolls the whole set-up back.

Users, employees and teams are created as the superuser: a sales director
organises the department without holding the user, HR or CRM administration
rights; the wizard itself is open to directors and administrators only.
"""

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.safe_eval import safe_eval

from ..models.hr_employee import SALES_ROLES

# the roles a person is planned on, and each one's monthly target per
# metric (by code) for a full member: the shipped schemes' metrics
DEFAULT_TARGETS = [
    ("hunter", "leads_qualified", 40.0),
    ("hunter", "meetings_held", 20.0),
    ("closer", "revenue_won", 100000.0),
    ("closer", "new_customers", 5.0),
    ("farmer", "repeat_purchases", 10.0),
    ("farmer", "payments_received", 80000.0),
    ("universal", "revenue_won", 60000.0),
    ("universal", "new_customers", 3.0),
    ("universal", "repeat_purchases", 5.0),
]
PLANNED_ROLES = [(role, label) for role, label in SALES_ROLES if role != "head"]
# the roles that hand a lead on: a team with one of them is role-split
SPLIT_ROLES = ("hunter", "closer", "farmer")


class SalesSetupWizard(models.TransientModel):
    _name = "sales.setup.wizard"
    _description = "Set Up Your Sales Department"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        "First Month",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="The month of the first plan (any day of it).",
    )
    member_ids = fields.One2many("sales.setup.wizard.member", "wizard_id", string="People")
    target_ids = fields.One2many(
        "sales.setup.wizard.target",
        "wizard_id",
        string="Monthly Targets",
        default=lambda self: self._default_target_ids(),
    )
    apply_stage_rules = fields.Boolean(
        "Apply the Shipped Stage Rules",
        default=True,
        help="Responsible roles, required data, time limits, scripts and checklists "
        "on the standard pipeline stages (editable afterwards).",
    )
    create_schemes = fields.Boolean(
        "Create the Default Pay Schemes",
        default=True,
        help="The shipped scheme of each role the company has none for.",
    )

    @api.model
    def _default_target_ids(self):
        metrics = {
            code: self.env.ref(f"sales_dept_org.kpi_metric_{code}", raise_if_not_found=False)
            for _role, code, _target in DEFAULT_TARGETS
        }
        return [
            Command.create({"role": role, "metric_id": metrics[code].id, "target": target})
            for role, code, target in DEFAULT_TARGETS
            if metrics[code]
        ]

    # ------------------------------------------------------------------
    # checks
    # ------------------------------------------------------------------
    def _check_rows(self):
        """Every problem of the tables, each naming its row, in one list."""
        members = self.member_ids.sorted("sequence")
        errors = [] if members else [self.env._("Add at least one person: a team needs a head.")]
        emails = {}
        for row, member in enumerate(members, start=1):
            who = member.user_id.name or member.name or ""
            if not (member.team_name or "").strip():
                errors.append(
                    self.env._("Row %(row)s (%(who)s): the team is missing.", row=row, who=who)
                )
            if not member.role:
                errors.append(
                    self.env._("Row %(row)s (%(who)s): the role is missing.", row=row, who=who)
                )
            if member.user_id:
                continue
            email = (member.email or "").strip().lower()
            if not (member.name or "").strip():
                errors.append(
                    self.env._("Row %(row)s: pick a user, or type the new person's name.", row=row)
                )
            elif "@" not in email:
                errors.append(
                    self.env._(
                        "Row %(row)s (%(who)s): a new person needs an e-mail, their login.",
                        row=row,
                        who=who,
                    )
                )
            else:
                emails.setdefault(email, []).append(row)
        errors += self._check_emails(emails)
        errors += self._check_people(members)
        errors += self._check_teams(members)
        for row, target in enumerate(self.target_ids, start=1):
            if target.target < 0:
                errors.append(
                    self.env._(
                        "Target row %(row)s (%(role)s, %(metric)s): a target cannot be negative.",
                        row=row,
                        role=target._role_label(),
                        metric=target.metric_id.name,
                    )
                )
        return errors

    def _check_emails(self, emails):
        errors = [
            self.env._(
                "Rows %(rows)s: the same e-mail %(email)s.",
                rows=", ".join(map(str, rows)),
                email=email,
            )
            for email, rows in emails.items()
            if len(rows) > 1
        ]
        taken = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([("login", "in", list(emails))], ["login", "name"])
        )
        errors += [
            self.env._(
                "Row %(row)s: %(email)s is already the login of %(user)s; pick that user instead.",
                row=emails[user.login.lower()][0],
                email=user.login,
                user=user.name,
            )
            for user in taken
            if user.login.lower() in emails
        ]
        return errors

    def _check_people(self, members):
        """A person is set up once: one team, one role."""
        rows = defaultdict(list)
        for row, member in enumerate(members, start=1):
            if member.user_id:
                rows[member.user_id].append(row)
        return [
            self.env._(
                "Rows %(rows)s: %(user)s is set up twice; a person belongs to one team here.",
                rows=", ".join(map(str, found)),
                user=user.name,
            )
            for user, found in rows.items()
            if len(found) > 1
        ]

    def _check_teams(self, members):
        errors = []
        for name, heads in self._team_heads(members).items():
            if not heads:
                errors.append(
                    self.env._(
                        "Team %(team)s has no head: give one of its rows the role Head of Sales.",
                        team=name,
                    )
                )
            elif len(heads) > 1:
                errors.append(
                    self.env._(
                        "Team %(team)s has several heads (rows %(rows)s): keep one.",
                        team=name,
                        rows=", ".join(map(str, heads)),
                    )
                )
        existing = (
            self.env["crm.team"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("name", "in", list(self._team_heads(members))),
                    ("company_id", "in", [self.company_id.id, False]),
                ],
                ["name"],
            )
        )
        errors += [
            self.env._(
                "Team %(team)s already exists: give the new team another name, or add "
                "people to it from its own form.",
                team=team.name,
            )
            for team in existing
        ]
        return errors

    @api.model
    def _team_heads(self, members):
        """{team name: [rows of its heads]}, in the order of the table."""
        heads = {}
        for row, member in enumerate(members, start=1):
            name = (member.team_name or "").strip()
            if name:
                heads.setdefault(name, [])
                if member.role == "head":
                    heads[name].append(row)
        return heads

    # ------------------------------------------------------------------
    # building
    # ------------------------------------------------------------------
    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_dept_org.group_sales_dept_director"):
            raise AccessError(self.env._("Only a sales director sets up the department."))
        errors = self._check_rows()
        if errors:
            raise UserError(
                self.env._("The department cannot be set up yet:\n%s", "\n".join(errors))
            )
        members = self.member_ids.sorted("sequence")
        users = self._prepare_users(members)
        self._prepare_employees(members, users)
        teams = self._create_teams(members, users)
        if self.apply_stage_rules:
            self.env["crm.stage"].sudo()._sales_apply_default_rules()
        if self.create_schemes:
            self.env["sales.bonus.scheme"].sudo()._install_default_schemes(self.company_id)
        self._create_plans(members, users, teams)
        # the board, on every team: the director leads none of the new ones
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_dept_org.sales_kpi_board_action"
        )
        context = safe_eval(action.get("context") or "{}", {"uid": self.env.uid})
        context.pop("search_default_my_teams", None)
        action["context"] = context
        return action

    def _prepare_users(self, members):
        """{member line: res.users}: the picked users, and new internal users
        for the typed people, in one create. Each gets the sales group of
        their role (a head the team head's)."""
        Users = self.env["res.users"].sudo().with_context(no_reset_password=True)
        company = self.company_id
        new = members.filtered(lambda member: not member.user_id)
        created = Users.create(
            [
                {
                    "name": member.name.strip(),
                    "login": member.email.strip().lower(),
                    "email": member.email.strip(),
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                }
                for member in new
            ]
        )
        users = dict(zip(new, created, strict=True))
        users.update({member: member.user_id.sudo() for member in members - new})
        for role_is_head, group in (
            (True, "sales_dept_org.group_sales_dept_head"),
            (False, "sales_dept_org.group_sales_dept_salesperson"),
        ):
            people = Users.browse(
                [
                    user.id
                    for member, user in users.items()
                    if (member.role == "head") is role_is_head
                ]
            )
            missing = people.filtered(lambda user, group=group: not user.has_group(group))
            missing.write({"groups_id": [Command.link(self.env.ref(group).id)]})
            missing.filtered(lambda user: company not in user.company_ids).write(
                {"company_ids": [Command.link(company.id)]}
            )
        return users

    def _prepare_employees(self, members, users):
        """Each person's employee in the company carries their role: the
        existing one is given it, a missing one is created."""
        Employee = self.env["hr.employee"].sudo()
        company = self.company_id
        employees = Employee.search(
            [
                ("user_id", "in", [user.id for user in users.values()]),
                ("company_id", "=", company.id),
            ]
        ).grouped("user_id")
        missing, roles = [], defaultdict(lambda: Employee)
        for member in members:
            user = users[member]
            if user in employees:
                roles[member.role] |= employees[user][:1]
            else:
                missing.append(
                    {
                        "name": user.name,
                        "user_id": user.id,
                        "company_id": company.id,
                        "work_email": user.email,
                        "sales_role": member.role,
                    }
                )
        for role, found in roles.items():
            found.sales_role = role
        Employee.create(missing)

    def _create_teams(self, members, users):
        teams_rows = defaultdict(lambda: self.env["sales.setup.wizard.member"])
        for member in members:
            teams_rows[member.team_name.strip()] |= member
        return (
            self.env["crm.team"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "company_id": self.company_id.id,
                        "user_id": users[rows.filtered(lambda m: m.role == "head")].id,
                        "sales_structure": "split"
                        if any(role in SPLIT_ROLES for role in rows.mapped("role"))
                        else "universal",
                        "crm_team_member_ids": [
                            Command.create({"user_id": users[member].id})
                            for member in rows
                            if member.role != "head"
                        ],
                    }
                    for name, rows in teams_rows.items()
                ]
            )
            .with_env(self.env)
        )

    def _create_plans(self, members, users, teams):
        """Each team's plan for the month: every member's target per metric of
        their role, as typed in the targets table (zero targets left out)."""
        month = self.date_from.replace(day=1)
        month_name = fields.Date.to_string(month)[:7]
        targets = defaultdict(list)
        for target in self.target_ids:
            if target.target:
                targets[target.role].append(target)
        by_name = {team.name: team for team in teams}
        plans = []
        for name, team in by_name.items():
            lines = [
                Command.create(
                    {
                        "user_id": users[member].id,
                        "metric_id": target.metric_id.id,
                        "target": target.target,
                    }
                )
                for member in members
                if member.team_name.strip() == name
                for target in targets[member.role]
            ]
            if lines:
                plans.append(
                    {
                        "name": self.env._("%(team)s, %(month)s", team=name, month=month_name),
                        "company_id": self.company_id.id,
                        "team_id": team.id,
                        "date_from": month,
                        "date_to": month + relativedelta(months=1, days=-1),
                        "line_ids": lines,
                    }
                )
        return self.env["sales.kpi.plan"].create(plans)


class SalesSetupWizardMember(models.TransientModel):
    _name = "sales.setup.wizard.member"
    _description = "Set Up: a Person"
    _order = "sequence, id"

    wizard_id = fields.Many2one("sales.setup.wizard", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    team_name = fields.Char("Team")
    role = fields.Selection(SALES_ROLES, default="universal")
    user_id = fields.Many2one(
        "res.users",
        "Existing User",
        domain="[('share', '=', False)]",
        help="Leave empty to create a new user from the name and e-mail.",
    )
    name = fields.Char(help="The new person's name (when no user is picked).")
    email = fields.Char("E-mail", help="The new person's e-mail, also their login.")


class SalesSetupWizardTarget(models.TransientModel):
    _name = "sales.setup.wizard.target"
    _description = "Set Up: a Monthly Target"
    _order = "id"

    wizard_id = fields.Many2one("sales.setup.wizard", required=True, ondelete="cascade")
    role = fields.Selection(PLANNED_ROLES, required=True)
    metric_id = fields.Many2one("sales.kpi.metric", required=True)
    target = fields.Float(
        "Target per Person", digits=(16, 2), help="The month's target of each person with the role."
    )

    def _role_label(self):
        return dict(self._fields["role"]._description_selection(self.env))[self.role]
