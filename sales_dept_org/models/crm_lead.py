"""crm.lead: regulated stages, "no deal without a task", the stage log and
the hunter → closer → farmer hand-off.

Every path that changes a stage (form, kanban, mass edit, import, RPC, the
Won button, merge, conversion) ends in ``write``; each concern below is a
recordset method called once per write, so the number of queries does not
grow with the number of leads moved. Order inside ``write``: the stage rules
check the move, the hand-off to the stage's role chooses the new owners, the
move is written with them (one write per new owner), the stage log records
it with the new owners and the chatter tells who handed what to whom. Only a
won stage, or a write that also changes the owner, team, company or archive,
hands off after the move (the open log row then follows the new owner).
"""

from collections import defaultdict, namedtuple
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, create_index

from ..engine.handoff import Candidate, pick_owners
from ..engine.stage_moves import classify_move

# Context keys: the reason a head gives to override the stage rules, and a
# switch for administrators (bulk repairs, benchmarks) that skips the checks.
OVERRIDE_REASON_KEY = "sales_stage_override_reason"
RULES_OFF_KEY = "sales_stage_rules_off"
STUCK_ALERT_TYPE = "sales_dept_org.mail_activity_type_stuck_lead"
OVERDUE_REFRESHED_PARAM = "sales_dept_org.overdue_refreshed_on"
# Context key turning the hand-off off (imports, benchmarks, migrations).
HANDOFF_OFF = "sales_handoff_off"
# Context key of the hand-off's own write: only the owner changes with the stage.
OWNER_ONLY_CHANGE = "sales_handoff_owner_only"


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
    _inherit = "crm.lead"

    has_no_task = fields.Boolean(
        "Without a Task",
        compute="_compute_sales_task_flags",
        store=True,
        index=True,
        help="An open lead with no planned activity.",
    )
    has_overdue_task = fields.Boolean(
        "Overdue Task",
        compute="_compute_sales_task_flags",
        store=True,
        index=True,
        help="An open lead with an activity past its deadline (refreshed daily).",
    )
    is_stuck = fields.Boolean(
        "Stuck",
        index=True,
        copy=False,
        readonly=True,
        help="The lead stayed in its stage longer than the stage allows; set by "
        "the daily discipline job, cleared when the lead moves or is lost.",
    )
    sales_stage_script = fields.Html(related="stage_id.sales_script", string="Stage Script")
    sales_stage_checklist = fields.Html(
        related="stage_id.sales_checklist", string="Stage Checklist"
    )
    sales_stage_log_ids = fields.One2many("sales.lead.stage.log", "lead_id", "Stage History")

    def _auto_init(self):
        result = super()._auto_init()
        # The daily job looks for newly stuck leads among the open unflagged
        # ones; the predicate is the SQL the ORM writes for its domain.
        create_index(
            self.env.cr,
            "crm_lead_sales_stuck_candidate_idx",
            self._table,
            ["stage_id", "date_last_stage_update"],
            where='"active" = TRUE AND ("is_stuck" IS NULL OR "is_stuck" = FALSE)',
        )
        return result

    @api.depends(
        "active",
        "stage_id.is_won",
        "activity_ids.date_deadline",
        "activity_ids.active",
        "activity_ids.activity_type_id",
    )
    def _compute_sales_task_flags(self):
        """The head's "stuck deal" alert is not the owner's next step: it does not count."""
        today = fields.Date.context_today(self)
        stuck_alert = self.env.ref(STUCK_ALERT_TYPE, raise_if_not_found=False)
        for lead in self:
            is_open = lead.active and not lead.stage_id.is_won
            activities = lead.activity_ids.filtered(
                lambda activity: activity.activity_type_id != stuck_alert
            )
            lead.has_no_task = is_open and not activities
            lead.has_overdue_task = is_open and any(
                activity.date_deadline < today for activity in activities
            )

    hunter_user_id = fields.Many2one(
        "res.users",
        string="Hunter",
        compute="_compute_hunter_user_id",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        index="btree_not_null",
        help="The hunter who sourced the lead: the first owner who was a hunter "
        "of its team. Kept when the lead moves on; pay depends on it.",
    )
    closer_user_id = fields.Many2one(
        "res.users",
        string="Closer",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Who owned the lead when it was won.",
    )
    sales_product_category_id = fields.Many2one(
        "product.category",
        string="Product Category",
        help="What the customer is interested in; teams may be cut by category.",
    )

    @api.depends("user_id", "team_id")
    def _compute_hunter_user_id(self):
        roles = self._sales_memberships(self.team_id, self.user_id)
        for lead in self:
            is_hunter = roles.get((lead.team_id.id, lead.user_id.id)) == "hunter"
            lead.hunter_user_id = lead.hunter_user_id or (lead.user_id if is_hunter else False)

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        routed = [
            not vals.get("team_id") and not self.env.context.get("default_team_id")
            for vals in vals_list
        ]
        owner_given = [bool(vals.get("user_id")) for vals in vals_list]
        leads = super().create(vals_list)
        leads.browse(
            [lead.id for lead, vals in zip(leads, vals_list, strict=True) if vals.get("stage_id")]
        )._sales_check_entry_on_create()
        leads._sales_stage_log_open()
        if not self.env.context.get(HANDOFF_OFF):
            leads.sudo().with_context(mail_auto_subscribe_no_notify=True)._sales_on_create(
                leads.browse([lead.id for lead, route in zip(leads, routed, strict=True) if route]),
                {lead.id for lead, given in zip(leads, owner_given, strict=True) if given},
            )
        # After routing, so the first task goes to the owner the lead ends with.
        leads._sales_create_first_tasks()
        return leads

    def write(self, vals):
        moving = self.browse()
        restored = self.browse()
        override = False
        if "stage_id" in vals:
            moving = self.filtered(lambda lead: lead.stage_id.id != vals["stage_id"])
        if vals.get("active") and "stage_id" not in vals:
            restored = self.filtered(lambda lead: not lead.active)
        converted = (
            self.filtered(lambda lead: lead.type == "lead") - moving
            if vals.get("type") == "opportunity"
            else self.browse()
        )
        if moving or restored or converted:
            target = self.env["crm.stage"].browse(vals.get("stage_id"))
            checks = [(lead, lead.stage_id, target) for lead in moving]
            checks += [(lead, lead.stage_id, lead.stage_id) for lead in restored + converted]
            override = self._sales_check_stage_rules(checks, vals)
        from_stages = {lead.id: lead.stage_id for lead in moving}
        leaving = self.filtered("active") if vals.get("active") is False else self.browse()
        unstuck = (moving | leaving).filtered("is_stuck")
        handing_off = self._sales_handoff_moving(vals)
        stage = self.env["crm.stage"].browse(vals.get("stage_id"))
        handoff = handing_off.sudo()._sales_handoff_before_move(stage, vals)

        if handoff and handoff.owners:
            # The move is checked with the user's rights, the reassignment is
            # the system's, as it would be in a hand-off after the move.
            self.check_access("write")
            self.check_field_access_rights("write", list(vals))
            for leads, leads_vals in self._sales_writes_with_owners(vals, handoff.owners):
                super(CrmLead, leads).write(leads_vals)
            self._sales_subscribe_owners(handoff.owners)
            result = True
        else:
            result = super().write(vals)

        if leaving:
            leaving._sales_stage_log_close()
        if unstuck:
            # A lead that moves or is lost is no longer stuck (only those).
            super(CrmLead, unstuck).write({"is_stuck": False})
        if moving:
            moving._sales_stage_log_move(from_stages, override)
            moving._sales_warn_without_task()
        if restored:
            restored._sales_stage_log_open(from_current=True)
        if {"user_id", "team_id"} & set(vals):
            (self - moving - restored)._sales_stage_log_follow_owner()
        if handoff is not None:
            handing_off.sudo()._sales_handoff_log(handoff)
        elif handing_off:
            handing_off.sudo().with_context(mail_auto_subscribe_no_notify=True)._sales_handoff(
                stage
            )
        return result

    def _sales_writes_with_owners(self, vals, owners):
        """Yields ``(leads, vals)``: ``vals`` with each lead's new owner
        folded in, one write per new owner, so the owner changes with the
        stage (Odoo's own work on a new owner done once, the stage log rows
        born right) instead of in a second write. The caller writes each pair
        while the generator holds the protection of what the owner leaves
        unchanged (see ``_sales_unchanged_by_owner``)."""
        by_owner = defaultdict(list)
        for lead in self:
            by_owner[owners.get(lead.id)].append(lead.id)
        for owner, lead_ids in by_owner.items():
            leads = self.browse(lead_ids)
            if not owner:
                yield leads, dict(vals)
                continue
            leads = leads.sudo().with_context(
                mail_auto_subscribe_no_notify=True, **{OWNER_ONLY_CHANGE: True}
            )
            with self.env.protecting(leads._sales_unchanged_by_owner(owner)):
                yield leads, dict(vals, user_id=owner.id)

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        # The hand-off subscribes its new owners itself, for all leads at once.
        if self.env.context.get(OWNER_ONLY_CHANGE):
            return []
        return super()._message_auto_subscribe_followers(updated_values, default_subtype_ids)

    def _sales_subscribe_owners(self, owners):
        """Each new owner follows their leads, as Odoo subscribes a new
        salesperson (an active user, the model's default subtypes, an existing
        follower kept as is), in one query: the ORM creates followers one by
        one, the only cost of a hand-off that would grow with the leads."""
        pairs = [
            (lead_id, owner.partner_id.id) for lead_id, owner in owners.items() if owner.active
        ]
        if not pairs:
            return
        subtype_ids = self.env["mail.message.subtype"]._get_auto_subscription_subtypes(self._name)[
            1
        ]
        self.env.cr.execute(
            SQL(
                """WITH new_follower AS (
                       INSERT INTO mail_followers (res_model, res_id, partner_id)
                       SELECT %(model)s, pair.res_id, pair.partner_id
                         FROM unnest(%(res_ids)s::int[], %(partner_ids)s::int[])
                              AS pair(res_id, partner_id)
                       ON CONFLICT (res_model, res_id, partner_id) DO NOTHING
                       RETURNING id
                   )
                   INSERT INTO mail_followers_mail_message_subtype_rel
                               (mail_followers_id, mail_message_subtype_id)
                   SELECT new_follower.id, subtype.id
                     FROM new_follower, unnest(%(subtype_ids)s::int[]) AS subtype(id)""",
                model=self._name,
                res_ids=[res_id for res_id, _partner in pairs],
                partner_ids=[partner_id for _res_id, partner_id in pairs],
                subtype_ids=list(subtype_ids),
            )
        )
        self.browse(list(owners)).invalidate_recordset(
            ["message_follower_ids", "message_partner_ids"]
        )

    def _sales_unchanged_by_owner(self, owner):
        """[(fields, leads)]: what Odoo would recompute on ``self`` for the new
        ``owner`` and provably find unchanged, so it is not recomputed: the
        team (the owner is one of its members, see ``_sales_pick``) and so the
        properties its definition gives (re-read in batches of a thousand), the
        company where the owner may work in it and it agrees with the team
        (crm's ``_compute_company_id`` keeps it then), and a hunter already
        recorded (``_compute_hunter_user_id`` keeps it)."""
        allowed = set(owner.company_ids.ids)
        keeps_company = self.filtered(
            lambda lead: (
                lead.company_id.id in allowed
                and lead.team_id.company_id.id in (lead.company_id.id, False)
            )
        )
        return [
            ([self._fields["team_id"], self._fields["lead_properties"]], self),
            ([self._fields["company_id"]], keeps_company),
            ([self._fields["hunter_user_id"]], self.filtered("hunter_user_id")),
        ]

    def _check_company(self, fnames=None):
        # A hand-off changes the owner alone (with the stage, which has no
        # company): the other relations were consistent and stay so.
        if fnames is None and self.env.context.get(OWNER_ONLY_CHANGE):
            fnames = ["user_id"]
        return super()._check_company(fnames)

    # ------------------------------------------------------------------
    # Stage rules
    # ------------------------------------------------------------------
    def _sales_rules_off(self):
        """Administrators (and the superuser) may skip the checks by context."""
        return self.env.context.get(RULES_OFF_KEY) and (
            self.env.su or self.env.user.has_group("sales_dept_org.group_sales_dept_admin")
        )

    def _sales_check_entry_on_create(self):
        """A lead created into a stage it names (import, RPC) must meet its entry fields.

        Only the fields: a new lead has no history to skip or activities to have
        done, and the first task comes right after creation. A lead landing in
        the default first stage (web form, e-mail) is never refused.
        """
        if self._sales_rules_off():
            return
        checks = [(lead, lead.stage_id, lead.stage_id) for lead in self if lead.stage_id]
        checks = [check for check in checks if check[2].sudo().sales_required_field_ids]
        if checks:
            self._sales_check_stage_rules(checks, {}, creating=True)

    def _sales_check_stage_rules(self, checks, vals, creating=False):
        """Checks every (lead, from stage, to stage) of one write and raises once.

        Returns the override reason when a team head let violations through,
        else False. ``vals`` are the values written with the move: a field filled
        in the same save counts as filled.
        """
        if self._sales_rules_off():
            return False
        problems = self._sales_stage_violations(checks, vals, creating=creating)
        if not problems:
            return False
        reason = (self.env.context.get(OVERRIDE_REASON_KEY) or "").strip()
        if reason and not creating:
            if not self.env.user.has_group("sales_dept_org.group_sales_dept_head"):
                raise UserError(self.env._("Only a team head may override the stage rules."))
            self._sales_log_override(problems, reason)
            return reason
        lines = [
            self.env._(
                '- "%(lead)s": %(problems)s', lead=lead.display_name, problems="; ".join(items)
            )
            for lead, items in problems.items()
        ]
        raise UserError(
            self.env._(
                "The stage change is refused for %(count)s lead(s); nothing was changed.\n"
                "%(lines)s\n"
                "A team head may override with a reason (Override Stage).",
                count=len(problems),
                lines="\n".join(lines),
            )
        )

    def _sales_stage_violations(self, checks, vals, creating=False):
        """{lead: [problem, ...]} for the given moves, read in a fixed number of queries."""
        # Stage rules are configuration: read them whoever moves the lead.
        checks = [
            (lead, from_stage.sudo(), to_stage.sudo()) for lead, from_stage, to_stage in checks
        ]
        leads = self.browse([lead.id for lead, _from, _to in checks])
        pipelines = leads._sales_pipelines()
        done_types = leads._sales_done_activity_types(
            {from_stage for _lead, from_stage, to_stage in checks if from_stage != to_stage}
        )
        problems = defaultdict(list)
        for lead, from_stage, to_stage in checks:
            items = problems[lead]
            missing = [
                field.field_description
                for field in to_stage.sales_required_field_ids.sorted("field_description")
                if not lead._sales_value_filled(field.name, vals)
            ]
            if missing:
                items.append(
                    self.env._(
                        "%(stage)s needs %(fields)s", stage=to_stage.name, fields=", ".join(missing)
                    )
                )
            if from_stage == to_stage or creating:
                continue
            move = classify_move(pipelines[lead.team_id.id], from_stage.id, to_stage.id)
            if move.direction == "back" and not from_stage.sales_allow_back:
                items.append(
                    self.env._("moving back from %(stage)s is not allowed", stage=from_stage.name)
                )
            if move.skipped and not from_stage.sales_allow_skip:
                skipped = self.env["crm.stage"].browse(move.skipped)
                items.append(
                    self.env._(
                        "cannot skip %(stages)s from %(stage)s",
                        stages=", ".join(skipped.mapped("name")),
                        stage=from_stage.name,
                    )
                )
            # Going back (to re-qualify, say) needs nothing done; moving on does.
            undone = (
                from_stage.sales_required_activity_type_ids.filtered(
                    lambda activity_type, lead=lead: activity_type.id not in done_types[lead.id]
                )
                if move.direction != "back"
                else from_stage.browse()
            )
            if undone:
                items.append(
                    self.env._(
                        "not done before leaving %(stage)s: %(types)s",
                        stage=from_stage.name,
                        types=", ".join(undone.mapped("name")),
                    )
                )
            if (
                lead.team_id.sales_task_mode == "enforce"
                and lead.active
                and not to_stage.is_won
                and lead.has_no_task
            ):
                items.append(self.env._("no planned activity (the team requires a next step)"))
        return {lead: items for lead, items in problems.items() if items}

    def _sales_value_filled(self, fname, vals):
        if fname not in vals:
            return bool(self[fname])
        value = vals[fname]
        if self._fields[fname].type in ("many2many", "one2many"):
            # Commands written with the move: what the field holds once applied.
            return bool(self.new({fname: value})[fname])
        return bool(value)

    def _sales_pipelines(self):
        """{team id: [stage ids in order]}: the stages each team sees (its own and shared)."""
        team_ids = set(self.mapped("team_id").ids) | {False}
        stages = self.env["crm.stage"].search([("team_id", "in", list(team_ids))])
        return {
            team_id: [stage.id for stage in stages if stage.team_id.id in (False, team_id)]
            for team_id in team_ids
        }

    def _sales_done_activity_types(self, from_stages):
        """{lead id: {activity type ids done}}, from the "done" messages of the leads."""
        types = self.env["mail.activity.type"].union(
            *(stage.sales_required_activity_type_ids for stage in from_stages)
        )
        done = defaultdict(set)
        if not types or not self:
            return done
        groups = (
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("mail_activity_type_id", "in", types.ids),
                ],
                ["res_id", "mail_activity_type_id"],
            )
        )
        for res_id, activity_type in groups:
            done[res_id].add(activity_type.id)
        return done

    def _sales_log_override(self, problems, reason):
        """Writes the head's reason on each overridden lead, in one batch."""
        bodies = {
            lead.id: Markup("<p>%s</p><ul>%s</ul><p>%s</p>")
            % (
                self.env._("Stage rules overridden by %(user)s.", user=self.env.user.name),
                Markup("").join(Markup("<li>%s</li>") % item for item in items),
                self.env._("Reason: %(reason)s", reason=reason),
            )
            for lead, items in problems.items()
        }
        self.browse(list(bodies))._message_log_batch(bodies=bodies)

    # ------------------------------------------------------------------
    # Stage log
    # ------------------------------------------------------------------
    def _sales_stage_log_values(self, stage_from_by_lead, override=False):
        roles = self._sales_roles_by_user()
        now = fields.Datetime.now()
        return [
            {
                "lead_id": lead.id,
                "company_id": lead.company_id.id,
                "team_id": lead.team_id.id,
                "user_id": lead.user_id.id,
                "sales_role": roles.get(lead.user_id.id),
                "stage_from_id": stage_from_by_lead.get(lead.id, self.env["crm.stage"]).id,
                "stage_id": lead.stage_id.id,
                "date_in": now,
                "changed_by_id": self.env.uid,
                "override_reason": override or False,
            }
            for lead in self
            if lead.stage_id and lead.active
        ]

    def _sales_stage_log_open(self, from_current=False):
        """Starts a row for new leads, or for restored ones (from their own stage)."""
        from_stages = {lead.id: lead.stage_id for lead in self} if from_current else {}
        values = self._sales_stage_log_values(from_stages)
        if values:
            self.env["sales.lead.stage.log"].sudo().create(values)

    def _sales_stage_log_close(self):
        self.env["sales.lead.stage.log"].sudo().search(
            [("lead_id", "in", self.ids), ("date_out", "=", False)]
        ).write({"date_out": fields.Datetime.now()})

    def _sales_stage_log_move(self, from_stages, override=False):
        """Closes the rows of the stages left and opens one per stage entered: one create."""
        self._sales_stage_log_close()
        values = self._sales_stage_log_values(from_stages, override)
        if values:
            self.env["sales.lead.stage.log"].sudo().create(values)

    def _sales_stage_log_follow_owner(self):
        """The open row follows the lead's owner and team (a hand-off within the stage)."""
        rows = (
            self.env["sales.lead.stage.log"]
            .sudo()
            .search([("lead_id", "in", self.ids), ("date_out", "=", False)])
        )
        roles = self._sales_roles_by_user()
        for (user, team), group in rows.grouped(
            lambda row: (row.lead_id.user_id, row.lead_id.team_id)
        ).items():
            group.write({"user_id": user.id, "team_id": team.id, "sales_role": roles.get(user.id)})

    def _sales_roles_by_user(self):
        users = self.mapped("user_id")
        if not users:
            return {}
        employees = (
            self.env["hr.employee"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("user_id", "in", users.ids), ("sales_role", "!=", False)],
                ["user_id", "sales_role"],
            )
        )
        return {employee.user_id.id: employee.sales_role for employee in employees}

    # ------------------------------------------------------------------
    # Mandatory task
    # ------------------------------------------------------------------
    def _sales_warn_without_task(self):
        """Teams in "warn" mode: the move goes through, the user is told."""
        bare = self.filtered(
            lambda lead: lead.team_id.sales_task_mode == "warn" and lead.has_no_task
        )
        if bare:
            self.env.user._bus_send(
                "simple_notification",
                {
                    "type": "warning",
                    "title": self.env._("No next step"),
                    "message": self.env._(
                        "Plan the next activity for: %(leads)s",
                        leads=", ".join(bare[:10].mapped("display_name")),
                    ),
                },
            )

    def _sales_task_owner(self):
        self.ensure_one()
        return self.user_id or self.team_id.user_id

    def _sales_create_first_tasks(self):
        """Every new open lead gets a first call for its owner, never a refusal."""
        if self._sales_rules_off():
            return
        leads = self.filtered(
            lambda lead: (
                lead.active
                and not lead.stage_id.is_won
                and lead.team_id.sales_task_mode != "off"
                and not lead.activity_ids
                and lead._sales_task_owner()
            )
        )
        leads._sales_schedule(
            self.env.ref("mail.mail_activity_data_call"), self.env._("First contact with the lead")
        )

    def _sales_schedule(self, activity_type, summary, user_of=None):
        """Creates one activity per lead, due today, in one create.

        ``user_of(lead)`` gives the assignee (the lead's owner by default) and
        ``summary`` is a text or ``summary(lead)``.
        """
        if not self:
            return self.env["mail.activity"]
        user_of = user_of or (lambda lead: lead._sales_task_owner())
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": lead.id,
                        "activity_type_id": activity_type.id,
                        "summary": summary(lead) if callable(summary) else summary,
                        "user_id": user_of(lead).id,
                        "date_deadline": today,
                    }
                    for lead in self
                ]
            )
        )

    def _sales_ask_next_task(self, done_types):
        """After activities were done: open leads left without one get the next step.

        The type follows Odoo's chaining: the first suggested next type of the
        activity just done, else a to-do. Only teams that enforce the rule.
        """
        leads = self.filtered(
            lambda lead: (
                lead.active
                and not lead.stage_id.is_won
                and lead.team_id.sales_task_mode == "enforce"
                and lead.has_no_task
                and lead._sales_task_owner()
            )
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        by_type = defaultdict(lambda: self.browse())
        for lead in leads:
            done_type = done_types.get(lead.id)
            by_type[(done_type and done_type.suggested_next_type_ids[:1]) or todo] |= lead
        for activity_type, group in by_type.items():
            group._sales_schedule(activity_type, self.env._("Plan the next step"))

    # ------------------------------------------------------------------
    # Daily discipline: stuck leads, overdue flags
    # ------------------------------------------------------------------
    def _sales_stuck_domain(self, now):
        """Open leads past their stage's maximum days: one clause per limited stage."""
        stages = self.env["crm.stage"].search([("sales_max_days", ">", 0), ("is_won", "=", False)])
        if not stages:
            return expression.FALSE_DOMAIN
        return expression.AND(
            [
                [("active", "=", True)],
                expression.OR(
                    [
                        [
                            ("stage_id", "=", stage.id),
                            (
                                "date_last_stage_update",
                                "<",
                                now - timedelta(days=stage.sales_max_days),
                            ),
                        ]
                        for stage in stages
                    ]
                ),
            ]
        )

    @api.model
    def _sales_mark_stuck(self, batch_size):
        """Marks up to ``batch_size`` newly stuck leads and tells their head once each.

        Returns how many newly stuck leads remain. Leads already marked are not
        selected again, so a second run adds no activity.
        """
        # Leads leave the flag when they move or are lost (write) or when their
        # stage's limit changes (crm.stage write), so the search only looks for
        # newly stuck leads, through a partial index of the unflagged open leads.
        todo = expression.AND(
            [self._sales_stuck_domain(fields.Datetime.now()), [("is_stuck", "=", False)]]
        )
        query = self._search(todo)
        # No ORDER BY and no LIMIT: with either, PostgreSQL misjudges how many
        # leads match and walks the whole table instead of the partial index.
        # The ids of newly stuck leads are few on any night but the first.
        query.order = None
        candidate_ids = query.get_result_ids()
        leads = self.browse(candidate_ids[:batch_size])
        leads.write({"is_stuck": True})
        leads._sales_tell_head_stuck()
        return len(candidate_ids) - len(leads)

    def _sales_tell_head_stuck(self):
        stuck_type = self.env.ref(STUCK_ALERT_TYPE)
        already = set(
            self.env["mail.activity"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", stuck_type.id),
                ],
                ["res_id"],
            )
            .mapped("res_id")
        )
        alerted = self.filtered(lambda lead: lead.team_id.user_id and lead.id not in already)
        alerted._sales_schedule(
            stuck_type,
            lambda lead: self.env._(
                "Stuck in %(stage)s for over %(days)s days",
                stage=lead.stage_id.name,
                days=lead.stage_id.sales_max_days,
            ),
            user_of=lambda lead: lead.team_id.user_id,
        )

    @api.model
    def _sales_refresh_overdue(self):
        """Deadlines pass with time, not with a write: flag the leads whose task became overdue."""
        today = fields.Date.context_today(self)
        params = self.env["ir.config_parameter"].sudo()
        # Only deadlines passed since the last refresh: earlier ones were flagged then.
        since = params.get_param(OVERDUE_REFRESHED_PARAM)
        late = [
            ("date_deadline", "<", today),
            ("activity_type_id", "!=", self.env.ref(STUCK_ALERT_TYPE).id),
        ]
        if since:
            late.append(("date_deadline", ">=", since))
        leads = self.search(
            [("has_overdue_task", "=", False), ("active", "=", True), ("activity_ids", "any", late)]
        )
        self.env.add_to_compute(self._fields["has_overdue_task"], leads)
        leads.flush_recordset(["has_overdue_task"])
        params.set_param(OVERDUE_REFRESHED_PARAM, fields.Date.to_string(today))

    # ------------------------------------------------------------------
    # hand-off: hunter → closer → farmer
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
        for (old_owner, new_owner, team), lead_ids in by_change.items():
            notes.append(
                (
                    self.env._(
                        "Handed off from %(old)s to %(new)s: %(why)s; %(new)s had the fewest "
                        "open leads among the %(role)ss of team %(team)s with room left.",
                        old=old_owner.name or self.env._("nobody"),
                        new=new_owner.name,
                        why=why,
                        role=role_label,
                        team=team.name,
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

    def _sales_on_create(self, routed, owner_given_ids):
        """New leads: ``routed`` ones (no team given) go to the team whose cuts
        they meet; repeat sales go to the customer's farmer; leads of role-split
        teams still without an owner go to the role of their stage (hunter by
        default)."""
        teams = self.env["crm.team"].sudo()._sales_teams_with_cuts()
        if teams and routed:
            by_team = defaultdict(list)
            for lead in routed:
                team = teams._sales_match_lead(lead)
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
    # helpers
    # ------------------------------------------------------------------
    @api.model
    def _sales_pick(self, role, requests):
        """Chooses, for each ``(key, lead)`` of ``requests``, a member of the
        lead's team with ``role`` allowed in the lead's company: fewest open
        leads, ties by round robin, members at capacity skipped (see
        ``engine/handoff.py``). Returns ``{key: user or empty}``."""
        leads = self.browse([lead.id for _key, lead in requests])
        members = (
            self.env["crm.team.member"]
            .sudo()
            .search_fetch(
                [("crm_team_id", "in", leads.team_id.ids)],
                ["crm_team_id", "user_id", "sales_capacity", "sales_handoff_ticket"],
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
                        member.sales_handoff_ticket,
                    )
                    for member in members
                    if member.crm_team_id == lead.team_id
                    and (not company or company.id in role_companies[member.user_id.id])
                ]
        owners, tickets = pick_owners(pool_requests, pools)
        if tickets:
            self.env.cr.execute(
                SQL(
                    """UPDATE crm_team_member AS member
                          SET sales_handoff_ticket = turn.ticket
                         FROM (VALUES %s) AS turn(id, ticket)
                        WHERE member.id = turn.id""",
                    SQL(", ").join(SQL("(%s, %s)", *item) for item in tickets.items()),
                )
            )
            members.invalidate_recordset(["sales_handoff_ticket"])
        users = {member.id: member.user_id for member in members}
        no_one = self.env["res.users"]
        return {key: users[owner] if owner else no_one for key, owner in owners.items()}

    @api.model
    def _sales_memberships(self, teams, users):
        """``{(team id, user id): sales role}`` of the active memberships."""
        if not teams or not users:
            return {}
        members = (
            self.env["crm.team.member"]
            .sudo()
            .search_fetch(
                [("crm_team_id", "in", teams.ids), ("user_id", "in", users.ids)],
                ["crm_team_id", "user_id", "sales_role"],
            )
        )
        return {(member.crm_team_id.id, member.user_id.id): member.sales_role for member in members}

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
