"""crm.lead: the stage rules. A stage change is checked for the whole batch
of one write (entry fields, moving back, skipping stages, activities done
before leaving, a planned next step where the team enforces one): every
violation is collected and the write refused once, or let through by a team
head with a reason that lands in each lead's chatter.

A refused move of one lead in the web client opens the "fix it" dialog: the
lead in a small form (``crm_lead_view_form_stage_fix``) holding the target
stage's missing fields, the activities to plan or mark done, and a request
to the team head for an override."""

from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine.stage_moves import classify_move
from .crm_lead import OVERRIDE_REASON_KEY, RULES_OFF_KEY

# The key of a refusal's data for the web client (see StageRulesRefused), and
# the context key of the "fix it" dialog naming the stage the lead is moving to.
FIX_KEY = "sales_stage_fix"
FIX_STAGE_KEY = "sales_fix_stage_id"
FIX_VIEW = "sales_dept_org.crm_lead_view_form_stage_fix"


class StageProblems:
    """What keeps one lead from moving ``from_stage`` → ``to_stage``: the
    entry fields ``missing``, a forbidden move ``back``, stages ``skipped``
    without leave, activity types ``undone`` before leaving, and ``no_task``
    (the team requires a planned next step). False when nothing does."""

    def __init__(self, from_stage, to_stage):
        self.from_stage, self.to_stage = from_stage, to_stage
        self.missing = to_stage.env["ir.model.fields"]
        self.back = False
        self.skipped = to_stage.browse()
        self.undone = to_stage.env["mail.activity.type"]
        self.no_task = False

    def __bool__(self):
        return bool(self.missing or self.back or self.skipped or self.undone or self.no_task)

    def only_override(self):
        """True when only a head's override can let the move through (no
        field to fill nor activity to do would)."""
        return bool(self.back or self.skipped)

    def messages(self, env):
        """One sentence per problem, in the user's language."""
        messages = []
        if self.missing:
            messages.append(
                env._(
                    "%(stage)s needs %(fields)s",
                    stage=self.to_stage.name,
                    fields=", ".join(self.missing.mapped("field_description")),
                )
            )
        if self.back:
            messages.append(
                env._("moving back from %(stage)s is not allowed", stage=self.from_stage.name)
            )
        if self.skipped:
            messages.append(
                env._(
                    "cannot skip %(stages)s from %(stage)s",
                    stages=", ".join(self.skipped.mapped("name")),
                    stage=self.from_stage.name,
                )
            )
        if self.undone:
            messages.append(
                env._(
                    "not done before leaving %(stage)s: %(types)s",
                    stage=self.from_stage.name,
                    types=", ".join(self.undone.mapped("name")),
                )
            )
        if self.no_task:
            messages.append(env._("no planned activity (the team requires a next step)"))
        return messages


class StageRulesRefused(UserError):
    """A stage change the stage rules refuse, every problem in its message.

    Raised to RPC, imports and mass edits as the ``UserError`` it is. When it
    refuses one lead's move, it also carries, in ``context`` (which Odoo
    sends to the web client with the error), the lead and the stage it was
    moving to: the web client then opens the "fix it" dialog on them instead
    of showing the message.
    """

    def __init__(self, message, problems):
        super().__init__(message)
        if len(problems) == 1:
            [(lead, found)] = problems.items()
            if found.from_stage != found.to_stage:
                self.context = {FIX_KEY: {"lead_id": lead.id, "stage_id": found.to_stage.id}}


