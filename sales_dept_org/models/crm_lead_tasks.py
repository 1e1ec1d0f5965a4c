"""crm.lead: no deal without a task. The without-task and overdue flags, the
first task of a new lead and the next step once an activity is done, the
warning of a lead moved without one, and the daily discipline: leads stuck
in their stage past its limit (their head is told) and the overdue flags
refreshed as deadlines pass."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import create_index

from .crm_lead import OVERDUE_REFRESHED_PARAM, STUCK_ALERT_TYPE


class CrmLead(models.Model):
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

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

    # ------------------------------------------------------------------
    # the first and the next task
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
        """Every new open lead gets a first call for its owner, never a refusal.
        Read as the system: a lead routed to someone else may be out of the
        creator's reach."""
        if self._sales_rules_off():
            return
        leads = self.sudo().filtered(
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
    def _sales_stuck_domain(self, now, stages=None):
        """Open leads past their stage's maximum days: one clause per limited
        stage (of ``stages`` if given)."""
        limited = [("sales_max_days", ">", 0), ("is_won", "=", False)]
        if stages is not None:
            limited.append(("id", "in", stages.ids))
        stages = self.env["crm.stage"].search(limited)
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
    def _sales_mark_stuck(self, batch_size=None, stages=None):
        """Marks up to ``batch_size`` (all by default) newly stuck leads, of
        ``stages`` if given, and tells their head once each.

        Returns how many newly stuck leads remain. Leads already marked are not
        selected again, so a second run adds no activity.
        """
        # Leads leave the flag when they move or are lost (write) or when their
        # stage's limit changes (crm.stage write), so the search only looks for
        # newly stuck leads, through a partial index of the unflagged open leads.
        todo = expression.AND(
            [self._sales_stuck_domain(fields.Datetime.now(), stages), [("is_stuck", "=", False)]]
        )
        query = self._search(todo)
        # No ORDER BY and no LIMIT: with either, PostgreSQL misjudges how many
        # leads match and walks the whole table instead of the partial index.
        # The ids of newly stuck leads are few on any night but the first.
        query.order = None
        candidate_ids = query.get_result_ids()
        leads = self.browse(candidate_ids[:batch_size])
        leads._sales_set_stuck()
        return len(candidate_ids) - len(leads)

    def _sales_flag_stuck_now(self):
        """Marks the leads of ``self`` already past their stage's limit (and
        tells their head) when they are created or restored so, rather than at
        the next daily run. A limit is a whole number of days: leads
        whose stage changed within the last day are never stuck and cost no
        query."""
        now = fields.Datetime.now()
        dated = self.filtered(
            lambda lead: (
                not lead.is_stuck
                and lead.date_last_stage_update
                and lead.date_last_stage_update < now - timedelta(days=1)
            )
        )
        if dated:
            dated.filtered_domain(dated._sales_stuck_domain(now, dated.stage_id))._sales_set_stuck()

    def _sales_set_stuck(self):
        self.write({"is_stuck": True})
        self._sales_tell_head_stuck()

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
