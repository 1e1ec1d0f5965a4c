from odoo import api, fields, models

VIOLATIONS = [
    ("span", "Head over the span of control"),
    ("no_team", "Salesperson without a team"),
    ("no_role", "Salesperson without a role"),
    ("no_head", "Team without a head"),
]


class SalesOrganisationCheck(models.TransientModel):
    _name = "sales.organisation.check"
    _description = "Sales Organisation Check"

    company_ids = fields.Many2many(
        "res.company", string="Companies", default=lambda self: self.env.companies
    )
    line_ids = fields.One2many("sales.organisation.check.line", "check_id", string="Violations")
    violation_count = fields.Integer(compute="_compute_violation_count")

    @api.depends("line_ids")
    def _compute_violation_count(self):
        for check in self:
            check.violation_count = len(check.line_ids)

    @api.model
    def action_run(self):
        """Opens a fresh check of the companies the user works in."""
        check = self.create({})
        check._run()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Organisation Check"),
            "res_model": self._name,
            "res_id": check.id,
            "view_mode": "form",
            "target": "current",
        }

    def _run(self):
        self.ensure_one()
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(vals) for vals in self._violations()
        ]

    def _violations(self):
        """Every breach of the organisation, one line each, in one pass per kind."""
        companies = self.company_ids
        teams = self.env["crm.team"].sudo().search([("company_id", "in", companies.ids + [False])])
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search([("company_id", "in", companies.ids), ("sales_role", "!=", False)])
        )
        lines = []
        Team = self.env["crm.team"]
        for head, people, led, company in Team._sales_span_breaches(teams.user_id):
            lines.append(
                {
                    "kind": "span",
                    "user_id": head.id,
                    "team_id": led[:1].id,
                    "message": Team._sales_span_message(head, people, led, company),
                }
            )
        for employee in employees.filtered(
            lambda emp: emp.sales_role != "head" and not emp.sales_team_id
        ):
            lines.append(
                {
                    "kind": "no_team",
                    "user_id": employee.user_id.id,
                    "message": self.env._(
                        "%(name)s has a sales role but no team.", name=employee.name
                    ),
                }
            )
        for member in teams.crm_team_member_ids.filtered(lambda member: not member.sales_role):
            lines.append(
                {
                    "kind": "no_role",
                    "user_id": member.user_id.id,
                    "team_id": member.crm_team_id.id,
                    "message": self.env._(
                        "%(name)s is a member of team %(team)s without a sales role.",
                        name=member.user_id.name,
                        team=member.crm_team_id.name,
                    ),
                }
            )
        heads = employees.filtered(lambda emp: emp.sales_role == "head")
        for team in teams:
            led_by_head = heads.filtered(
                lambda emp, team=team: (
                    emp.user_id == team.user_id
                    and (not team.company_id or emp.company_id == team.company_id)
                )
            )
            if not led_by_head:
                lines.append(
                    {
                        "kind": "no_head",
                        "user_id": team.user_id.id,
                        "team_id": team.id,
                        "message": self.env._(
                            "Team %(team)s has no head of sales.", team=team.name
                        ),
                    }
                )
        return lines


class SalesOrganisationCheckLine(models.TransientModel):
    _name = "sales.organisation.check.line"
    _description = "Sales Organisation Check Violation"
    _order = "kind, id"

    check_id = fields.Many2one("sales.organisation.check", required=True, ondelete="cascade")
    kind = fields.Selection(VIOLATIONS, required=True)
    user_id = fields.Many2one("res.users", string="Person")
    team_id = fields.Many2one("crm.team")
    message = fields.Char(required=True)
