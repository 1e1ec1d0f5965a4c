from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# The home each person opens on, by the first of these groups they hold: the
# director the board, heads and salespeople their pipeline (the teams a head
# leads, see crm.team._action_update_to_pipeline), the accountant bonus sheets.
# A sales role without a department group opens on the pipeline too.
PIPELINE_HOME = "crm.action_your_pipeline"
ROLE_HOMES = (
    ("sales_dept_org.group_sales_dept_director", "sales_dept_org.sales_kpi_board_action"),
    ("sales_dept_org.group_sales_dept_salesperson", PIPELINE_HOME),
    ("sales_dept_org.group_sales_dept_accountant", "sales_dept_org.sales_bonus_sheet_action"),
)
# the records that keep a person's sales history: archive the person instead
HISTORY_MODELS = ("sales.discipline.daily", "sales.lead.stage.log", "sales.bonus.line")


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._sales_set_home()
        return users

    def write(self, vals):
        result = super().write(vals)
        if any(key == "groups_id" or key.startswith(("in_group_", "sel_groups_")) for key in vals):
            self._sales_set_home()
        return result

    def _sales_set_home(self):
        """Gives each user the home of their role (``ROLE_HOMES``) when they
        have none yet or the home of another role: a home an administrator
        chose is kept. Odoo's administrators hold the department's groups by
        default, not by choice: their home stays. One write per home."""
        refs = [
            (self.env.ref(group, False), self.env.ref(action, False))
            for group, action in ROLE_HOMES
        ]
        homes = [(group, action.id) for group, action in refs if group and action]
        pipeline = self.env.ref(PIPELINE_HOME, raise_if_not_found=False)
        if not homes or not pipeline:  # the module's data is still loading
            return
        ours = {action_id for _group, action_id in homes}
        system = self.env.ref("base.group_system")
        users = self.sudo().filtered(
            lambda user: user.action_id.id in ours | {False} and system not in user.groups_id
        )
        with_role = set(
            self.env["hr.employee"]
            .sudo()
            .search([("user_id", "in", users.ids), ("sales_role", "!=", False)])
            .user_id.ids
        )
        by_home = defaultdict(list)
        for user in users:
            home = next(
                (action_id for group, action_id in homes if group in user.groups_id),
                pipeline.id if user.id in with_role else False,
            )
            if home and home != user.action_id.id:
                by_home[home].append(user.id)
        for home, user_ids in by_home.items():
            users.browse(user_ids).write({"action_id": home})

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sales_history(self):
        with_history = self.browse().union(
            *(
                user
                for model in HISTORY_MODELS
                for [user] in self.env[model]
                .sudo()
                ._read_group([("user_id", "in", self.ids)], ["user_id"])
            )
        )
        if with_history:
            raise UserError(
                self.env._(
                    "%(users)s: their sales history (pipeline, discipline, pay) is kept, so "
                    "they cannot be deleted; archive them instead.",
                    users=", ".join(with_history.mapped("name")),
                )
            )

    def _sales_team_by_user(self, company=None):
        """{user id: crm.team}: each user's sales team, the one definition of
        "a person's team" (pay lines, instant bonuses, the employee's team,
        discipline counts, ABC-XYZ lines, the money report).

        The team they lead, since a head answers for it; else the team they
        are a member of. Among several, the first team they lead in the
        teams' order (sequence, then id), else their oldest membership (as
        Odoo's ``res.users.sale_team_id``: created first, then id). Only the
        teams of ``company`` and the teams without a company count; without
        ``company``, each user's own company. Archived teams and memberships
        never count. Users without a team are left out, as are users not
        saved yet (a form's new record). One query for all.
        """
        users = self._origin
        if not users:
            return {}
        self.env["crm.team"].flush_model(["user_id", "company_id", "active", "sequence"])
        self.env["crm.team.member"].flush_model(["user_id", "crm_team_id", "active"])
        self.flush_model(["company_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT ON (person.id) person.id, candidate.team_id
                     FROM res_users person
                     JOIN (SELECT team.user_id, team.id AS team_id, 0 AS kind,
                                  team.sequence, NULL::timestamp AS since, team.id AS tie
                             FROM crm_team team
                            WHERE team.user_id IN %(users)s
                        UNION ALL
                           SELECT member.user_id, member.crm_team_id, 1,
                                  0, member.create_date, member.id
                             FROM crm_team_member member
                            WHERE member.active AND member.user_id IN %(users)s
                          ) AS candidate ON candidate.user_id = person.id
                     JOIN crm_team team ON team.id = candidate.team_id
                    WHERE team.active
                      AND (team.company_id IS NULL OR team.company_id = %(company)s)
                 ORDER BY person.id, candidate.kind, candidate.sequence, candidate.since,
                          candidate.tie""",
                users=tuple(users.ids),
                company=company.id if company else SQL.identifier("person", "company_id"),
            )
        )
        teams = {team.id: team for team in self.env["crm.team"].browse(row[1] for row in rows)}
        return {user_id: teams[team_id] for user_id, team_id in rows}
