"""crm.lead: the stage rules. A stage change is checked for the whole batch
of one write (entry fields, moving back, skipping stages, activities done
before leaving, a planned next step where the team enforces one): every
violation is collected and the write refused once, or let through by a team
head with a reason that lands in each lead's chatter."""

from collections import defaultdict

from markupsafe import Markup

from odoo import models
from odoo.exceptions import UserError

from ..engine.stage_moves import classify_move
from .crm_lead import OVERRIDE_REASON_KEY, RULES_OFF_KEY


class CrmLead(models.Model):
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

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
