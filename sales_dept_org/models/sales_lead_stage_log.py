from odoo import api, fields, models
from odoo.tools import SQL

from ..engine.stage_moves import days_between
from .hr_employee import SALES_ROLES


class SalesLeadStageLog(models.Model):
    """One row per stage a lead entered: the source of time-in-stage and the funnel.

    A row is open (``date_out`` empty) while the lead sits in the stage; losing
    the lead closes it, restoring it opens a new one.
    """

    _name = "sales.lead.stage.log"
    _description = "Lead Stage Log"
    _order = "date_in desc, id desc"
    _rec_name = "stage_id"

    _sql_constraints = [
        (
            "dates_in_order",
            "CHECK(date_out IS NULL OR date_out >= date_in)",
            "A lead cannot leave a stage before entering it.",
        ),
    ]

    lead_id = fields.Many2one("crm.lead", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", index=True)
    team_id = fields.Many2one("crm.team", index=True)
    user_id = fields.Many2one(
        "res.users", "Owner", index=True, help="Lead owner while in the stage."
    )
    sales_role = fields.Selection(SALES_ROLES, "Role", help="Sales role of the owner.")
    # history outlives what it names: a stage it names is kept (crm_stage.py)
    stage_from_id = fields.Many2one("crm.stage", "From Stage", ondelete="restrict")
    stage_id = fields.Many2one("crm.stage", required=True, index=True, ondelete="restrict")
    date_in = fields.Datetime("Entered", required=True, index=True)
    date_out = fields.Datetime("Left", index=True)
    changed_by_id = fields.Many2one("res.users")
    override_reason = fields.Text(help="Why a head let the lead in against the stage rules.")
    duration_days = fields.Float(
        "Days in Stage",
        compute="_compute_duration_days",
        store=True,
        aggregator="avg",
        help="Filled when the lead left the stage.",
    )

    @api.depends("date_in", "date_out")
    def _compute_duration_days(self):
        for log in self:
            log.duration_days = log.date_out and days_between(log.date_in, log.date_out)

    @api.model
    def _time_in_stage(self, lead_ids=None, at=None):
        """Days spent per (lead id, stage id), open rows counted up to ``at``.

        One grouped query whatever the number of leads: a lead that entered a
        stage twice gets the sum of both stays.
        """
        at = at or fields.Datetime.now()
        self.flush_model(["lead_id", "stage_id", "date_in", "date_out"])
        lead_filter = (
            SQL("lead_id = ANY(%s)", list(lead_ids)) if lead_ids is not None else SQL("TRUE")
        )
        self.env.cr.execute(
            SQL(
                """SELECT lead_id, stage_id,
                          SUM(EXTRACT(EPOCH FROM (COALESCE(date_out, %(at)s) - date_in))) / 86400.0
                     FROM sales_lead_stage_log
                    WHERE %(lead_filter)s
                 GROUP BY lead_id, stage_id""",
                at=at,
                lead_filter=lead_filter,
            )
        )
        return {(lead, stage): max(days, 0.0) for lead, stage, days in self.env.cr.fetchall()}
