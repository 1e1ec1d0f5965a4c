"""sales.kpi.plan.breakdown: a plan built backwards from the money a month
needs, through the team's own funnel, down to each person (the maths:
``engine/plan_breakdown.py``).

The history is the team's over the last whole months (a company setting):
- meetings: its leads that reached the qualifying stage, where the meeting
  is booked and held (a qualified lead is a lead with its meeting set);
- proposals: its leads that reached the closers' first stage;
- won: its leads won; all three counted as the funnel report counts them
  (``sales.funnel.report``: the leads created in the window, a lead reaching
  every stage up to its furthest one);
- calls: the "Calls made" metric of its hunters and universal salespeople
  over the same months (a farmer calls customers, not the funnel);
- the average order: the expected revenue of its won leads, averaged.

Hunters carry the calls, the meetings and the meetings handed over to the
closers (the proposals); closers carry the revenue and the deals won;
universal salespeople carry both; farmers and heads none. Each step's whole
numbers are shared by the members' Darwin weight (1 when the team is not on
Darwin). Saving writes, for each person, the plan lines of "Calls made",
"Leads qualified", "Meetings handed to a closer" and "Revenue won", and the
team's line of each as their sum; running it again replaces those figures.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine import kpi
from ..engine import plan_breakdown as breakdown
from ..models.hr_employee import SALES_ROLES

HUNTING = ("hunter", "universal")
CLOSING = ("closer", "universal")
# line field -> (metric xml id, the roles carrying it)
WRITTEN = {
    "calls": ("sales_dept_org.kpi_metric_calls_made", HUNTING),
    "meetings": ("sales_dept_org.kpi_metric_leads_qualified", HUNTING),
    "proposals": ("sales_dept_org.kpi_metric_meetings_handed_over", HUNTING),
    "revenue": ("sales_dept_org.kpi_metric_revenue_won", CLOSING),
}
CALLS_METRIC = WRITTEN["calls"][0]


class SalesKpiPlanBreakdown(models.TransientModel):
    _name = "sales.kpi.plan.breakdown"
    _description = "Plan Breakdown"

    plan_id = fields.Many2one("sales.kpi.plan", required=True, readonly=True, ondelete="cascade")
    team_id = fields.Many2one(related="plan_id.team_id")
    company_id = fields.Many2one(related="plan_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(related="plan_id.date_from")
    date_to = fields.Date(related="plan_id.date_to")
    target = fields.Monetary("Revenue Target", help="The money the team must win in the period.")

    history_months = fields.Integer(
        "History (months)",
        compute="_compute_history_months",
        store=True,
        readonly=False,
        help="The whole months before this one whose funnel gives the conversion rates.",
    )
    history_from = fields.Date(compute="_compute_history")
    history_to = fields.Date(compute="_compute_history")
    history_calls = fields.Integer("Calls Made", compute="_compute_history")
    history_meetings = fields.Integer("Meetings Set", compute="_compute_history")
    history_proposals = fields.Integer("Proposals", compute="_compute_history")
    history_won = fields.Integer("Deals Won", compute="_compute_history")
    history_average_order = fields.Monetary("Average Won Deal", compute="_compute_history")
    average_order = fields.Monetary(
        compute="_compute_average_order",
        store=True,
        readonly=False,
        help="Money per deal won; by default the team's average won deal over the history.",
    )

    rate_call_meeting = fields.Float(
        "Call to Meeting (%)", compute="_compute_needs", digits=(16, 1)
    )
    rate_meeting_proposal = fields.Float(
        "Meeting to Proposal (%)", compute="_compute_needs", digits=(16, 1)
    )
    rate_proposal_won = fields.Float(
        "Proposal to Won (%)", compute="_compute_needs", digits=(16, 1)
    )
    problem = fields.Char(compute="_compute_needs")
    won_needed = fields.Integer("Deals to Win", compute="_compute_needs")
    proposals_needed = fields.Integer("Proposals to Make", compute="_compute_needs")
    meetings_needed = fields.Integer("Meetings to Hold", compute="_compute_needs")
    calls_needed = fields.Integer("Calls to Make", compute="_compute_needs")

    working_days = fields.Integer(
        compute="_compute_working_days",
        store=True,
        readonly=False,
        help="Days of work in the period (Monday to Friday by default).",
    )
    calls_per_day = fields.Integer(
        "Calls per Hunter a Day",
        compute="_compute_calls_per_day",
        store=True,
        readonly=False,
        help="The hunters' activity norm the headcount is worked out with: the "
        "company's norm for hunters, 40 where it has none.",
    )
    proposals_per_day = fields.Float(
        "Proposals per Closer a Day",
        default=2.0,
        digits=(16, 1),
        help="The closers' activity norm the headcount is worked out with.",
    )
    hunters_needed = fields.Integer(compute="_compute_headcount")
    hunters_count = fields.Integer("Hunters in the Team", compute="_compute_headcount")
    hunters_gap = fields.Integer("Hunters Missing", compute="_compute_headcount")
    closers_needed = fields.Integer(compute="_compute_headcount")
    closers_count = fields.Integer("Closers in the Team", compute="_compute_headcount")
    closers_gap = fields.Integer("Closers Missing", compute="_compute_headcount")

    line_ids = fields.One2many(
        "sales.kpi.plan.breakdown.line",
        "breakdown_id",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._sales_check_plans(
            self.env["sales.kpi.plan"].browse(
                {vals["plan_id"] for vals in vals_list if vals.get("plan_id")}
            )
        )
        return super().create(vals_list)

    @api.depends("plan_id")
    def _compute_calls_per_day(self):
        norms = {
            norm.company_id: norm.calls_per_day
            for norm in self.env["sales.activity.norm"]
            .sudo()
            .search_fetch(
                [("company_id", "in", self.company_id.ids), ("sales_role", "=", "hunter")],
                ["company_id", "calls_per_day"],
            )
        }
        for wizard in self:
            wizard.calls_per_day = norms.get(wizard.company_id) or 40

    @api.depends("plan_id")
    def _compute_history_months(self):
        for wizard in self:
            wizard.history_months = wizard.company_id.sales_breakdown_months or 3

    @api.depends("plan_id", "history_months")
    def _compute_history(self):
        groups = defaultdict(lambda: self.browse())
        for wizard in self:
            if wizard.team_id and wizard.history_months > 0:
                window = breakdown.history_window(
                    wizard.company_id._sales_date(), wizard.history_months
                )
                groups[window] |= wizard
            else:
                window = (False, False)
            wizard.history_from, wizard.history_to = window
        history = {}
        for (date_from, date_to), wizards in groups.items():
            for team_id, found in self._sales_breakdown_history(
                wizards.team_id, date_from, date_to
            ).items():
                history[team_id, date_from] = found
        for wizard in self:
            counts, average = history.get(
                (wizard.team_id.id, wizard.history_from), (breakdown.History(0, 0, 0, 0), 0.0)
            )
            wizard.history_calls = counts.calls
            wizard.history_meetings = counts.meetings
            wizard.history_proposals = counts.proposals
            wizard.history_won = counts.won
            wizard.history_average_order = average

    @api.depends("history_average_order")
    def _compute_average_order(self):
        for wizard in self:
            wizard.average_order = wizard.history_average_order

    @api.depends(
        "target",
        "average_order",
        "history_calls",
        "history_meetings",
        "history_proposals",
        "history_won",
    )
    def _compute_needs(self):
        for wizard in self:
            rates, needs, problem = wizard._sales_needs()
            wizard.problem = problem
            wizard.rate_call_meeting = _percent(rates, breakdown.CALL_MEETING)
            wizard.rate_meeting_proposal = _percent(rates, breakdown.MEETING_PROPOSAL)
            wizard.rate_proposal_won = _percent(rates, breakdown.PROPOSAL_WON)
            wizard.won_needed = needs.won if needs else 0
            wizard.proposals_needed = needs.proposals if needs else 0
            wizard.meetings_needed = needs.meetings if needs else 0
            wizard.calls_needed = needs.calls if needs else 0

    @api.depends("plan_id")
    def _compute_working_days(self):
        for wizard in self:
            wizard.working_days = (
                breakdown.weekdays(wizard.date_from, wizard.date_to) if wizard.plan_id else 0
            )

    @api.depends(
        "calls_needed",
        "proposals_needed",
        "working_days",
        "calls_per_day",
        "proposals_per_day",
        "line_ids.sales_role",
    )
    def _compute_headcount(self):
        for wizard in self:
            roles = wizard.line_ids.mapped("sales_role")
            hunters = sum(1 for role in roles if role in HUNTING)
            closers = sum(1 for role in roles if role in CLOSING)
            usable = wizard.working_days > 0
            hunters_needed = (
                breakdown.headcount(wizard.calls_needed, wizard.calls_per_day, wizard.working_days)
                if usable and wizard.calls_per_day > 0
                else 0
            )
            closers_needed = (
                breakdown.headcount(
                    wizard.proposals_needed, wizard.proposals_per_day, wizard.working_days
                )
                if usable and wizard.proposals_per_day > 0
                else 0
            )
            wizard.hunters_needed, wizard.hunters_count = hunters_needed, hunters
            wizard.hunters_gap = max(hunters_needed - hunters, 0)
            wizard.closers_needed, wizard.closers_count = closers_needed, closers
            wizard.closers_gap = max(closers_needed - closers, 0)

    @api.depends(
        "plan_id", "won_needed", "proposals_needed", "meetings_needed", "calls_needed", "target"
    )
    def _compute_line_ids(self):
        members = self._sales_members()
        for wizard in self:
            people = members.get(wizard.team_id.id, [])
            wizard.line_ids = [Command.clear()] + [
                Command.create(values) for values in wizard._sales_line_values(people)
            ]

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_apply(self):
        """Writes each person's figures, and the team's sums, into the plan:
        the lines of the metrics the breakdown writes are replaced, the others
        kept. Every problem is reported at once and nothing is written."""
        self.ensure_one()
        self._sales_check_plans(self.plan_id)
        self._sales_check_figures()
        metrics = {field: self.env.ref(xmlid).sudo() for field, (xmlid, _roles) in WRITTEN.items()}
        figures = {}  # (metric id, user id or False) -> (target, weight)
        for field, (_xmlid, roles) in WRITTEN.items():
            metric = metrics[field]
            people = self.line_ids.filtered(lambda line, roles=roles: line.sales_role in roles)
            for line in people:
                figures[metric.id, line.user_id.id] = (line[field], line.weight)
            figures[metric.id, False] = (sum(people.mapped(field)), 1.0)
        plan = self.plan_id
        metric_ids = {metric.id for metric in metrics.values()}
        existing = {
            (line.metric_id.id, line.user_id.id): line
            for line in plan.line_ids
            if line.metric_id.id in metric_ids
        }
        commands = []
        for key, (target, weight) in figures.items():
            line = existing.get(key)
            if line:
                commands.append(Command.update(line.id, {"target": target, "weight": weight}))
            else:
                metric_id, user_id = key
                values = {"metric_id": metric_id, "user_id": user_id, "target": target}
                commands.append(Command.create(dict(values, weight=weight)))
        plan.write({"line_ids": commands})
        return {"type": "ir.actions.act_window_close"}

    @api.model
    def _sales_check_plans(self, plans):
        """Only who may change a team's plan breaks it down: its head (the
        record rules of plans), a director; a department plan has no funnel."""
        plans.check_access("write")
        departmental = plans.filtered(lambda plan: not plan.team_id)
        if departmental:
            raise UserError(
                self.env._(
                    "%s is a department plan: break down the plan of each team.",
                    ", ".join(departmental.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # the maths on the records
    # ------------------------------------------------------------------
    def _sales_needs(self):
        """(rates, needs, problem) of this wizard: a problem (a message) and
        no needs when the history or the input cannot give them."""
        history = breakdown.History(
            calls=self.history_calls,
            meetings=self.history_meetings,
            proposals=self.history_proposals,
            won=self.history_won,
        )
        try:
            rates = breakdown.rates(history)
        except breakdown.ZeroHistory as empty:
            return {}, None, self._sales_zero_history_message(empty.step)
        if self.target <= 0 or self.average_order <= 0:
            return rates, None, None
        return rates, breakdown.needs(self.target, self.average_order, rates), None

    def _sales_zero_history_message(self, step):
        names = {
            breakdown.CALL_MEETING: self.env._("call to meeting"),
            breakdown.MEETING_PROPOSAL: self.env._("meeting to proposal"),
            breakdown.PROPOSAL_WON: self.env._("proposal to won"),
        }
        return self.env._(
            "No history for the step %(step)s: the team has no %(what)s from %(first)s "
            "to %(last)s. Lengthen the history or plan this team by hand.",
            step=names[step],
            what={
                breakdown.CALL_MEETING: self.env._("calls made or meetings set"),
                breakdown.MEETING_PROPOSAL: self.env._("meetings set or proposals"),
                breakdown.PROPOSAL_WON: self.env._("proposals or deals won"),
            }[step],
            first=self.history_from,
            last=self.history_to,
        )

    def _sales_line_values(self, people):
        """Values of each person's line: the needs shared by weight among
        the people of each step. ``people``: [(user, role, weight)]."""
        self.ensure_one()
        _rates, needs, _problem = self._sales_needs()
        if not needs:
            return []
        hunters = [person for person in people if person[1] in HUNTING]
        closers = [person for person in people if person[1] in CLOSING]
        shares = defaultdict(dict)
        for field, amount, group, digits in (
            ("calls", needs.calls, hunters, 0),
            ("meetings", needs.meetings, hunters, 0),
            ("proposals", needs.proposals, hunters, 0),
            ("won", needs.won, closers, 0),
            ("revenue", self.target, closers, 2),
        ):
            if not group or not sum(weight for _user, _role, weight in group):
                continue
            parts = kpi.split_by_weights(amount, [weight for *_rest, weight in group], digits)
            for (user, _role, _weight), part in zip(group, parts, strict=True):
                shares[user][field] = part
        return [
            {"user_id": user.id, "sales_role": role, "weight": weight, **shares[user]}
            for user, role, weight in people
        ]

    def _sales_members(self):
        """{team id: [(user, role, weight)]}: the members of the teams of
        ``self`` who take part in the chain, by name; their Darwin weight
        when the team is on Darwin, else 1. One query."""
        members = (
            self.env["crm.team.member"]
            .sudo()
            .search_fetch(
                [
                    ("crm_team_id", "in", self.team_id.ids),
                    ("sales_role", "in", sorted(set(HUNTING + CLOSING))),
                ],
                ["crm_team_id", "user_id", "sales_role", "sales_weight"],
            )
            .sorted(lambda member: (member.user_id.name or "", member.id))
        )
        result = defaultdict(list)
        for member in members:
            team = member.crm_team_id
            weight = member.sales_weight if team.sales_darwin else 1.0
            result[team.id].append((member.user_id, member.sales_role, weight))
        return result

    def _sales_check_figures(self):
        """Every reason the figures cannot be saved, in one message."""
        errors = []
        if self.target <= 0:
            errors.append(self.env._("The revenue target must be more than zero."))
        if self.average_order <= 0:
            errors.append(self.env._("The average order must be more than zero."))
        if self.history_months < 1:
            errors.append(self.env._("The history must cover at least one month."))
        if self.problem:
            errors.append(self.problem)
        roles = set(self.line_ids.mapped("sales_role"))
        if not errors and not roles & set(HUNTING):
            errors.append(
                self.env._("The team has no hunter for the calls, meetings and proposals.")
            )
        if not errors and not roles & set(CLOSING):
            errors.append(self.env._("The team has no closer for the revenue."))
        for line in self.line_ids:
            negative = [
                self.line_ids._fields[name].get_description(self.env)["string"]
                for name in ("calls", "meetings", "proposals", "won", "revenue", "weight")
                if line[name] < 0
            ]
            if negative:
                errors.append(
                    self.env._(
                        "%(person)s: %(figures)s cannot be negative.",
                        person=line.user_id.name,
                        figures=", ".join(negative),
                    )
                )
        if errors:
            raise UserError(self.env._("The plan cannot be broken down:\n%s", "\n".join(errors)))

    # ------------------------------------------------------------------
    # batch API
    # ------------------------------------------------------------------
    @api.model
    def _sales_breakdown_history(self, teams, date_from, date_to):
        """{team id: (History, average won deal)} of ``teams`` from
        ``date_from`` to ``date_to`` (see the module doc): one query of the
        cohort's leads and one read of the calls per company, whatever the
        number of teams. Read as superuser: the caller checked that the user
        plans these teams."""
        if not teams:
            return {}
        sudo = self.sudo()
        milestones = sudo._sales_milestone_stages(teams)
        counts = sudo._sales_cohort_counts(teams, milestones, date_from, date_to)
        calls = sudo._sales_calls_by_team(teams, date_from, date_to)
        result = {}
        for team in teams:
            meetings, proposals, won, average = counts.get(team.id, (0, 0, 0, None))
            result[team.id] = (
                breakdown.History(calls.get(team.id, 0), meetings, proposals, won),
                average or 0.0,
            )
        return result

    @api.model
    def _sales_cohort_counts(self, teams, milestones, date_from, date_to):
        """{team id: (meetings, proposals, won, average won deal)}: the leads
        created in the window reaching the qualifying stage and the closers'
        first stage, the won ones among the latter, and the expected revenue
        of the won ones averaged. Counted as the funnel report counts them (a
        lead reached every stage up to its furthest one, in its log or its
        current stage; won: active in a won stage), but only over the
        cohort's leads: the report's view works out every lead's furthest
        stage before any filter applies."""
        for model, names in (
            ("crm.lead", ["team_id", "stage_id", "active", "expected_revenue"]),
            ("sales.lead.stage.log", ["lead_id", "stage_id"]),
            ("crm.stage", ["sequence", "is_won"]),
        ):
            self.env[model].flush_model(names)
        places = [
            SQL(
                "(%s, %s, %s)",
                team_id,
                qualifying or 0,  # no stage: nothing reaches it
                proposal or 0,
            )
            for team_id, (qualifying, proposal) in milestones.items()
        ]
        rows = self.env.execute_query(
            SQL(
                """