class CrmLead(models.Model):
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # The "fix it" dialog: what keeps the lead from the stage in the context.
    sales_fix_stage_id = fields.Many2one(
        "crm.stage", string="Moving To", compute="_compute_sales_fix"
    )
    sales_fix_problems = fields.Html(string="What Is Missing", compute="_compute_sales_fix")
    sales_fix_activity = fields.Boolean(compute="_compute_sales_fix")
    sales_fix_undone = fields.Boolean(compute="_compute_sales_fix")
    sales_fix_override_only = fields.Boolean(compute="_compute_sales_fix")
    # ",phone,partner_id,": the entry fields of the stage, for the form to show
    sales_fix_field_names = fields.Char("Fields to Fill In", compute="_compute_sales_fix")

    @api.depends_context(FIX_STAGE_KEY)
    @api.depends("stage_id")
    def _compute_sales_fix(self):
        stage = self.env["crm.stage"].browse(self.env.context.get(FIX_STAGE_KEY))
        problems = (
            self._sales_stage_problems([(lead, lead.stage_id, stage) for lead in self], {})
            if stage
            else {}
        )
        names = stage.sudo().sales_required_field_ids.mapped("name")
        for lead in self:
            found = problems.get(lead)
            lead.sales_fix_stage_id = stage
            lead.sales_fix_field_names = f",{','.join(names)}," if names else False
            lead.sales_fix_problems = found and Markup("<ul>%s</ul>") % Markup("").join(
                Markup("<li>%s</li>") % message for message in found.messages(self.env)
            )
            lead.sales_fix_undone = bool(found and found.undone)
            lead.sales_fix_activity = bool(found and (found.undone or found.no_task))
            lead.sales_fix_override_only = bool(found and found.only_override())

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """The "fix it" form holds the entry fields of every stage, each shown
        when the dialog's stage requires it. The web client asks for views
        without the action's context: the form cannot depend on the stage,
        only the record can (``sales_fix_field_names``). A change of the
        stages' entry fields clears the views' cache (crm_stage.py)."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view == self.env.ref(FIX_VIEW, raise_if_not_found=False):
            [group] = arch.xpath("//group[@name='sales_fix_fields']")
            stages = (
                self.env["crm.stage"].sudo().search([("sales_required_field_ids", "!=", False)])
            )
            for field in stages.sales_required_field_ids.sorted("field_description"):
                hidden = (
                    f"not sales_fix_field_names or ',{field.name},' not in sales_fix_field_names"
                )
                group.append(arch.makeelement("field", {"name": field.name, "invisible": hidden}))
        return arch, view

    # ------------------------------------------------------------------
    # The "fix it" dialog
    # ------------------------------------------------------------------
    def action_sales_stage_fix(self, stage_id):
        """Opens the "fix it" dialog for moving this lead to ``stage_id``."""
        self.ensure_one()
        stage = self.env["crm.stage"].browse(stage_id).exists()
        if not stage:
            raise UserError(self.env._("The stage this lead was moving to no longer exists."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Move to %(stage)s", stage=stage.name),
            "res_model": self._name,
            "res_id": self.id,
            "views": [(self.env.ref(FIX_VIEW).id, "form")],
            "target": "new",
            "context": {FIX_STAGE_KEY: stage.id},
        }

    def _sales_fix_found(self):
        """The problems of moving this lead to the dialog's stage (None if none)."""
        self.ensure_one()
        stage = self.sales_fix_stage_id
        if not stage:
            raise UserError(self.env._("Open this step from a refused stage change."))
        return self._sales_stage_problems([(self, self.stage_id, stage)], {}).get(self)

    def _sales_fix_activity_types(self, found):
        """The activity types the move waits for: those not done, or the
        team's next step (a to-do) when only a planned activity is missing."""
        if found.undone:
            return found.undone
        return self.env.ref("mail.mail_activity_data_todo") if found.no_task else found.undone

    def _sales_fix_plan_missing(self, activity_types):
        """Plans, due today for the owner, each of ``activity_types`` not planned yet."""
        for activity_type in activity_types - self.activity_ids.activity_type_id:
            self._sales_schedule(activity_type, activity_type.summary or activity_type.name)

    def action_sales_fix_plan(self):
        """Plans each activity the move waits for; the dialog stays, told again."""
        found = self._sales_fix_found()
        if found:
            self._sales_fix_plan_missing(self._sales_fix_activity_types(found))
        return self._sales_fix_again()

    def action_sales_fix_done(self):
        """Marks done the activities the leaving stage requires (the call
        made, the meeting held), planning those missing first; the dialog
        stays, told again."""
        found = self._sales_fix_found()
        if found and found.undone:
            self._sales_fix_plan_missing(found.undone)
            self.activity_ids.filtered(
                lambda activity: activity.activity_type_id in found.undone
            ).action_feedback()
        return self._sales_fix_again()

    def _sales_fix_again(self):
        """The dialog again, with what is still missing: a dialog's button
        that returns nothing closes it."""
        return self.action_sales_stage_fix(self.sales_fix_stage_id.id)

    def action_sales_fix_request_override(self):
        """Asks the team head, by an activity on the lead, to override the rules."""
        found = self._sales_fix_found()
        head = self.team_id.user_id
        if not head:
            raise UserError(self.env._("The lead's team has no head to ask for an override."))
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._(
                "Override requested: move to %(stage)s", stage=self.sales_fix_stage_id.name
            ),
            note=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._(
                    "%(user)s asks for an override of the stage rules.", user=self.env.user.name
                ),
                Markup("").join(
                    Markup("<li>%s</li>") % message
                    for message in (found.messages(self.env) if found else [])
                ),
            ),
            user_id=head.id,
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(head)s was asked to override.", head=head.name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_sales_fix_move(self):
        """Moves the lead to the dialog's stage; the rules still decide. A
        move that hands the lead on closes the dialog with the notice a save
        would get (crm_lead_handoff_notice.py), for the web client to show."""
        stage = self.sales_fix_stage_id
        if not stage:
            raise UserError(self.env._("Open this step from a refused stage change."))
        owners = {self.id: self.user_id}
        self.write({"stage_id": stage.id})
        notices = self._sales_handoff_notices(owners, self._filtered_access("read"))
        close = {"type": "ir.actions.act_window_close"}
        return dict(close, infos=notices[self.id]) if notices else close

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

    def _sales_check_write(self, vals, moving, staying):
        """Checks the moves of one write: ``moving`` leads against the stage
        ``vals`` names, ``staying`` ones (restored, converted) against their
        own stage. Returns the override reason or False, as
        ``_sales_check_stage_rules``."""
        if not (moving or staying):
            return False
        target = self.env["crm.stage"].browse(vals.get("stage_id"))
        checks = [(lead, lead.stage_id, target) for lead in moving]
        checks += [(lead, lead.stage_id, lead.stage_id) for lead in staying]
        return self._sales_check_stage_rules(checks, vals)

    def _sales_check_stage_rules(self, checks, vals, creating=False):
        """Checks every (lead, from stage, to stage) of one write and raises once.

        Returns the override reason when a team head let violations through,
        else False. ``vals`` are the values written with the move: a field filled
        in the same save counts as filled.
        """
        if self._sales_rules_off():
            return False
        problems = self._sales_stage_problems(checks, vals, creating=creating)
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
                '- "%(lead)s": %(problems)s',
                lead=lead.display_name,
                problems="; ".join(found.messages(self.env)),
            )
            for lead, found in problems.items()
        ]
        raise StageRulesRefused(
            self.env._(
                "The stage change is refused for %(count)s lead(s); nothing was changed.\n"
                "%(lines)s\n"
                "A team head may override with a reason (Override Stage).",
                count=len(problems),
                lines="\n".join(lines),
            ),
            problems,
        )

    def _sales_stage_problems(self, checks, vals, creating=False):
        """{lead: StageProblems} for the given moves (only leads with a
        problem), read in a fixed number of queries."""
        # Stage rules are configuration: read them whoever moves the lead.
        checks = [
            (lead, from_stage.sudo(), to_stage.sudo()) for lead, from_stage, to_stage in checks
        ]
        leads = self.browse([lead.id for lead, _from, _to in checks])
        pipelines = leads._sales_pipelines()
        done_types = leads._sales_done_activity_types(
            {from_stage for _lead, from_stage, to_stage in checks if from_stage != to_stage}
        )
        problems = {}
        for lead, from_stage, to_stage in checks:
            found = StageProblems(from_stage, to_stage)
            found.missing = to_stage.sales_required_field_ids.filtered(
                lambda field, lead=lead, stage=to_stage: (
                    not lead._sales_value_filled(field.name, vals)
                    and not (field.name == "partner_id" and stage.sales_create_customer)
                )
            ).sorted("field_description")
            if from_stage != to_stage and not creating:
                move = classify_move(pipelines[lead.team_id.id], from_stage.id, to_stage.id)
                found.back = move.direction == "back" and not from_stage.sales_allow_back
                # Winning closes the deal from any stage, as Odoo's Won button
                # does: the won stage's own rules decide, not the skip rule.
                if not from_stage.sales_allow_skip and not to_stage.is_won:
                    found.skipped = from_stage.browse(move.skipped)
                # Going back (to re-qualify, say) needs nothing done; moving on does.
                if move.direction != "back":
                    found.undone = from_stage.sales_required_activity_type_ids.filtered(
                        lambda activity_type, lead=lead: activity_type.id not in done_types[lead.id]
                    )
                found.no_task = (
                    lead.team_id.sales_task_mode == "enforce"
                    and lead.active
                    and not to_stage.is_won
                    and lead.has_no_task
                )
            if found:
                problems[lead] = found
        return problems

    def _sales_create_missing_customers(self):
        """Leads in a stage that creates the customer, and without one, get
        one: the contact with the lead's e-mail in the lead's company (or
        shared), else a new contact from the lead's details (Odoo's
        ``_create_customer``, as its conversion to an opportunity does).
        The company's stage rule creates it, not the user: a salesperson
        without "Contact Creation" still wins the deal. With the rules off
        (history imported or generated as it was) nothing is created."""
        if self._sales_rules_off():
            return
        leads = self.filtered(
            lambda lead: not lead.partner_id and lead.stage_id.sudo().sales_create_customer
        )
        if not leads:
            return
        emails = [email for email in set(leads.mapped("email_normalized")) if email]
        known = defaultdict(dict)  # {company id or False: {e-mail: partner}}
        if emails:
            partners = (
                self.env["res.partner"]
                .sudo()
                .search_fetch(
                    [
                        ("email_normalized", "in", emails),
                        ("company_id", "in", [*leads.company_id.ids, False]),
                    ],
                    ["email_normalized", "company_id"],
                    order="id",
                )
            )
            for partner in partners:
                known[partner.company_id.id].setdefault(partner.email_normalized, partner)
        leads_by_partner = defaultdict(lambda: self.browse())
        for lead in leads:
            email = lead.email_normalized
            partner = (
                known[lead.company_id.id].get(email)
                or known[False].get(email)
                or lead.sudo()._create_customer()
            )
            leads_by_partner[partner] |= lead
        for partner, partner_leads in leads_by_partner.items():
            partner_leads.write({"partner_id": partner.id})

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
                Markup("").join(Markup("<li>%s</li>") % item for item in found.messages(self.env)),
                self.env._("Reason: %(reason)s", reason=reason),
            )
            for lead, found in problems.items()
        }
        self.browse(list(bodies))._message_log_batch(bodies=bodies)
