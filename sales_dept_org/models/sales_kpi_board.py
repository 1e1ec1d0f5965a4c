"""The board: one row per team member, ranked by weighted attainment of the
month to date, with today's and tomorrow's plan, today's fact and the money of
the day.

Every figure is computed for all rows at once through the batch APIs (one
query for the targets of the month to date, today and tomorrow:
``sales.kpi.plan._get_range_targets``; one statement for the facts of the
month's and the week's days before today and of today:
``sales.kpi.metric._fact_parts_sql``) plus one grouped query for the
invoices due today and one read of the people's names, so opening a board
costs the same number of queries for 3 people or 30. The team sees the ranking; money
figures are shown only to their owner, the team head and the director.

Every fact opens the records behind it (``action_open_facts``): the domain
is built from the metric's definition as the facts' SQL reads it, so the
records opened make the figure.
"""

from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..engine import kpi

PAYMENTS_METRIC = "sales_dept_org.kpi_metric_payments_received"
# the pace's colour as a Bootstrap bar
BAR_CLASSES = {"green": "bg-success", "amber": "bg-warning", "red": "bg-danger"}
# what ``_compute_board`` sets, in the order it lists each row's values
BOARD_COLUMNS = (
    "date",
    "currency_id",
    "rank",
    "attainment",
    "attainment_capped",
    "money_visible",
    "money_target_today",
    "money_due_today",
    "money_plan_today",
    "money_fact_today",
    "money_plan_tomorrow",
    "metrics_html",
)