WITH places AS (
    SELECT place.team_id, qualifying.sequence AS q_sequence, qualifying.id AS q_id,
           proposal.sequence AS p_sequence, proposal.id AS p_id
      FROM (VALUES %(places)s) AS place(team_id, qualifying_id, proposal_id)
 LEFT JOIN crm_stage qualifying ON qualifying.id = place.qualifying_id
 LEFT JOIN crm_stage proposal ON proposal.id = place.proposal_id
), cohort AS (
    SELECT lead.id, lead.team_id, lead.active, lead.expected_revenue,
           COALESCE(current.is_won, FALSE) AS in_won_stage
      FROM crm_lead lead
 LEFT JOIN crm_stage current ON current.id = lead.stage_id
     WHERE lead.team_id IN %(teams)s
       AND lead.create_date >= %(start)s AND lead.create_date < %(stop)s
), furthest AS (
    SELECT DISTINCT ON (moves.lead_id) moves.lead_id, stage.sequence, stage.id,
           COALESCE(stage.is_won, FALSE) AS is_won
      FROM (SELECT log.lead_id, log.stage_id
              FROM sales_lead_stage_log log JOIN cohort ON cohort.id = log.lead_id
            UNION
            SELECT id, stage_id FROM crm_lead
             WHERE id IN (SELECT id FROM cohort) AND stage_id IS NOT NULL) AS moves
      JOIN crm_stage stage ON stage.id = moves.stage_id
  ORDER BY moves.lead_id, stage.sequence DESC, stage.id DESC
)
SELECT places.team_id,
       COUNT(*) FILTER (WHERE (furthest.sequence, furthest.id) >= (q_sequence, q_id)),
       COUNT(*) FILTER (WHERE (furthest.sequence, furthest.id) >= (p_sequence, p_id)),
       COUNT(*) FILTER (WHERE (furthest.sequence, furthest.id) >= (p_sequence, p_id)
                          AND cohort.active AND furthest.is_won),
       AVG(cohort.expected_revenue) FILTER (WHERE cohort.active AND cohort.in_won_stage)
  FROM places
  JOIN cohort ON cohort.team_id = places.team_id
  JOIN furthest ON furthest.lead_id = cohort.id
 GROUP BY places.team_id
