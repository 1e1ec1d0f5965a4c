"""Regulated stages, "no deal without a task" and the stage log on crm.lead.

Every path that changes a stage (form, kanban, mass edit, import, RPC, the
Won button, merge, conversion) ends in ``write``; each concern below is a
recordset method called once per write, so the number of queries does not
grow with the number of leads moved.
"""

from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..engine.stage_moves import classify_move

# Context keys: the reason a head gives to override the stage rules, and a
# switch for administrators (bulk repairs, benchmarks) that skips the checks.
OVERRIDE_REASON_KEY = "sales_stage_override_reason"
RULES_OFF_KEY = "sales_stage_rules_off"
STUCK_ALERT_TYPE = "sales_dept_org.mail_activity_type_stuck_lead"


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
        "the daily discipline job, cleared when the lead moves.",
    )
    sales_stage_script = fields.Html(related="stage_id.sales_script", string="Stage Script")
    sales_stage_checklist = fields.Html(
        related="stage_id.sales_checklist", string="Stage Checklist"
    )
    sales_stage_log_ids = fields.One2many("sales.lead.stage.log", "lead_id", "Stage History")

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

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads.browse(
            [lead.id for lead, vals in zip(leads, vals_list, strict=True) if vals.get("stage_id")]
        )._sales_check_entry_on_create()
        leads._sales_stage_log_open()
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
        unstuck = moving.filtered("is_stuck")
        leaving = self.filtered("active") if vals.get("active") is False else self.browse()

        result = super().write(vals)

        if leaving:
            leaving._sales_stage_log_close()
        if unstuck:
            # A lead that moves is no longer stuck (only those that moved).
            super(CrmLead, unstuck).write({"is_stuck": False})
        if moving:
            moving._sales_stage_log_move(from_stages, override)
            moving._sales_warn_without_task()
        if restored:
            restored._sales_stage_log_open(from_current=True)
        if {"user_id", "team_id"} & set(vals):
            (self - moving - restored)._sales_stage_log_follow_owner()
        return result

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
        checks = [check for check in checks if check[2].sales_required_field_ids]
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
                for field in to_stage.sales_required_field_ids
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
        stuck_domain = self._sales_stuck_domain(fields.Datetime.now())
        # Leads no longer past the limit (the stage's limit was raised) are released.
        self.search([("is_stuck", "=", True), "!", *stuck_domain]).write({"is_stuck": False})
        todo = expression.AND([stuck_domain, [("is_stuck", "=", False)]])
        leads = self.search(todo, limit=batch_size, order="id")
        leads.write({"is_stuck": True})
        leads._sales_tell_head_stuck()
        return self.search_count(todo) if len(leads) == batch_size else 0

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
        stuck_alert = self.env.ref(STUCK_ALERT_TYPE)
        # One query: the activities are filtered in a sub-select, not fetched.
        leads = self.search(
            [
                ("has_overdue_task", "=", False),
                ("active", "=", True),
                (
                    "activity_ids",
                    "any",
                    [("date_deadline", "<", today), ("activity_type_id", "!=", stuck_alert.id)],
                ),
            ]
        )
        self.env.add_to_compute(self._fields["has_overdue_task"], leads)
        leads.flush_recordset(["has_overdue_task"])
