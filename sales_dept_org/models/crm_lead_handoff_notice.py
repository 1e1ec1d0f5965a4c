"""crm.lead: telling the user who made a move that the lead went to someone
else. The web client saves a form, or a card dropped in another kanban
column, with ``web_save``: the write, then a read of the record in the same
transaction. A permitted move may hand the lead to another owner, out of the
user's reach: the read would raise and undo the move. The save is answered
instead with what the user may still read and, for each lead handed on, a
notice naming the new owner and why, on which the web client
(``static/src/js/handoff_notice.js``) shows it and returns the user
to their pipeline."""

from odoo import models

# Transaction data: {lead id: why} of the leads the system gave a new owner.
HANDOFF_WHY = "sales.handoff.why"


class CrmLead(models.Model):
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    def web_save(self, vals, specification, next_id=None):
        if next_id:  # saved on the way to another record: that one is read
            return super().web_save(vals, specification, next_id=next_id)
        self.env.cr.precommit.data[HANDOFF_WHY] = {}
        if self:
            owners = {lead.id: lead.user_id for lead in self}
            self.write(vals)
            leads = self
        else:
            # A form names the owner it shows; the quick create of a kanban
            # shows none: the user creating in their pipeline keeps the lead
            # (a call without an owner is routed, see _sales_unowned_vals).
            vals = dict(self.default_get(["user_id"]), **vals)
            leads = self.create(vals)
            owners = {leads.id: self.env["res.users"].browse(vals.get("user_id"))}
        readable = leads._filtered_access("read")
        rows = {
            row["id"]: row for row in readable.with_context(bin_size=True).web_read(specification)
        }
        notices = leads._sales_handoff_notices(owners, readable)
        return [
            dict(rows.get(lead_id, {"id": lead_id}), **notices.get(lead_id, {}))
            for lead_id in leads.ids
        ]

    def get_rainbowman_message(self):
        # Asked by the web client after a move: none for a lead out of reach.
        if not self.has_access("read"):
            return False
        return super().get_rainbowman_message()

    def _sales_remember_handoff(self, why):
        """Keeps, for the transaction, why the system gave ``self`` new owners."""
        whys = self.env.cr.precommit.data.setdefault(HANDOFF_WHY, {})
        whys.update(dict.fromkeys(self.ids, why))

    def _sales_handoff_notices(self, owners, readable):
        """``{lead id: {"sales_handoff": notice}}`` for the leads of ``self``
        the save left in other hands than the user's: handed on by the system,
        or out of the user's reach. ``owners`` are the owners before the save
        (the one named, for a new lead); ``readable`` the leads the user may
        still read. The notice names the new owner and why, and whether the
        user leaves the lead (it was theirs, or they may no longer read it)
        and whether it is gone from their reach (the answer holds no values
        of it then: the client keeps those it showed)."""
        whys = self.env.cr.precommit.data.get(HANDOFF_WHY, {})
        user = self.env.user
        notices = {}
        for lead in self.sudo():
            before = owners.get(lead.id)
            if lead.user_id == before or lead.user_id == user:
                continue
            if lead.id not in whys and lead in readable:
                continue
            why = whys.get(lead.id)
            values = {
                "lead": lead.name,
                "owner": lead.user_id.name or self.env._("nobody"),
                "why": why,
            }
            notices[lead.id] = {
                "sales_handoff": {
                    "title": self.env._("Handed off"),
                    "message": (
                        self.env._("%(lead)s now belongs to %(owner)s: %(why)s.", **values)
                        if why
                        else self.env._("%(lead)s now belongs to %(owner)s.", **values)
                    ),
                    "leave": before == user or lead not in readable,
                    "gone": lead not in readable,
                }
            }
        return notices