class SalesKpiBoard(models.Model):
    _name = "sales.kpi.board"
    _description = "KPI Board"
    _auto = False
    _order = "team_id, id"
    _rec_name = "user_id"

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
    member_id = fields.Many2one("crm.team.member", string="Membership", readonly=True)
    team_darwin = fields.Boolean(related="team_id.sales_darwin", string="Darwin")
    sales_weight = fields.Float(
        compute="_compute_darwin",
        string="Darwin Weight",
        help="The share of new leads this person gets in a team with the Darwin "
        "principle on, from last month's attainment.",
    )
    sales_weight_reason = fields.Char(compute="_compute_darwin", string="Why")
    company_id = fields.Many2one("res.company", readonly=True)
    team_has_roles = fields.Boolean(
        "Team with roles",
        readonly=True,
        help="A member of the team has a sales role (hunter, closer, farmer, head or "
        "universal): the department's teams, not Odoo's default ones.",
    )
    date = fields.Date("Day", compute="_compute_board", help="The company's day the board shows.")
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
                "code",
                "is_money",
                "board_weight",
                "higher_is_better",
            ],
        )
        # "today" is each row's company's day: one pass per date, usually one
        # (a team in another time zone may already be on the next date)
        figures, due, days = {}, {}, {}
        dates = {company: company._sales_date() for company in rows.company_id | self.env.company}
        by_day = rows.grouped(lambda row: dates[row.company_id or self.env.company])
        for today, day_rows in by_day.items():
            day_figures = self._day_figures(day_rows.user_id, today, metrics)
            day_due = self.env["account.move"]._sales_due_by_salesperson([today], day_rows.user_id)
            for row in day_rows:
                figures[row.id] = day_figures[row.user_id.id]
                due[row.id] = day_due.get((row.user_id.id, today), 0.0)
                days[row.id] = today
        # everybody's name in one read (ranks break ties by name), before
        # ranking team by team
        names = dict(zip(rows.user_id.ids, rows.user_id.mapped("name"), strict=True))
        weights = {metric.id: (metric.board_weight, metric.higher_is_better) for metric in metrics}
        caps = {row.company_id: row._attainment_cap() for row in rows}
        attainments, capped, ranks = {}, {}, {}
        for team_rows in rows.grouped("team_id").values():
            for row in team_rows:
                attainments[row.id], capped[row.id] = kpi.overall_attainment(
                    [
                        (weights[metric.id][0], plan, fact, weights[metric.id][1])
                        for metric, (plan, fact, *_today) in figures[row.id].items()
                    ],
                    cap=caps[row.company_id],
                )
            ranks.update(
                kpi.rank(
                    [(row.id, attainments[row.id], names[row.user_id.id]) for row in team_rows]
                )
            )
        payments_id = self.env["ir.model.data"]._xmlid_to_res_id(
            PAYMENTS_METRIC, raise_if_not_found=False
        )
        payments = metrics.browse(payments_id) if payments_id in metrics.ids else None
        render = self._metrics_renderer(metrics)
        visible_rows = self._money_visible_rows()
        default_currency = self.env.company.currency_id
        nothing = (0.0,) * 7
        columns = {name: [] for name in BOARD_COLUMNS}
        for row in self:
            visible = row.id in visible_rows
            money = figures[row.id].get(payments, nothing) if visible else nothing
            currency = row.company_id.currency_id or default_currency
            value = attainments[row.id]
            target_today = currency.round(money[2])
            due_today = currency.round(due[row.id]) if visible else 0.0
            for name, cell in zip(
                BOARD_COLUMNS,
                (
                    days[row.id],
                    currency.id,
                    ranks.get(row.id, 0),
                    value * 100 if value is not None else 0.0,
                    capped.get(row.id, False),
                    visible,
                    target_today,
                    due_today,
                    currency.round(target_today + due_today),
                    currency.round(money[3]),
                    currency.round(money[4]),
                    render(figures[row.id], visible, currency) or None,  # as Html keeps False
                ),
                strict=True,
            ):
                columns[name].append(cell)
        # the columns straight into the cache: the values are already what
        # the fields keep, and a board sets thousands of them
        for name, values in columns.items():
            self.env.cache.update(self, self._fields[name], values)

    @api.depends("member_id", "team_darwin")
    @api.depends_context("lang")
    def _compute_darwin(self):
        """The member's weight and why, in teams with the Darwin principle on
        (read for those members only: the reason is a formatted month)."""
        darwin = self.filtered("team_darwin")
        members = self.env["crm.team.member"].sudo().browse(darwin.member_id.ids)
        weights = {
            member.id: (member.sales_weight, member.sales_weight_reason) for member in members
        }
        for row in self:
            row.sales_weight, row.sales_weight_reason = weights.get(row.member_id.id, (0.0, False))

    @api.model
    def _day_figures(self, users, today, metrics):
        """{user id: {metric: (plan MTD, fact MTD, plan today, fact today, plan
        tomorrow, plan WTD, fact WTD)}} of the month and the week (from
        Monday) up to ``today``: one query for the targets, one statement for
        the facts of the month's and the week's days before today (stored by
        the nightly cron) and of today's (live). The metrics' settings are
        read once: the loops run people x metrics."""
        tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
        month_start, week_start = today.replace(day=1), kpi.week_start(today)
        targets = self.env["sales.kpi.plan"]._get_range_targets(
            users,
            [(month_start, today), (today, today), (tomorrow, tomorrow), (week_start, today)],
        )
        # on the 1st the month before today is empty, on a Monday the week:
        # no query for them
        facts_before, facts_week, facts_today = self._read_periods(
            metrics, users, [(month_start, yesterday), (week_start, yesterday), (today, today)]
        )
        nothing = (0.0, 0)
        figures = defaultdict(dict)
        for metric in metrics:
            average = metric.measure == "average"
            for user_id in users.ids:
                key = (metric.id, user_id)
                before, done_today = facts_before.get(key), facts_today.get(key)
                week = facts_week.get(key, nothing)
                if key not in targets and not before and not done_today and not week[1]:
                    continue
                plan_mtd, plan_today, plan_tomorrow, plan_wtd = targets.get(key, (0.0,) * 4)
                before, done_today = before or nothing, done_today or nothing
                figures[user_id][metric] = (
                    plan_mtd,
                    kpi.fact_value(before[0] + done_today[0], before[1] + done_today[1], average),
                    plan_today,
                    kpi.fact_value(*done_today, average),
                    plan_tomorrow,
                    plan_wtd,
                    kpi.fact_value(week[0] + done_today[0], week[1] + done_today[1], average),
                )
        return figures

    @api.model
    def _read_periods(self, metrics, users, periods):
        """[{(metric_id, user_id): (amount, count)} of each (first day, last
        day) of ``periods``]: ``_read_fact_parts`` of each, all sent as one
        statement (one round trip, whatever the number of periods)."""
        queries = [
            SQL("SELECT %s AS period, facts.* FROM (%s) AS facts", index, query)
            for index, (date_from, date_to) in enumerate(periods)
            if (query := metrics._fact_parts_sql(users, date_from, date_to))
        ]
        parts = [defaultdict(lambda: [0.0, 0]) for _period in periods]
        if queries:
            for index, metric_id, user_id, _day, _company, amount, count in metrics._execute_facts(
                SQL(" UNION ALL ").join(queries)
            ):
                sums = parts[index][metric_id, user_id]
                sums[0] += amount
                sums[1] += count
        return [{key: tuple(value) for key, value in period.items()} for period in parts]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %s AS
                   SELECT member.id, member.id AS member_id, member.crm_team_id AS team_id,
                          member.user_id,
                          team.company_id,
                          EXISTS (SELECT 1 FROM crm_team_member role
                                   WHERE role.crm_team_id = team.id AND role.active
                                     AND role.sales_role IS NOT NULL) AS team_has_roles
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
        self.env["crm.team.member"].flush_model(["crm_team_id", "user_id", "active", "sales_role"])
        self.env["crm.team"].flush_model(["company_id", "active"])
        return result

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        """The default order is the ranking within each team, teams by name.
        The rows' teams are read first (no figure): only the teams the page
        ``offset``/``limit`` touches are ranked, so a page of the director's
        board computes the figures of a few teams, not of every row."""
        if order and order != self._order:
            return super().search_fetch(domain, field_names, offset, limit, order)
        # the company too: the figures are computed next and need it
        rows = super().search_fetch(domain, [*field_names, "team_id", "company_id"], order="id")
        end = offset + limit if limit else None
        page, position, skip = [], 0, 0
        for _team, team_rows in sorted(
            rows.grouped("team_id").items(), key=lambda item: (item[0].name or "", item[0].id)
        ):
            if end is not None and position >= end:
                break
            if position + len(team_rows) > offset:
                skip = skip if page else offset - position
                page.extend(team_rows.ids)
            position += len(team_rows)
        # a fresh prefetch set: ranking these rows computes these teams only
        ranked = self.browse(page).sorted(
            lambda row: (row.team_id.name or "", row.team_id.id, row.rank)
        )
        return ranked[skip : skip + limit if limit else None]

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

    @api.depends("user_id", "team_id")
    def _compute_display_name(self):
        # the form's breadcrumb: the person, then the team
        for row in self:
            row.display_name = " · ".join(filter(None, (row.user_id.name, row.team_id.name)))

    # ------------------------------------------------------------------
    # the records behind a figure
    # ------------------------------------------------------------------
    def _period_labels(self):
        return {
            "today": self.env._("Today"),
            "week": self.env._("Week"),
            "month": self.env._("Month"),
            "tomorrow": self.env._("Tomorrow"),
        }

    def _period_range(self, period):
        """(first day, last day) of a row's figure: today, the week from
        Monday or the month up to today, as ``_day_figures`` reads them."""
        self.ensure_one()
        today = self.date
        starts = {"today": today, "week": kpi.week_start(today), "month": today.replace(day=1)}
        if period not in starts:
            raise UserError(
                self.env._(
                    "Unknown period %(period)s: use one of %(periods)s.",
                    period=period,
                    periods=", ".join(starts),
                )
            )
        return starts[period], today

    def _facts_domain(self, metric, date_from, date_to):
        """The domain of ``metric``'s source records that make this row's
        figure from ``date_from`` to ``date_to``, built from the metric's
        definition as ``sales.kpi.metric._source_sql`` reads it: its domain,
        the companies of the board, the person credited and the company's
        days (a datetime from the start of the first day to the start of the
        day after the last, in the row's company's time zone). Inactive
        records count too: open it with ``active_test`` off."""
        self.ensure_one()
        model = self.env[metric.model_name]
        domain = [
            *metric._source_domain(),
            (metric.user_field, "=", self.user_id.id),
        ]
        if "company_id" in model._fields:
            domain.append(("company_id", "in", [*self.env.companies.ids, False]))
        date_field = metric._path_error(model, metric.date_field)[1]
        if date_field.type == "datetime":
            company = self.company_id or self.env.company
            bounds = (
                fields.Datetime.to_string(company._sales_day_start(date_from)),
                fields.Datetime.to_string(company._sales_day_start(date_to + timedelta(days=1))),
            )
            domain += [(metric.date_field, ">=", bounds[0]), (metric.date_field, "<", bounds[1])]
        else:
            domain += [
                (metric.date_field, ">=", fields.Date.to_string(date_from)),
                (metric.date_field, "<=", fields.Date.to_string(date_to)),
            ]
        return domain

    def action_open_facts(self, metric_id, period):
        """The records behind one fact of this row (a link on the board): the
        leads, activities, orders, calls or payments of the metric, credited
        to the row's person in ``period`` (today, week or month). Money the
        user may not see on the board is not opened either."""
        self.ensure_one()
        metric = self.env["sales.kpi.metric"].sudo().browse(int(metric_id)).exists()
        if not metric:
            raise UserError(self.env._("The KPI metric %s does not exist.", metric_id))
        if metric.is_money and not self._money_visible():
            raise AccessError(
                self.env._(
                    "Only %(person)s, the team head and the director see the money of %(person)s.",
                    person=self.user_id.name,
                )
            )
        date_from, date_to = self._period_range(period)
        self.env[metric.model_name].check_access("read")
        label = self._period_labels()[period]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(metric)s: %(person)s, %(period)s",
                metric=metric.name,
                person=self.user_id.name,
                period=label,
            ),
            "res_model": metric.model_name,
            "views": [(False, "list"), (False, "form")],
            "domain": self._facts_domain(metric, date_from, date_to),
            "context": {"active_test": False, "create": False},
        }

    def _attainment_cap(self):
        """The row company's cap on each metric's attainment (1 is the plan), None
        when the company shows the true percentage."""
        cap = (self.company_id or self.env.company).sales_board_attainment_cap
        return cap / 100 if cap else None

    def _money_visible(self):
        self.ensure_one()
        return bool(self._money_visible_rows())

    def _money_visible_rows(self):
        """The ids of the rows whose money the user sees: their own, their
        team's as its head, everybody's as the director."""
        user = self.env.user
        if user.has_group("sales_dept_org.group_sales_dept_director"):
            return set(self.ids)
        return {row.id for row in self if user in (row.user_id, row.team_id.user_id)}

    def _metrics_renderer(self, metrics):
        """render(figures, money_visible, currency) -> the plan and fact table of
        a row, one column per metric: today's, the week's and the month's
        "fact / plan" over a bar coloured against that pace (green on or over
        it, amber from 80%, red under), then tomorrow's plan. Each fact is a
        link to the records behind it (``action_open_facts``, through the
        board's figures widget). The labels, the metrics' names, each
        currency's formatter and each figure's text are made once per board,
        not once per row and cell. ``figures``: {metric: 7 figures}, in the
        metrics' order."""
        labels = {period: escape(label) for period, label in self._period_labels().items()}
        # what a metric's cells need, made once per board: its header, the
        # opening tag of each period's cell (today, week, month and tomorrow,
        # the facts' with their link), money, direction
        kinds = {}
        for metric in metrics:
            code = escape(metric.code)
            kinds[metric.id] = (
                f'<th class="text-end text-nowrap" data-metric="{code}">{escape(metric.name)}</th>',
                *(
                    f'<td class="text-end text-nowrap" data-metric="{code}" '
                    f'data-period="{period}">'
                    f'<a href="#" class="o_sales_kpi_fact" data-metric-id="{metric.id}" '
                    f'data-period="{period}">'
                    for period in ("today", "week", "month")
                ),
                f'<td class="text-end text-nowrap" data-metric="{code}" data-period="tomorrow">',
                metric.is_money,
                metric.higher_is_better,
            )
        # a figure's text depends on the currency and the metric's kind
        # (money, average or count) only, and a cell's on that and the
        # direction: each text and each cell is made once per board
        kind_of = {metric.id: (metric.is_money, metric.measure == "average") for metric in metrics}
        formatters, texts, cells = {}, {}, {}

        def texts_of(currency, metric):
            """text(value) -> the escaped figure, each value formatted once."""
            key = (currency.id, kind_of[metric.id])
            if key not in texts:
                if currency.id not in formatters:
                    formatters[currency.id] = metrics._value_formatter(currency)
                format_value, made = formatters[currency.id], {}

                def text(value):
                    if value not in made:
                        made[value] = escape(format_value(metric, value))
                    return made[value]

                texts[key] = text
            return texts[key]

        def cell(opening, text, higher, fact, plan):
            """The cell of a fact after its opening tag: "fact / plan" and the
            bar of the pace."""
            key = (text, higher, fact, plan)
            if key not in cells:
                reached = kpi.attainment(plan, fact, higher)
                pace = kpi.pace(reached)
                bar = (
                    f'<div class="progress" style="height: 4px;" data-pace="{pace}">'
                    f'<div class="progress-bar {BAR_CLASSES[pace]}" '
                    f'style="width: {min(reached, 1) * 100:.0f}%;"></div></div>'
                    if pace
                    else ""
                )
                cells[key] = f"{text(fact)} / {text(plan)}</a>{bar}</td>"
            return opening + cells[key]

        def render(figures, money_visible, currency):
            header, today, week, month, tomorrow = [], [], [], [], []
            for metric, values in figures.items():
                head, opens_today, opens_week, opens_month, opens_tomorrow, is_money, higher = (
                    kinds[metric.id]
                )
                if is_money and not money_visible:
                    continue
                plan, fact, plan_today, fact_today, plan_tomorrow, plan_week, fact_week = values
                text = texts_of(currency, metric)
                header.append(head)
                today.append(cell(opens_today, text, higher, fact_today, plan_today))
                week.append(cell(opens_week, text, higher, fact_week, plan_week))
                month.append(cell(opens_month, text, higher, fact, plan))
                tomorrow.append(f"{opens_tomorrow}{text(plan_tomorrow)}</td>")
            if not header:
                return False
            body = "".join(
                f'<tr><th class="text-muted fw-normal">{labels[period]}</th>{"".join(cells)}</tr>'
                for period, cells in zip(
                    ("today", "week", "month", "tomorrow"),
                    (today, week, month, tomorrow),
                    strict=True,
                )
            )
            # every piece above is escaped: names, codes, amounts and labels
            return Markup(
                "<table class='table table-sm mb-0 w-auto o_sales_kpi_board'>"
                f"<tr><th></th>{''.join(header)}</tr>{body}</table>"
            )

        return render
