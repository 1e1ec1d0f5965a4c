from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_list

from .column_defaults import set_column_defaults
from .hr_employee import SALES_ROLES


class CrmTeam(models.Model):
    _inherit = "crm.team"

    sales_structure = fields.Selection(
        [
            ("split", "Role-split (hunter → closer → farmer)"),
            ("universal", "Universal (one person, whole cycle)"),
        ],
        string="Structure",
        default="universal",
        required=True,
        help="Role-split: a lead entering a stage whose responsible role differs "
        "from its owner's is handed to a member with that role, and a won "
        "customer goes to a farmer. Universal: one person keeps the lead "
        "through the whole cycle, no hand-off.",
    )
    sales_task_mode = fields.Selection(
        [("off", "Off"), ("warn", "Warn"), ("enforce", "Enforce")],
        "Mandatory Task",
        default="warn",
        required=True,
        help="No deal without a next step. Off: nothing. Warn: new leads get a first "
        "task and leads without one are flagged and counted. Enforce: also, a lead "
        "cannot change stage without a planned activity, and marking its last "
        "activity done schedules the next step.",
    )
    digest_channel_id = fields.Many2one(
        "discuss.channel",
        "Digest channel",
        copy=False,
        help="Discuss channel receiving the team's meeting digests; created on the first one.",
    )
    sales_member_ids = fields.One2many(
        "crm.team.member",
        compute="_compute_sales_member_ids",
        string="Members by Role",
        help="The active members, ordered by sales role, with their open load.",
    )
    # Cuts: which new leads the team takes (empty = no restriction on that axis).
    sales_source_ids = fields.Many2many(
        "utm.source", "crm_team_sales_source_rel", "team_id", "source_id", string="Sources"
    )
    sales_medium_ids = fields.Many2many(
        "utm.medium", "crm_team_sales_medium_rel", "team_id", "medium_id", string="Mediums"
    )
    sales_product_category_ids = fields.Many2many(
        "product.category",
        "crm_team_sales_product_category_rel",
        "team_id",
        "category_id",
        string="Product Categories",
        help="Leads about these categories or their subcategories.",
    )
    sales_country_ids = fields.Many2many(
        "res.country", "crm_team_sales_country_rel", "team_id", "country_id", string="Countries"
    )
    sales_state_ids = fields.Many2many(
        "res.country.state", "crm_team_sales_state_rel", "team_id", "state_id", string="States"
    )
    sales_tag_ids = fields.Many2many(
        "crm.tag", "crm_team_sales_tag_rel", "team_id", "tag_id", string="Customer Tags"
    )
    sales_industry_ids = fields.Many2many(
        "res.partner.industry",
        "crm_team_sales_industry_rel",
        "team_id",
        "industry_id",
        string="Industries",
    )

    @api.depends("crm_team_member_ids.sales_role")
    def _compute_sales_member_ids(self):
        rank = {role: index for index, (role, _label) in enumerate(SALES_ROLES)}
        for team in self:
            team.sales_member_ids = team.crm_team_member_ids.sorted(
                lambda member: (rank.get(member.sales_role, len(rank)), member.user_id.name or "")
            )

    # ------------------------------------------------------------------
    # rules
    # ------------------------------------------------------------------
    @api.constrains("user_id", "company_id")
    def _check_sales_head(self):
        """A team is led by a head of sales; a leader without a sales role is
        tolerated (plain CRM teams) and reported by the organisation check."""
        leaders = self.user_id
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search_fetch(
                [("user_id", "in", leaders.ids), ("sales_role", "!=", False)],
                ["user_id", "company_id", "sales_role"],
            )
        )
        problems = [
            self.env._(
                "Team %(team)s: its leader %(leader)s is a %(role)s, not a head of sales.",
                team=team.name,
                leader=team.user_id.name,
                role=self.env["crm.lead"]._sales_role_label(employee.sales_role),
            )
            for team in self
            for employee in employees
            if employee.user_id == team.user_id
            and (not team.company_id or employee.company_id == team.company_id)
            and employee.sales_role != "head"
        ]
        if problems:
            raise ValidationError("\n".join(problems))

    @api.constrains("user_id")
    def _check_sales_span_of_control(self):
        self._sales_check_span(self.user_id)

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    def _auto_init(self):
        result = super()._auto_init()
        set_column_defaults(self)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._sales_recompute_employee_teams(teams.user_id)
        return teams

    def write(self, vals):
        former_leaders = self.user_id
        result = super().write(vals)
        if "user_id" in vals:
            self._sales_recompute_employee_teams(former_leaders | self.user_id)
        return result

    def _sales_recompute_employee_teams(self, users):
        """Heads belong to the team they lead: its leader is not a dependency
        the ORM can follow from the employee, so it is marked here."""
        employees = self.env["hr.employee"].sudo().search([("user_id", "in", users.ids)])
        self.env.add_to_compute(self.env["hr.employee"]._fields["sales_team_id"], employees)

    # ------------------------------------------------------------------
    # span of control
    # ------------------------------------------------------------------
    @api.model
    def _sales_span_by_head(self, heads):
        """``{head: (salespeople led, teams led)}`` for the given head users."""
        teams = self.sudo().search([("user_id", "in", heads.ids)])
        members = (
            self.env["crm.team.member"]
            .sudo()
            .search_fetch([("crm_team_id", "in", teams.ids)], ["user_id", "crm_team_id"])
        )
        span = {}
        for head in heads:
            led = teams.filtered(lambda team, head=head: team.user_id == head)
            people = members.filtered(lambda member, led=led: member.crm_team_id in led).user_id
            span[head] = (people - head, led)
        return span

    @api.model
    def _sales_span_breaches(self, heads):
        """``[(head, people, teams, company)]`` for heads over their company's limit."""
        breaches = []
        for head, (people, teams) in self._sales_span_by_head(heads).items():
            company = teams.company_id[:1] or self.env.company
            if len(people) > company.sales_span_limit:
                breaches.append((head, people, teams, company))
        return breaches

    @api.model
    def _sales_span_message(self, head, people, teams, company):
        return self.env._(
            "%(head)s leads %(count)s salespeople (teams: %(teams)s); "
            "the span of control is %(limit)s.",
            head=head.name,
            count=len(people),
            teams=format_list(self.env, teams.mapped("name")),
            limit=company.sales_span_limit,
        )

    @api.model
    def _sales_check_span(self, heads):
        """Refuses a team change that puts a head over the limit, naming the
        head, the count and the limit; in "warn" companies logs it on the teams."""
        breaches = self._sales_span_breaches(heads)
        refused = [breach for breach in breaches if breach[3].sales_span_mode == "refuse"]
        if refused:
            raise ValidationError(
                "\n".join(self._sales_span_message(*breach) for breach in refused)
            )
        for breach in breaches:
            breach[2].sudo().message_post(
                body=self._sales_span_message(*breach),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # cuts
    # ------------------------------------------------------------------
    def _sales_cut_axes(self, lead):
        """Per restricted axis of this team, whether ``lead`` falls in it."""
        self.ensure_one()
        axes = []
        if self.sales_source_ids:
            axes.append(lead.source_id in self.sales_source_ids)
        if self.sales_medium_ids:
            axes.append(lead.medium_id in self.sales_medium_ids)
        if self.sales_product_category_ids:
            category = lead.sales_product_category_id
            axes.append(
                any(
                    (category.parent_path or "").startswith(cut.parent_path)
                    for cut in self.sales_product_category_ids
                )
                if category
                else False
            )
        if self.sales_country_ids or self.sales_state_ids:
            axes.append(
                lead.state_id in self.sales_state_ids
                or (
                    lead.country_id in self.sales_country_ids
                    and not (self.sales_state_ids & lead.country_id.state_ids)
                )
            )
        if self.sales_tag_ids or self.sales_industry_ids:
            industry = lead.partner_id.commercial_partner_id.industry_id
            axes.append(
                bool(lead.tag_ids & self.sales_tag_ids)
                or (bool(industry) and industry in self.sales_industry_ids)
            )
        return axes

    def _sales_match_lead(self, lead):
        """The team among ``self`` whose cuts ``lead`` meets, the most specific
        first (most restricted axes), then by sequence; empty if none."""
        matches = []
        for team in self:
            if team.company_id and lead.company_id and team.company_id != lead.company_id:
                continue
            axes = team._sales_cut_axes(lead)
            if axes and all(axes):
                matches.append((-len(axes), team.sequence, team.id, team))
        return min(matches, key=lambda match: match[:3])[3] if matches else self.browse()

    @api.model
    def _sales_teams_with_cuts(self):
        return self.search(
            [
                "|",
                "|",
                "|",
                "|",
                "|",
                "|",
                ("sales_source_ids", "!=", False),
                ("sales_medium_ids", "!=", False),
                ("sales_product_category_ids", "!=", False),
                ("sales_country_ids", "!=", False),
                ("sales_state_ids", "!=", False),
                ("sales_tag_ids", "!=", False),
                ("sales_industry_ids", "!=", False),
            ]
        )

    @api.model
    def _action_update_to_pipeline(self, action):
        """The pipeline a person opens: a head the leads of the teams they
        lead, a director every team's, a salesperson their own (crm's "My
        Pipeline"). New leads default to the person's team, the one they lead
        before the ones they belong to: crm knows only memberships, and would
        tell a leader they are a member of no team."""
        help_text = action.get("help")
        action = super()._action_update_to_pipeline(action)
        user = self.env.user
        team = user._sales_team_by_user(self.env.company).get(user.id, self.browse())
        context = action["context"]
        if team:
            context["default_team_id"] = team.id
            action["help"] = help_text
        if user.has_group("sales_dept_org.group_sales_dept_director"):
            context.pop("search_default_assigned_to_me", None)
        elif team.user_id == user:
            context.pop("search_default_assigned_to_me", None)
            context["search_default_sales_my_teams"] = 1
        return action

    def _sales_digest_readers(self):
        """{team: res.users}: who reads the team's digests: its members, its
        head and the sales directors of its company (administrators read
        every channel without joining it)."""
        directors = (
            self.env.ref("sales_dept_org.group_sales_dept_director")
            .sudo()
            .users.filtered(lambda user: user.active and not user._is_system())
        )
        return {
            team: team.user_id
            | team.member_ids
            | directors.filtered(
                lambda user, team=team: not team.company_id or team.company_id in user.company_ids
            )
            for team in self
        }

    def _sync_digest_channels(self):
        """Gives each team a private channel whose members are the team's
        readers, as they are today. A channel open to all employees (made
        before digests were private) keeps its history for the directors
        only, and a private one replaces it."""
        readers = self._sales_digest_readers()
        Channel = self.env["discuss.channel"].sudo()
        public = self.digest_channel_id.filtered(lambda channel: channel.channel_type == "channel")
        public.group_public_id = self.env.ref("sales_dept_org.group_sales_dept_director")
        missing = self.filtered(lambda team: team.digest_channel_id.channel_type != "group")
        channels = Channel.create(
            [
                {"name": self.env._("Sales: %(team)s", team=team.name), "channel_type": "group"}
                for team in missing
            ]
        )
        for team, channel in zip(missing, channels, strict=True):
            team.digest_channel_id = channel
        for team in self:
            channel = team.digest_channel_id.sudo()
            wanted = readers[team].partner_id
            members = channel.channel_member_ids
            joining = wanted - members.partner_id
            members.filtered(lambda member, wanted=wanted: member.partner_id not in wanted).unlink()
            channel.channel_member_ids = [
                Command.create({"partner_id": partner.id}) for partner in joining
            ]
