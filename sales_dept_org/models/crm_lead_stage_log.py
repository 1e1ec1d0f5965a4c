"""crm.lead: the stage log. One row per stay of a lead in a stage
(``sales.lead.stage.log``): opened when the lead is created, enters a stage
or is restored, closed when it leaves or is archived, and following the
lead's owner and team while it stays."""

from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

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
        """The open row follows the lead's owner and team (a hand-off within the stage).

        Odoo's lead assignment writes its leads one at a time, each as a
        recordset of its own: the rows are read through the leads' history
        field with every lead this transaction holds in memory as prefetch,
        so one query serves all those writes instead of a search per lead."""
        in_memory = self.env.cache.get_records(self, self._fields["team_id"])
        leads = self.with_prefetch(in_memory._ids).sudo()
        rows = leads.sales_stage_log_ids.filtered(lambda row: not row.date_out)
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