""",
                places=SQL(", ").join(places),
                teams=tuple(teams.ids),
                start=datetime.combine(date_from, time.min),
                stop=datetime.combine(date_to + timedelta(days=1), time.min),
            )
        )
        return {
            team_id: (meetings, proposals, won, float(average) if average is not None else None)
            for team_id, meetings, proposals, won, average in rows
        }

    @api.model
    def _sales_milestone_stages(self, teams):
        """{team id: (qualifying stage id, closers' first stage id)} in each
        team's pipeline (its stages and the shared ones, by sequence), as the
        stage log marks its milestones."""
        stages = self.env["crm.stage"].search_fetch(
            ["|", ("team_id", "=", False), ("team_id", "in", teams.ids)],
            ["sequence", "team_id", "sales_qualifying", "responsible_role"],
            order="sequence, id",
        )
        result = {}
        for team in teams:
            pipeline = stages.filtered(
                lambda stage, team=team: not stage.team_id or stage.team_id == team
            )
            result[team.id] = (
                next((stage.id for stage in pipeline if stage.sales_qualifying), None),
                next((s.id for s in pipeline if s.responsible_role == "closer"), None),
            )
        return result

    @api.model
    def _sales_calls_by_team(self, teams, date_from, date_to):
        """{team id: calls made by its hunters and universal salespeople}:
        the "Calls made" metric, one read per company of the teams (a
        farmer's calls go to customers, not to the funnel)."""
        metric = self.env.ref(CALLS_METRIC)
        members = self.env["crm.team.member"].search_fetch(
            [("crm_team_id", "in", teams.ids), ("sales_role", "in", HUNTING)],
            ["crm_team_id", "user_id"],
        )
        result = defaultdict(int)
        for company, company_teams in teams.grouped(
            lambda team: team.company_id or self.env.company
        ).items():
            people = members.filtered(lambda member, ts=company_teams: member.crm_team_id in ts)
            facts = metric.with_context(allowed_company_ids=company.ids)._read_facts(
                people.user_id, date_from, date_to
            )
            for member in people:
                result[member.crm_team_id.id] += int(facts.get((metric.id, member.user_id.id), 0))
        return result


def _percent(rates, step):
    return float(rates[step]) * 100 if step in rates else 0.0


class SalesKpiPlanBreakdownLine(models.TransientModel):
    _name = "sales.kpi.plan.breakdown.line"
    _description = "Plan Breakdown Figures of a Person"
    _order = "breakdown_id, id"

    breakdown_id = fields.Many2one(
        "sales.kpi.plan.breakdown", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="breakdown_id.currency_id")
    user_id = fields.Many2one("res.users", "Salesperson", required=True, readonly=True)
    sales_role = fields.Selection(SALES_ROLES, "Role", readonly=True)
    weight = fields.Float(digits=(3, 2), readonly=True)
    calls = fields.Integer(help="Calls to make in the period.")
    meetings = fields.Integer(help="Leads to qualify: meetings to set and hold.")
    proposals = fields.Integer(help="Meetings to hand over to a closer for a proposal.")
    won = fields.Integer("Deals Won", readonly=True, help="Deals to win (shown, not planned).")
    revenue = fields.Monetary(help="Revenue to win in the period.")
