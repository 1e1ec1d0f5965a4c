from collections import defaultdict

from markupsafe import Markup

from odoo import api, models


class SalesAuditLineMixin(models.AbstractModel):
    """Lines whose changes are told in their parent's chatter: a scheme's
    metrics and tiers, a plan's targets. Who added, changed or removed what,
    one message per parent and transaction, written with the tracking (at
    the commit), authored by the user who changed them."""

    _name = "sales.audit.line.mixin"
    _description = "Lines Told in Their Parent's Chatter"

    # the many2one to the mail.thread record whose chatter tells the changes
    _audit_parent = None
    # the fields whose changes are told
    _audit_fields = ()

    def _audit_label(self):
        """What names the line in its parent's chatter."""
        self.ensure_one()
        return self.display_name

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._audit_note({line: self.env._("added") for line in lines})
        return lines

    def write(self, vals):
        told = [name for name in self._audit_fields if name in vals]
        before = {line: line._audit_values(told) for line in self} if told else {}
        result = super().write(vals)
        changes = {}
        for line, old in before.items():
            new = line._audit_values(told)
            diff = [
                f"{self._fields[name]._description_string(self.env)} {old[name]} → {new[name]}"
                for name in told
                if old[name] != new[name]
            ]
            if diff:
                changes[line] = ", ".join(diff)
        self._audit_note(changes)
        return result

    def unlink(self):
        self._audit_note({line: self.env._("removed") for line in self})
        return super().unlink()

    def _audit_values(self, names):
        """{field: value as the chatter shows it}"""
        values = {}
        for name in names:
            value = self[name]
            if isinstance(value, models.BaseModel):
                value = ", ".join(value.mapped("display_name"))
            values[name] = str(value)
        return values

    def _audit_note(self, texts):
        """Queues ``{line: text}`` for the parents' chatter, posted at the commit."""
        if not texts:
            return
        precommit = self.env.cr.precommit
        key = f"sales.audit.{self._name}"
        if key not in precommit.data:  # one post per transaction, whatever the writes
            precommit.add(self.browse()._audit_post)
        notes = precommit.data.setdefault(key, defaultdict(list))
        for line, text in texts.items():
            parent = line.sudo()[self._audit_parent]
            notes[parent.id].append(f"{line.sudo()._audit_label()}: {text}")

    def _audit_post(self):
        notes = self.env.cr.precommit.data.pop(f"sales.audit.{self._name}", {})
        parents = self.env[self._fields[self._audit_parent].comodel_name].sudo()
        for parent in parents.browse(notes).exists():
            parent.message_post(
                body=Markup("<br/>").join(notes[parent.id]),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
                author_id=self.env.user.partner_id.id,
            )
