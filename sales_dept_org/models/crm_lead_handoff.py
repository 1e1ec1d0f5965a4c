"""crm.lead: the hunter → closer → farmer hand-off. Who takes a lead entering
a stage worked by another role (decided before the move, written with it),
who keeps a won customer (a farmer), where a new lead goes (the team whose
cuts it meets, the customer's farmer, its stage's role), and the chatter
telling it. The choice among members is ``engine/handoff.py``."""

from collections import defaultdict, namedtuple

from markupsafe import Markup

from odoo import api, models
from odoo.tools import SQL

from ..engine.handoff import Candidate, pick_owners
from .crm_lead import HANDOFF_OFF


class Handoff(namedtuple("Handoff", "owners notes stuck_ids role_label why")):
    """A decided hand-off: ``{lead id: new owner}``, ``[(chatter line, lead
    ids)]``, the ids of the leads nobody can take, the role and the reason."""

    __slots__ = ()

    def by_owner(self):
        lead_ids = defaultdict(list)
        for lead_id, owner in self.owners.items():
            lead_ids[owner].append(lead_id)
        return lead_ids


class CrmLead(models.Model):
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    def init(self):
        """The hand-off's turns: a row per member served, its ticket from a
        sequence, only ever inserted. Concurrent hand-offs in one team
        (several unknown callers at once) then never update the same row,
        which under Odoo's repeatable read would fail all but one of them.
        A member's turn is their highest ticket."""
        self.env.cr.execute(
            SQL(
                """CREATE TABLE IF NOT EXISTS sales_handoff_turn (
                       member_id integer NOT NULL
                           REFERENCES crm_team_member (id) ON DELETE CASCADE,
                       ticket bigserial NOT NULL
                   );
                   CREATE INDEX IF NOT EXISTS sales_handoff_turn_member_ticket_index
                       ON sales_handoff_turn (member_id, ticket DESC)"""
            )
        )
        return super().init()

    @api.depends("user_id", "team_id")
    def _compute_hunter_user_id(self):
        roles = self._sales_memberships(self.team_id, self.user_id)
        for lead in self:
            is_hunter = roles.get((lead.team_id.id, lead.user_id.id)) == "hunter"
            lead.hunter_user_id = lead.hunter_user_id or (lead.user_id if is_hunter else False)

    # ------------------------------------------------------------------
    # the hand-off of a stage change
    # ------------------------------------------------------------------
    def _sales_handoff_moving(self, vals):
        """The leads of ``self`` that ``vals`` moves to another stage."""
        if not vals.get("stage_id") or self.env.context.get(HANDOFF_OFF):
            return self.browse()
        return self.filtered(lambda lead: lead.stage_id.id != vals["stage_id"])

    def _sales_handoff(self, stage):
        """Hands ``self`` (leads that just entered ``stage``) to the stage's
        role or, on a won stage, their customers to a farmer. Batched: the
        number of queries does not depend on the number of leads."""
        if stage.is_won:
            self._sales_handoff_won()
        elif stage.responsible_role:
            self._sales_handoff_to_role(
                stage.responsible_role, self._sales_stage_handoff_why(stage)
            )

    def _sales_handoff_before_move(self, stage, vals):
        """The hand-off of ``self`` (leads ``vals`` moves into ``stage``),
        decided before the move so that the new owners are written with it;
        None when it must wait for the move: a won stage (farmers), or a write
        that also changes what the choice reads (owner, team, company, archive)
        or reopens won leads (owners' loads change with it)."""
        if (
            not self
            or stage.is_won
            or not stage.responsible_role
            or {"user_id", "team_id", "company_id", "active"} & set(vals)
            or any(lead.stage_id.is_won for lead in self)
        ):
            return None
        return self._sales_handoff_takers(stage.responsible_role)._sales_handoff_decide(
            stage.responsible_role, self._sales_stage_handoff_why(stage)
        ) or Handoff({}, [], [], "", "")

    def _sales_stage_handoff_why(self, stage):
        return self.env._(
            "stage %(stage)s is worked by %(role)ss",
            stage=stage.name,
            role=self._sales_role_label(stage.responsible_role),
        )

    def _sales_handoff_to_role(self, role, why):
        self._sales_handoff_takers(role)._sales_give_to(role, why)

    def _sales_handoff_takers(self, role):
        """The leads of ``self`` whose owner must give way to ``role``."""
        leads = self.filtered(lambda lead: lead.active and lead.team_id.sales_structure == "split")
        roles = self._sales_memberships(leads.team_id, leads.user_id)
        # Farmers keep their customers' repeat sales whatever the stage;
        # a universal member keeps what they own.
        keeps = {role, "farmer", "universal"}
        return leads.filtered(
            lambda lead: roles.get((lead.team_id.id, lead.user_id.id)) not in keeps
        )

    def _sales_give_to(self, role, why):
        """Gives each lead of ``self`` to a member of its team with ``role``.
        Leads nobody can take stay, logged, with an activity for the head."""
        handoff = self._sales_handoff_decide(role, why)
        if not handoff:
            return
        for new_owner, lead_ids in handoff.by_owner().items():
            self.browse(lead_ids).write({"user_id": new_owner.id})
        self._sales_handoff_log(handoff)

    def _sales_handoff_decide(self, role, why):
        """Chooses the new owners of ``self`` (see ``_sales_pick``) and the
        chatter lines telling each change, before anything is written."""
        if not self:
            return None
        leads = self.sorted("id")
        owners = self._sales_pick(role, [(lead.id, lead) for lead in leads])
        role_label = self._sales_role_label(role)
        by_change, notes = defaultdict(list), []
        for lead in leads:
            if owners[lead.id]:
                by_change[lead.user_id, owners[lead.id], lead.team_id].append(lead.id)
        weighed = self._sales_darwin_members(
            leads.team_id.filtered("sales_darwin"), self.env["res.users"].union(*owners.values())
        )
        for (old_owner, new_owner, team), lead_ids in by_change.items():
            values = {
                "old": old_owner.name or self.env._("nobody"),
                "new": new_owner.name,
                "why": why,
                "role": role_label,
                "team": team.name,
            }
            member = weighed.get((team.id, new_owner.id))
            weight = f"{member.sales_weight:g}" if member else ""
            notes.append(
                (
                    self.env._(
                        "Handed off from %(old)s to %(new)s: %(why)s; %(new)s had the fewest "
                        "open leads for their weight (weight %(weight)s: %(reason)s) among the "
                        "%(role)ss of team %(team)s with room left.",
                        weight=weight,
                        reason=member.sales_weight_reason,
                        **values,
                    )
                    if member
                    else self.env._(
                        "Handed off from %(old)s to %(new)s: %(why)s; %(new)s had the fewest "
                        "open leads among the %(role)ss of team %(team)s with room left.",
                        **values,
                    ),
                    lead_ids,
                )
            )
        return Handoff(
            {lead_id: owner for lead_id, owner in owners.items() if owner},
            notes,
            [lead.id for lead in leads if not owners[lead.id]],
            role_label,
            why,
        )

    def _sales_handoff_log(self, handoff):
        """Writes the decided hand-off in the chatter, the leads nobody could
        take with an activity for their head."""
        for body, lead_ids in handoff.notes:
            self.browse(lead_ids)._sales_chatter(body)
        self.browse(list(handoff.owners))._sales_remember_handoff(handoff.why)
        self.browse(handoff.stuck_ids)._sales_handoff_stuck(handoff.role_label, handoff.why)

    def _sales_handoff_won(self):
        """Records the closer; the customer of a won lead of a role-split team
        goes to a farmer of the team, unless one of its farmers already keeps
        it. Repeat-sale opportunities follow the customer's farmer (see
        ``_sales_on_create``)."""
        for owner, leads in (
            self.filtered(lambda lead: lead.user_id and not lead.closer_user_id)
            .grouped("user_id")
            .items()
        ):
            leads.write({"closer_user_id": owner.id})
        leads = self.filtered(
            lambda lead: lead.team_id.sales_structure == "split" and lead.partner_id
        )
        roles = self._sales_memberships(
            leads.team_id, leads.partner_id.commercial_partner_id.user_id
        )
        first_lead = {}  # one farmer per customer: its first lead decides the team
        for lead in leads.sorted("id"):
            customer = lead.partner_id.commercial_partner_id
            if roles.get((lead.team_id.id, customer.user_id.id)) != "farmer":
                first_lead.setdefault(customer, lead)
        farmers = self._sales_pick("farmer", list(first_lead.items()))
        by_farmer, stuck = defaultdict(list), []
        for customer, lead in first_lead.items():
            farmer = farmers[customer]
            if not farmer:
                stuck.append(lead.id)
                continue
            by_farmer[farmer].append(customer.id)
            lead._sales_chatter(
                self.env._(
                    "Won by %(closer)s. The customer %(customer)s goes to farmer %(farmer)s "
                    "(fewest open leads among the farmers of team %(team)s with room left), "
                    "who owns its repeat sales from now on.",
                    closer=lead.user_id.name or self.env._("nobody"),
                    customer=customer.name,
                    farmer=farmer.name,
                    team=lead.team_id.name,
                )
            )
        for farmer, customer_ids in by_farmer.items():
            self.env["res.partner"].browse(customer_ids).write({"user_id": farmer.id})
        self.browse(stuck)._sales_handoff_stuck(
            self._sales_role_label("farmer"), self.env._("a won customer is kept by a farmer")
        )

    @api.model
    def _sales_unowned_vals(self, vals_list):
        """``vals_list`` with no owner where the caller named none. crm makes
        the current user own a lead created without ``user_id`` (RPC, import,
        mail gateway), whatever their team; such a lead reached the CRM without
        a person and is routed as one (see ``_sales_on_create``). A form names
        its owner (the default it shows), a ``default_user_id`` in the context
        still applies, and so does crm's default with the hand-off off."""
        if "default_user_id" in self.env.context or self.env.context.get(HANDOFF_OFF):
            return vals_list
        return [vals if "user_id" in vals else dict(vals, user_id=False) for vals in vals_list]

    def _sales_on_create(self, routed, owner_given_ids, owner_unnamed_ids):
        """New leads: ``routed`` ones (no team given) go to the team whose cuts
        they meet, else, when the caller named no owner at all (crm would have
        made the caller own them), to the creator's default team; a lead
        created explicitly without owner nor team waits for Odoo's lead
        assignment. Repeat sales go to the customer's farmer; leads of
        role-split teams still without an owner go to the role of their stage
        (hunter by default)."""
        teams = self.env["crm.team"].sudo()._sales_teams_with_cuts()
        by_team, default_teams = defaultdict(list), {}
        for lead in routed:
            team = teams._sales_match_lead(lead)
            if not team and not lead.team_id and not lead.user_id and lead.id in owner_unnamed_ids:
                if lead.type not in default_teams:
                    default_teams[lead.type] = self._sales_default_team(lead.type)
                team = default_teams[lead.type]
            if team and team != lead.team_id:
                by_team[team, lead.id in owner_given_ids].append(lead.id)
        for (team, keep_owner), lead_ids in by_team.items():
            vals = {"team_id": team.id}
            if not keep_owner:
                vals["user_id"] = False
            self.browse(lead_ids).write(vals)
        split = self.filtered(lambda lead: lead.team_id.sales_structure == "split")
        customers = split.partner_id.commercial_partner_id
        roles = self._sales_memberships(split.team_id, customers.user_id)
        by_farmer = defaultdict(list)
        for lead in split:
            farmer = lead.partner_id.commercial_partner_id.user_id
            if roles.get((lead.team_id.id, farmer.id)) == "farmer" and lead.user_id != farmer:
                by_farmer[farmer].append(lead.id)
        for farmer, lead_ids in by_farmer.items():
            repeat = self.browse(lead_ids)
            repeat._sales_chatter(
                self.env._(
                    "Repeat sale: the customer is kept by farmer %(farmer)s.", farmer=farmer.name
                )
            )
            repeat.write({"user_id": farmer.id})
            repeat._sales_remember_handoff(
                self.env._("the customer's repeat sales are kept by their farmer")
            )
        for role, leads in (
            split.filtered(lambda lead: not lead.user_id)
            .grouped(lambda lead: lead.stage_id.responsible_role or "hunter")
            .items()
        ):
            leads._sales_give_to(
                role,
                self.env._(
                    "a new lead starts with the %(role)ss", role=self._sales_role_label(role)
                ),
            )

    @api.model
    def _sales_default_team(self, lead_type):
        """The team crm gives the creator's new leads of ``lead_type`` (their
        own team, else the first of their company), read with their rights."""
        use = "use_leads" if lead_type == "lead" else "use_opportunities"
        return self.env["crm.team"].sudo(False)._get_default_team_id(domain=[(use, "=", True)])

    def _sales_handoff_stuck(self, role_label, why):
        """Nobody can take these leads: they stay; the chatter says why and the
        team's head gets an activity on each."""
        if not self:
            return
        self._message_log_batch(
            {
                lead.id: self.env._(
                    "No hand-off: %(why)s, but no %(role)s of team %(team)s has room left "
                    "(or the team has none); the lead stays with %(owner)s.",
                    why=why,
                    role=role_label,
                    team=lead.team_id.name,
                    owner=lead.user_id.name or self.env._("nobody"),
                )
                for lead in self
            }
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "user_id": lead.team_id.user_id.id,
                    "activity_type_id": todo.id,
                    "summary": self.env._("Hand-off: no %(role)s available", role=role_label),
                }
                for lead in self
                if lead.team_id.user_id
            ]
        )

    # ------------------------------------------------------------------
    # choosing among the members, telling the chatter
    # ------------------------------------------------------------------
    @api.model
    def _sales_pick(self, role, requests):
        """Chooses, for each ``(key, lead)`` of ``requests``, a member of the
        lead's team with ``role`` allowed in the lead's company: fewest open
        leads (for their weight in a Darwin team), ties by round robin, members
        at capacity skipped (see ``engine/handoff.py``). Returns ``{key: user
        or empty}``."""
        leads = self.browse([lead.id for _key, lead in requests])
        members = (
            self.env["crm.team.member"]
            .sudo()
            .search_fetch(
                [("crm_team_id", "in", leads.team_id.ids)],
                ["crm_team_id", "user_id", "sales_capacity", "sales_weight"],
                order="id",
            )
        )
        # The role is worn in a company: a closer of company B is no closer
        # for the leads of company A, even in a team without a company.
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search_fetch(
                [("user_id", "in", members.user_id.ids), ("sales_role", "=", role)],
                ["user_id", "company_id"],
            )
        )
        role_companies = defaultdict(set)
        for employee in employees:
            role_companies[employee.user_id.id].add(employee.company_id.id)
        members = members.filtered(lambda member: member.user_id.id in role_companies)
        loads = self._sales_open_lead_counts(members.user_id)
        turns = self._sales_handoff_turns(members)
        pools, pool_requests = {}, []
        for key, lead in requests:
            company = lead.company_id or lead.team_id.company_id
            pool_key = (lead.team_id.id, company.id)
            pool_requests.append((key, pool_key))
            if pool_key not in pools:
                pools[pool_key] = [
                    Candidate(
                        member.id,
                        loads.get(member.user_id.id, 0),
                        member.sales_capacity,
                        turns.get(member.id, 0),
                        member.sales_weight if lead.team_id.sales_darwin else 1.0,
                    )
                    for member in members
                    if member.crm_team_id == lead.team_id
                    and (not company or company.id in role_companies[member.user_id.id])
                ]
        owners, tickets = pick_owners(pool_requests, pools)
        self._sales_handoff_take_turns(tickets)
        users = {member.id: member.user_id for member in members}
        no_one = self.env["res.users"]
        return {key: users[owner] if owner else no_one for key, owner in owners.items()}

    @api.model
    def _sales_handoff_turns(self, members):
        """``{membership id: turn}``: the highest ticket of each of
        ``members`` (none for who was never served), one index lookup each."""
        if not members:
            return {}
        return dict(
            self.env.execute_query(
                SQL(
                    """SELECT member.id, turn.ticket
                         FROM unnest(%s::integer[]) AS member(id)
                         CROSS JOIN LATERAL (
                               SELECT ticket FROM sales_handoff_turn
                                WHERE member_id = member.id
                                ORDER BY ticket DESC LIMIT 1) AS turn""",
                    members.ids,
                )
            )
        )

    @api.model
    def _sales_handoff_take_turns(self, tickets):
        """Records the turns ``pick_owners`` gave (``{membership id: ticket}``):
        new tickets from the sequence, in the order of the given ones."""
        if tickets:
            self.env.cr.execute(
                SQL(
                    """INSERT INTO sales_handoff_turn (member_id)
                       SELECT turn.id FROM (VALUES %s) AS turn(id, ticket)
                        ORDER BY turn.ticket""",
                    SQL(", ").join(SQL("(%s, %s)", *item) for item in tickets.items()),
                )
            )

    @api.autovacuum
    def _gc_sales_handoff_turns(self):
        """Only a member's last turn counts: the older ones go (daily)."""
        self.env.cr.execute(
            SQL(
                """DELETE FROM sales_handoff_turn AS old
                    WHERE EXISTS (SELECT 1 FROM sales_handoff_turn AS newer
                                   WHERE newer.member_id = old.member_id
                                     AND newer.ticket > old.ticket)"""
            )
        )

    @api.model
    def _sales_team_members(self, teams, users, fnames):
        """``{(team id, user id): membership}`` of ``users`` in ``teams`` (the
        active ones), with ``fnames`` read: one query, none without both."""
        if not teams or not users:
            return {}
        members = (
            self.env["crm.team.member"]
            .sudo()
            .search_fetch(
                [("crm_team_id", "in", teams.ids), ("user_id", "in", users.ids)],
                ["crm_team_id", "user_id", *fnames],
            )
        )
        return {(member.crm_team_id.id, member.user_id.id): member for member in members}

    @api.model
    def _sales_darwin_members(self, teams, users):
        """``{(team id, user id): membership}`` in the Darwin teams ``teams``,
        with their weights."""
        return self._sales_team_members(
            teams,
            users,
            [
                "sales_weight",
                "sales_weight_month",
                "sales_weight_attainment",
                "sales_weight_planned",
            ],
        )

    @api.model
    def _sales_memberships(self, teams, users):
        """``{(team id, user id): sales role}`` of the active memberships."""
        members = self._sales_team_members(teams, users, ["sales_role"])
        return {key: member.sales_role for key, member in members.items()}

    @api.model
    def _sales_open_lead_counts(self, users):
        """``{user id: open leads}``: active and not won, in one grouped query."""
        if not users:
            return {}
        groups = self.sudo()._read_group(
            [
                ("user_id", "in", users.ids),
                "|",
                ("stage_id", "=", False),
                ("stage_id.is_won", "=", False),
            ],
            ["user_id"],
            ["__count"],
        )
        return {user.id: count for user, count in groups}

    def _sales_chatter(self, body):
        """Writes ``body`` in the chatter of ``self``: inside the tracking
        message of the change (one message per lead, as for any tracked
        change), or as its own note where tracking is off (by context, or for
        leads created in this transaction)."""
        initial = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {})
        if self.env.context.get("mail_notrack") or self.env.context.get("tracking_disable"):
            untracked = self
        else:
            untracked = self.filtered(lambda lead: lead.id in initial and initial[lead.id] is None)
        if untracked:
            untracked._message_log_batch(dict.fromkeys(untracked.ids, body))
        # Two hand-offs in one transaction share one tracking message: keep both.
        pending = self.env.cr.precommit.data.get(f"mail.tracking.message.{self._name}", {})
        for previous, leads in (
            (self - untracked).grouped(lambda lead: pending.get(lead.id, "")).items()
        ):
            leads._track_set_log_message(
                Markup("{}<br/>{}").format(previous, body) if previous else body
            )

    @api.model
    def _sales_role_label(self, role):
        selection = self.env["hr.employee"]._fields["sales_role"]._description_selection(self.env)
        return dict(selection)[role].lower()
