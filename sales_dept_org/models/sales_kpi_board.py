"""The board: one row per team member, ranked by weighted attainment of the
month to date, with today's and tomorrow's plan, today's fact and the money of
the day.

Every figure is computed for all rows at once through the batch APIs (one
query for the targets of the month to date, today and tomorrow:
``sales.kpi.plan._get_range_targets``; one for the facts of the days before
today and one for today's: ``sales.kpi.metric._read_fact_parts``) plus one
grouped query for the invoices due today, so opening a board costs the same
number of queries for 3 people or 30. The team sees the ranking; money
figures are shown only to their owner, the team head and the director.
"""

from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..engine import kpi

PAYMENTS_METRIC = "sales_dept_org.kpi_metric_payments_received"


class SalesKpiBoard(models.Model):
    _name = "sales.kpi.board"
    _description = "KPI Board"
    _auto = False
    _order = "team_id, id"

    # Pivot and graph (``_read_group``): the figures are computed, not stored,
    # so their aggregates are too. SQL makes the groups and lists each group's
    # rows; the figures of all those rows are computed at once (teams are
    # small), then summed or averaged per group. Money another person may not
    # see is already 0 on the row, so no aggregate reveals it.
    AGGREGATORS = {
        "sum": sum,
        "avg": lambda values: sum(values) / len(values) if values else 0.0,
        "max": lambda values: max(values, default=0.0),
        "min": lambda values: min(values, default=0.0),
    }

    team_id = fields.Many2one("crm.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_board")
    rank = fields.Integer(compute="_compute_board", aggregator="min")
    attainment = fields.Float(
        compute="_compute_board",
        aggregator="avg",
        help="Weighted attainment of the month to date, in %. Each metric counts up to "
        "the company's board attainment cap (Settings, 200% by default; 0: no cap).",
    )
    attainment_capped = fields.Boolean(
        compute="_compute_board",
        help="A metric of this row reached more than the board attainment cap and counts "
        "as the cap.",
    )
    metrics_html = fields.Html(compute="_compute_board", string="Plan and Fact", sanitize=False)
    money_visible = fields.Boolean(compute="_compute_board")
    money_plan_today = fields.Monetary(
        compute="_compute_board",
        aggregator="sum",
        help="Payments planned today: the day's share of the payments target "
        "plus the open customer invoices due today.",
    )
    money_target_today = fields.Monetary(compute="_compute_board", aggregator="sum")
    money_due_today = fields.Monetary(compute="_compute_board", aggregator="sum")
    money_fact_today = fields.Monetary(compute="_compute_board", aggregator="sum")
    money_plan_tomorrow = fields.Monetary(compute="_compute_board", aggregator="sum")

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_board(self):
        # whole teams, so that ranks do not depend on which rows were asked for
        # (an explicit order: the default one ranks, which is computed here)
        rows = self.sudo().search([("team_id", "in", self.team_id.ids)], order="id") | self.sudo()
        Metric = self.env["sales.kpi.metric"].sudo()
        # what the figures, the facts' queries and the table read, in one query
        metrics = Metric.search_fetch(
            [("active", "=", True)],
            [
                *Metric.SOURCE_FIELDS,
                "model_name",
                "facts_stored_until",
                "name",
                "is_money",
                "board_weight",
                "higher_is_better",
            ],
        )
        # "today" is each row's company's day: one pass per date, usually one
        # (a team in another time zone may already be on the next date)
        figures, due = {}, {}
        by_day = rows.grouped(lambda row: (row.company_id or self.env.company)._sales_date())
        for today, day_rows in by_day.items():
            day_figures = self._day_figures(day_rows.user_id, today, metrics)
            day_due = self.env["account.move"]._sales_due_by_salesperson([today], day_rows.user_id)
            for row in day_rows:
                figures[row.id] = day_figures[row.user_id.id]
                due[row.id] = day_due.get((row.user_id.id, today), 0.0)
        scoring = {metric: (metric.board_weight, metric.higher_is_better) for metric in metrics}
        attainments, capped = {}, {}
        for row in rows:
            cap = row._attainment_cap()
            weighted = []
            for metric, (plan, fact, *_today) in figures[row.id].items():
                weight, higher_is_better = scoring[metric]
                reached = kpi.attainment(plan, fact, higher_is_better)
                if cap is not None and reached is not None and reached > cap:
                    reached, capped[row.id] = cap, True
                weighted.append((weight, reached))
            attainments[row.id] = kpi.weighted_attainment(weighted)
        ranks = {}
        for team in rows.team_id:
            team_rows = rows.filtered(lambda row, team=team: row.team_id == team)
            ranks.update(
                kpi.rank([(row.id, attainments[row.id], row.user_id.name) for row in team_rows])
            )
        payments_id = self.env["ir.model.data"]._xmlid_to_res_id(
            PAYMENTS_METRIC, raise_if_not_found=False
        )
        payments = metrics.browse(payments_id) if payments_id in metrics.ids else None
        render = self._metrics_renderer(metrics)
        for row in self:
            visible = row._money_visible()
            money = figures[row.id].get(payments, (0.0,) * 5) if visible else (0.0,) * 5
            row.currency_id = row.company_id.currency_id or self.env.company.currency_id
            row.rank = ranks.get(row.id, 0)
            value = attainments[row.id]
            row.attainment = value * 100 if value is not None else 0.0
            row.attainment_capped = capped.get(row.id, False)
            row.money_visible = visible
            row.money_target_today = money[2]
            row.money_due_today = due[row.id] if visible else 0.0
            row.money_plan_today = row.money_target_today + row.money_due_today
            row.money_fact_today = money[3]
            row.money_plan_tomorrow = money[4]
            row.metrics_html = render(figures[row.id], visible, row.currency_id)

    @api.model
    def _day_figures(self, users, today, metrics):
        """{user id: {metric: (plan MTD, fact MTD, plan today, fact today, plan
        tomorrow)}} of the month up to ``today``: one query for the targets,
        one for the facts of the days before today (stored by the nightly
        cron) and one for today's (live). The metrics' settings are read once:
        the loops run people x metrics."""
        tomorrow = today + timedelta(days=1)
        month_start = today.replace(day=1)
        targets = self.env["sales.kpi.plan"]._get_range_targets(
            users, [(month_start, today), (today, today), (tomorrow, tomorrow)]
        )
        facts_before = metrics._read_fact_parts(users, month_start, today - timedelta(days=1))
        facts_today = metrics._read_fact_parts(users, today, today)
        figures = defaultdict(dict)
        for metric in metrics:
            average = metric.measure == "average"
            for user_id in users.ids:
                key = (metric.id, user_id)
                before, done_today = facts_before.get(key), facts_today.get(key)
                if key not in targets and not before and not done_today:
                    continue
                plan_mtd, plan_today, plan_tomorrow = targets.get(key, (0.0, 0.0, 0.0))
                before, done_today = before or (0.0, 0), done_today or (0.0, 0)
                figures[user_id][metric] = (
                    plan_mtd,
                    kpi.fact_value(before[0] + done_today[0], before[1] + done_today[1], average),
                    plan_today,
                    kpi.fact_value(*done_today, average),
                    plan_tomorrow,
                )
        return figures

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %s AS
                   SELECT member.id, member.crm_team_id AS team_id, member.user_id,
                          team.company_id
                     FROM crm_team_member member
                     JOIN crm_team team ON team.id = member.crm_team_id
                    WHERE member.active AND team.active""",
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _flush_search(self, domain, fields=None, order=None, seen=None):
        # the view reads team members: flush them, not only this model's fields
        result = super()._flush_search(domain, fields=fields, order=order, seen=seen)
        self.env["crm.team.member"].flush_model(["crm_team_id", "user_id", "active"])
        self.env["crm.team"].flush_model(["company_id", "active"])
        return result

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        """The default order is the ranking: teams are small, so the rows are
        ranked in memory, then sliced."""
        if order and order != self._order:
            return super().search_fetch(domain, field_names, offset, limit, order)
        # the company too: the figures are computed next and need it
        rows = super().search_fetch(domain, [*field_names, "company_id"])
        rows = rows.sorted(lambda row: (row.team_id.name or "", row.team_id.id, row.rank))
        return rows[offset : offset + limit if limit else None]

    @api.model
    def _is_computed_aggregate(self, aggregate_spec):
        field = self._fields.get(aggregate_spec.split(":")[0])
        return bool(field and field.compute == "_compute_board" and field.aggregator)

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        if self._is_computed_aggregate(aggregate_spec):
            return SQL("NULL")  # a placeholder: _read_group computes it
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        computed = {
            index: spec.split(":")
            for index, spec in enumerate(aggregates)
            if self._is_computed_aggregate(spec)
        }
        if not computed:
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        for fname, func in computed.values():
            if func not in self.AGGREGATORS:
                raise ValueError(f"Aggregate {func!r} of {fname} is not supported")
        groups = super()._read_group(
            domain, groupby, (*aggregates, "id:recordset"), having, offset, limit, order
        )
        rows = self.browse().union(*(group[-1] for group in groups))
        for fname, _func in computed.values():
            rows.mapped(fname)  # every row at once, before reading group by group
        result = []
        for *values, group_rows in groups:
            group_rows = group_rows.with_prefetch(rows._prefetch_ids)
            for index, (fname, func) in computed.items():
                values[len(groupby) + index] = self.AGGREGATORS[func](group_rows.mapped(fname))
            result.append(tuple(values))
        return result

    def _attainment_cap(self):
        """The row company's cap on each metric's attainment (1 is the plan), None
        when the company shows the true percentage."""
        cap = (self.company_id or self.env.company).sales_board_attainment_cap
        return cap / 100 if cap else None

    def _money_visible(self):
        user = self.env.user
        return (
            self.user_id == user
            or self.team_id.user_id == user
            or user.has_group("sales_dept_org.group_sales_dept_director")
        )

    def _metrics_renderer(self, metrics):
        """render(figures, money_visible, currency) -> the plan and fact table of
        a row. The header, the metrics' names and each currency's formatter
        are made once per board, not once per row and cell. ``figures``:
        {metric: 5 figures}, in the metrics' order."""
        header = Markup(
            "<tr><th></th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr>"
        ) % (
            self.env._("Plan today"),
            self.env._("Fact today"),
            self.env._("Plan tomorrow"),
            self.env._("Plan MTD"),
            self.env._("Fact MTD"),
        )
        names = {metric: escape(metric.name) for metric in metrics}
        codes = {metric: escape(metric.code) for metric in metrics}
        money = {metric: metric.is_money for metric in metrics}
        formatters = {}  # currency id -> format(metric, value)

        def render(figures, money_visible, currency):
            if currency.id not in formatters:
                formatters[currency.id] = metrics._value_formatter(currency)
            text = formatters[currency.id]
            rows = []
            for metric, (plan, fact, plan_today, fact_today, plan_tomorrow) in figures.items():
                if money[metric] and not money_visible:
                    continue
                cells = "".join(
                    f'<td class="text-end">{escape(text(metric, value))}</td>'
                    for value in (plan_today, fact_today, plan_tomorrow, plan, fact)
                )
                # the code names the row whatever the user's language
                rows.append(
                    f'<tr data-metric="{codes[metric]}"><td>{names[metric]}</td>{cells}</tr>'
                )
            if not rows:
                return False
            # every piece above is escaped: names, amounts and the header
            return Markup(
                f"<table class='table table-sm o_sales_kpi_board'>{header}{''.join(rows)}</table>"
            )

        return render
