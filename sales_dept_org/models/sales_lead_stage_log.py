from odoo import api, fields, models
from odoo.tools import SQL, create_index

from ..engine.stage_moves import days_between
from .hr_employee import SALES_ROLES


class SalesLeadStageLog(models.Model):
    """One row per stage a lead entered: the source of time-in-stage and the funnel.

    A row is open (``date_out`` empty) while the lead sits in the stage; losing
    the lead closes it, restoring it opens a new one.

    Two milestones of the lead are marked on the row of the move that reached
    them first (what the hunter is credited with, whoever owns the lead
    later): the qualifying stage (``crm.stage.sales_qualifying``) and the
    first stage worked by closers, each reached by entering it or a stage
    after it in the pipeline's order (a skip counts, a step back and forth
    does not count twice).
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
    first_qualified = fields.Boolean(
        "Qualified the Lead",
        readonly=True,
        help="The move by which the lead first reached the qualifying stage (or a "
        "stage after it): a lead qualified for its hunter, that day.",
    )
    first_to_closer = fields.Boolean(
        "Reached the Closers",
        readonly=True,
        help="The move by which the lead first reached a stage worked by closers "
        "(or a stage after it): a meeting handed to a closer for its hunter, that day.",
    )
    duration_days = fields.Float(
        "Days in Stage",
        compute="_compute_duration_days",
        store=True,
        aggregator="avg",
        help="Filled when the lead left the stage.",
    )

    def init(self):
        # the hunter's KPI facts read a day or a month of milestones
        for name, column in (
            ("sales_lead_stage_log_qualified_idx", "first_qualified"),
            ("sales_lead_stage_log_to_closer_idx", "first_to_closer"),
        ):
            create_index(self.env.cr, name, self._table, ["date_in"], where=f"{column} = TRUE")

    @api.model_create_multi
    def create(self, vals_list):
        logs = super().create(vals_list)
        logs._mark_milestones()
        return logs

    @api.depends("date_in", "date_out")
    def _compute_duration_days(self):
        for log in self:
            log.duration_days = log.date_out and days_between(log.date_in, log.date_out)

    def _mark_milestones(self):
        """Marks the rows of ``self`` that first reached a milestone of their lead."""
        if self:
            self._mark_milestones_sql(SQL("log.id = ANY(%s)", self.ids))

    @api.model
    def _mark_milestones_sql(self, which):
        """One UPDATE marking the rows ``which`` (an SQL condition on ``log``)
        selects. A stage's place is (sequence, id), the order of the pipeline;
        a lead's pipeline is its team's stages and the shared ones. A row
        reaches a milestone when its stage is at or after the milestone's
        first stage and no earlier row of the lead (by date entered, then id)
        was: one window over the rows of the leads concerned, the milestones
        looked up once per team (a few seconds for millions of rows)."""
        self.flush_model(["lead_id", "stage_id", "date_in"])
        self.env["crm.stage"].flush_model(
            ["sequence", "team_id", "sales_qualifying", "responsible_role"]
        )
        self.env["crm.lead"].flush_model(["team_id"])

        def first_stage(condition):
            # the milestone's first stage in the team's pipeline, as (sequence, id)
            return SQL(
                """(SELECT ARRAY[stage.sequence, stage.id] FROM crm_stage stage
                     WHERE %s AND (stage.team_id IS NULL OR stage.team_id = teams.team_id)
                     ORDER BY stage.sequence, stage.id LIMIT 1)""",
                condition,
            )

        def reached(milestone):
            # at or after the milestone, and no earlier row of the lead was
            return SQL(
                """COALESCE(rows.place >= %(milestone)s AND NOT COALESCE(
                       bool_or(rows.place >= %(milestone)s) OVER (
                           PARTITION BY rows.lead_id ORDER BY rows.date_in, rows.id
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), FALSE), FALSE)""",
                milestone=milestone,
            )

        self.env.cr.execute(
            SQL(
                """WITH target AS (
                   SELECT log.id, log.lead_id FROM sales_lead_stage_log log WHERE %(which)s
                   ), rows AS (
                   SELECT log.id, log.lead_id, log.date_in, lead.team_id,
                          ARRAY[stage.sequence, stage.id] AS place
                     FROM sales_lead_stage_log log
                     JOIN crm_stage stage ON stage.id = log.stage_id
                     JOIN crm_lead lead ON lead.id = log.lead_id
                    WHERE log.lead_id IN (SELECT lead_id FROM target)
                   ), milestones AS MATERIALIZED (
                   SELECT teams.team_id, %(qualifying)s AS qualifying, %(closers)s AS closers
                     FROM (SELECT DISTINCT team_id FROM rows) teams
                   ), marked AS (
                   SELECT rows.id, %(qualified)s AS qualified, %(to_closer)s AS to_closer
                     FROM rows
                     JOIN milestones ON milestones.team_id IS NOT DISTINCT FROM rows.team_id
                   )
                   UPDATE sales_lead_stage_log log
                      SET first_qualified = marked.qualified, first_to_closer = marked.to_closer
                     FROM marked
                    WHERE log.id = marked.id AND log.id IN (SELECT id FROM target)
                      AND (log.first_qualified IS DISTINCT FROM marked.qualified
                           OR log.first_to_closer IS DISTINCT FROM marked.to_closer)""",
                which=which,
                qualifying=first_stage(SQL("stage.sales_qualifying")),
                closers=first_stage(SQL("stage.responsible_role = 'closer'")),
                qualified=reached(SQL("milestones.qualifying")),
                to_closer=reached(SQL("milestones.closers")),
            )
        )
        self.invalidate_model(["first_qualified", "first_to_closer"])

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
