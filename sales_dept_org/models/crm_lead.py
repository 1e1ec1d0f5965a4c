"""crm.lead: regulated stages, "no deal without a task", the stage log and
the hunter → closer → farmer hand-off.

The extension is spread over one file per concern, each a class inheriting
``crm.lead``: this one holds the fields, the context keys and the create /
write orchestration; ``crm_lead_stage_rules.py`` checks a stage change (and
logs a head's override), ``crm_lead_stage_log.py`` keeps the stage history,
``crm_lead_tasks.py`` the mandatory task (first and next task, the
without-task and overdue flags, stuck leads) and ``crm_lead_handoff.py``
chooses who takes a lead after a stage change, a win or its creation.

Every path that changes a stage (form, kanban, mass edit, import, RPC, the
Won button, merge, conversion) ends in ``write``; each concern is a
recordset method called once per write, so the number of queries does not
grow with the number of leads moved. Order inside ``write``: the stage rules
check the move, the hand-off to the stage's role chooses the new owners, the
move is written with them (one write per new owner), the stage log records
it with the new owners and the chatter tells who handed what to whom. Only a
won stage, or a write that also changes the owner, team, company or archive,
hands off after the move (the open log row then follows the new owner).
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

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


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # the mandatory task (crm_lead_tasks.py)
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
    # the stage's guidance, and its history (crm_lead_stage_log.py)
    sales_stage_script = fields.Html(related="stage_id.sales_script", string="Stage Script")
    sales_stage_checklist = fields.Html(
        related="stage_id.sales_checklist", string="Stage Checklist"
    )
    # read by who may read the stage log: a CRM user outside the department
    # still opens the lead form
    sales_stage_log_ids = fields.One2many(
        "sales.lead.stage.log",
        "lead_id",
        "Stage History",
        groups="sales_dept_org.group_sales_dept_salesperson,sales_dept_org.group_sales_dept_admin",
    )
    # the stages the lead reached in the funnel report: a bar of the funnel
    # opens its leads by it (sales.funnel.report.action_open_leads)
    sales_funnel_ids = fields.One2many(
        "sales.funnel.report",
        "lead_id",
        "Funnel Stages Reached",
        groups="sales_dept_org.group_sales_dept_salesperson",
    )
    # who sourced and who won the lead (crm_lead_handoff.py)
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
    # the team cuts route new leads by it (crm_team.py)
    sales_product_category_id = fields.Many2one(
        "product.category",
        string="Product Category",
        help="What the customer is interested in; teams may be cut by category.",
    )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        owner_unnamed = ["user_id" not in vals for vals in vals_list]
        vals_list = self._sales_unowned_vals(vals_list)
        routed = [
            not vals.get("team_id") and not self.env.context.get("default_team_id")
            for vals in vals_list
        ]
        owner_given = [bool(vals.get("user_id")) for vals in vals_list]
        leads = super().create(vals_list)
        leads.browse(
            [lead.id for lead, vals in zip(leads, vals_list, strict=True) if vals.get("stage_id")]
        )._sales_check_entry_on_create()
        leads._sales_create_missing_customers()
        leads._sales_stage_log_open()
        if not self.env.context.get(HANDOFF_OFF):
            leads.sudo().with_context(mail_auto_subscribe_no_notify=True)._sales_on_create(
                leads.browse([lead.id for lead, route in zip(leads, routed, strict=True) if route]),
                {lead.id for lead, given in zip(leads, owner_given, strict=True) if given},
                {lead.id for lead, unnamed in zip(leads, owner_unnamed, strict=True) if unnamed},
            )
        # After routing, so the first task goes to the owner the lead ends with.
        leads._sales_create_first_tasks()
        # Leads brought in with their history (imports) may be stuck already.
        leads.sudo()._sales_flag_stuck_now()
        return leads

    def write(self, vals):
        """The story of a stage change, told in the order it happens."""
        # 1. Which leads the write moves to another stage, brings back from
        #    the archive or turns into opportunities (both in their own stage).
        moving, restored, converted = self._sales_stage_changes(vals)
        # 2. The stage rules check them all at once: refused, or let through
        #    by a head with a reason.
        override = self._sales_check_write(vals, moving, restored + converted)
        # 3. What the write leaves behind, read before it: the stages left,
        #    the leads archived, the stuck leads that move on.
        from_stages = {lead.id: lead.stage_id for lead in moving}
        leaving = self.filtered("active") if vals.get("active") is False else self.browse()
        unstuck = (moving | leaving).filtered("is_stuck")
        # 4. The hand-off to the new stage's role chooses the new owners ...
        handing_off = self._sales_handoff_moving(vals)
        stage = self.env["crm.stage"].browse(vals.get("stage_id"))
        handoff = handing_off.sudo()._sales_handoff_before_move(stage, vals)
        # 5. ... and the move is written with them, one write per new owner.
        #    The move is checked with the user's rights, the reassignment is
        #    the system's, as it would be in a hand-off after the move.
        if handoff and handoff.owners:
            self.check_access("write")
            self.check_field_access_rights("write", list(vals))
            for leads, leads_vals in self._sales_writes_with_owners(vals, handoff.owners):
                super(CrmLead, leads).write(leads_vals)
            self._sales_subscribe_owners(handoff.owners)
            result = True
        else:
            result = super().write(vals)
        # 5b. A lead entering a stage that creates the customer (won) gets
        #     one if it has none, before the farmer takes it.
        if moving:
            moving._sales_create_missing_customers()
        # 6. The stage log closes the rows left, opens the rows entered and
        #    follows the new owners; a lead that moves or is lost is no longer
        #    stuck (only those), one restored may be stuck at once; the user
        #    hears of leads moved without a next step.
        if leaving:
            leaving._sales_stage_log_close()
        if unstuck:
            # the system's flag, cleared after a hand-off took the lead out
            # of the mover's reach
            super(CrmLead, unstuck.sudo()).write({"is_stuck": False})
        if moving:
            moving._sales_stage_log_move(from_stages, override)
            moving._sales_warn_without_task()
        if restored:
            restored._sales_stage_log_open(from_current=True)
            restored.sudo()._sales_flag_stuck_now()
        if {"user_id", "team_id"} & set(vals):
            (self - moving - restored)._sales_stage_log_follow_owner()
        # 7. The chatter tells who handed what to whom; a hand-off that had to
        #    wait for the move (a won stage, or a write that also changes the
        #    owner, team, company or archive) happens now.
        if handoff is not None:
            handing_off.sudo()._sales_handoff_log(handoff)
        elif handing_off:
            handing_off.sudo().with_context(mail_auto_subscribe_no_notify=True)._sales_handoff(
                stage
            )
        return result

    def _check_company(self, fnames=None):
        # A hand-off adds the owner to what the user's write names: the
        # relations the write leaves alone were consistent and stay so, those
        # it names are checked as in any write.
        if fnames is None and self.env.context.get(OWNER_ONLY_CHANGE):
            fnames = list(self.env.context[OWNER_ONLY_CHANGE])
        return super()._check_company(fnames)

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        # The hand-off subscribes its new owners itself, for all leads at once.
        if self.env.context.get(OWNER_ONLY_CHANGE):
            return []
        return super()._message_auto_subscribe_followers(updated_values, default_subtype_ids)

    # ------------------------------------------------------------------
    # the write's steps
    # ------------------------------------------------------------------
    def _sales_stage_changes(self, vals):
        """``(moving, restored, converted)``: the leads ``vals`` moves to
        another stage, brings back from the archive (a write naming no
        stage), or turns from leads into opportunities (those it does not
        move)."""
        moving = self.browse()
        restored = self.browse()
        if "stage_id" in vals:
            moving = self.filtered(lambda lead: lead.stage_id.id != vals["stage_id"])
        if vals.get("active") and "stage_id" not in vals:
            restored = self.filtered(lambda lead: not lead.active)
        converted = (
            self.filtered(lambda lead: lead.type == "lead") - moving
            if vals.get("type") == "opportunity"
            else self.browse()
        )
        return moving, restored, converted

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
                mail_auto_subscribe_no_notify=True, **{OWNER_ONLY_CHANGE: ("user_id", *vals)}
            )
            with self.env.protecting(leads._sales_unchanged_by_owner(owner)):
                yield leads, dict(vals, user_id=owner.id)

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
