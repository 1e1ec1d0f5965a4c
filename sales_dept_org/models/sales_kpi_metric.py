"""The metric catalogue: what a KPI counts is data, not code.

A metric names a source model, the date that places a record on a day, the
field naming the person credited, a domain and a measure (count, sum or
average of a field). Paths through many2one fields are allowed
(``debit_move_id.move_id.invoice_user_id``), so money received can be credited
to the invoice's salesperson on the payment's date without extra code.

Batch API (issues 6 and 7 read facts only through it)::

    metrics._read_facts(users, date_from, date_to, group_by_day=False)
    -> {(metric_id, user_id): value}              (group_by_day=False)
    -> {(metric_id, user_id, day): value}         (group_by_day=True)

Values of an average metric are sum/count over the whole period. Days before
a metric's ``facts_stored_until`` are read from ``sales.kpi.fact`` (one query
for all metrics), later days live from the source records: one grouped query
per metric for all people at once, all sent as one statement: one query,
whatever the number of people and metrics. Facts are read as superuser
within ``env.companies``: callers decide who may see them.
"""

import functools
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL, create_index, float_repr
from odoo.tools.misc import get_lang
from odoo.tools.safe_eval import safe_eval

from ..engine import kpi

MEASURES = [
    ("count", "Count of records"),
    ("sum", "Sum of a field"),
    ("average", "Average of a field"),
]


class SalesKpiMetric(models.Model):
    _name = "sales.kpi.metric"
    _description = "KPI Metric"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="Stable technical name that pay schemes and digests refer to."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the metric between companies."
    )
    description = fields.Text(translate=True)
    model_id = fields.Many2one(
        "ir.model",
        string="Source Model",
        required=True,
        ondelete="cascade",
        domain=[("transient", "=", False)],
    )
    model_name = fields.Char(related="model_id.model", store=True, string="Source Model Name")
    date_field = fields.Char(
        required=True,
        help="Date or datetime field placing a record on a day; a path such as "
        "credit_move_id.date is allowed.",
    )
    user_field = fields.Char(
        string="Person Field",
        required=True,
        default="user_id",
        help="Field (or path) holding the user credited with the record.",
    )
    measure = fields.Selection(MEASURES, required=True, default="count")
    measure_field = fields.Char(help="Numeric field summed or averaged (sum and average only).")
    domain = fields.Char(default="[]", required=True, help="Which source records count.")
    higher_is_better = fields.Boolean(
        string="More Is Better",
        default=True,
        help="Off for metrics to keep low (overdue tasks): staying under the plan is 100%.",
    )
    is_money = fields.Boolean(
        help="Amounts in the company currency; only their owner, the team head "
        "and the director see them on the board."
    )
    board_weight = fields.Float(
        default=1.0, help="Weight of this metric in the board's weighted attainment."
    )
    facts_stored_until = fields.Date(
        readonly=True,
        copy=False,
        help="Days up to this one are read from the stored daily facts; later days live.",
    )

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A metric code must be unique."),
    ]

    def init(self):
        # The shipped metrics read a day or a month of a few or of all people:
        # (person, date) indexes on the sources that have none, partial where
        # only a few rows count (closed / converted leads, done activities).
        for name, table, columns, where in (
            ("crm_lead_sales_kpi_closed_idx", "crm_lead", ["user_id", "date_closed"],
             "date_closed IS NOT NULL"),
            ("crm_lead_sales_kpi_conversion_idx", "crm_lead", ["user_id", "date_conversion"],
             "date_conversion IS NOT NULL"),
            ("mail_message_sales_kpi_done_idx", "mail_message",
             ["create_uid", "date", "mail_activity_type_id"], "mail_activity_type_id IS NOT NULL"),
            ("sale_order_sales_kpi_user_date_idx", "sale_order", ["user_id", "date_order"], ""),
        ):  # fmt: skip
            create_index(self.env.cr, name, table, columns, where=where)

    SOURCE_FIELDS = ("model_id", "date_field", "user_field", "measure", "measure_field", "domain")

    def write(self, vals):
        """A metric that counts differently forgets the facts stored the old
        way. Writing the same definition again (a module update reloads the
        shipped metrics) keeps them."""
        if not any(name in vals for name in self.SOURCE_FIELDS):
            return super().write(vals)
        before = {metric: metric._source_definition() for metric in self}
        result = super().write(vals)
        changed = self.filtered(lambda metric: metric._source_definition() != before[metric])
        if changed:
            self.env["sales.kpi.fact"].sudo().search([("metric_id", "in", changed.ids)]).unlink()
            super(SalesKpiMetric, changed).write({"facts_stored_until": False})
        return result

    def _source_definition(self):
        self.ensure_one()
        return tuple(
            self[name].id if name == "model_id" else self[name] for name in self.SOURCE_FIELDS
        )

    # ------------------------------------------------------------------
    # validation
    # ------------------------------------------------------------------
    @api.constrains(
        "model_id", "date_field", "user_field", "measure", "measure_field", "domain", "board_weight"
    )
    def _check_source_fields(self):
        errors = []
        for metric in self:
            errors += [f"{metric.name}: {error}" for error in metric._source_errors()]
        if errors:
            raise ValidationError(self.env._("Invalid KPI metric:\n%s", "\n".join(errors)))

    def _source_errors(self):
        self.ensure_one()
        if self.model_name not in self.env:
            return [self.env._("the source model %s does not exist", self.model_name)]
        model = self.env[self.model_name]
        errors = (
            [self.env._("the board weight cannot be negative")] if self.board_weight < 0 else []
        )
        date_error, date_field = self._path_error(model, self.date_field)
        if date_error:
            errors.append(date_error)
        elif date_field.type not in ("date", "datetime"):
            errors.append(self.env._("%s is not a date", self.date_field))
        user_error, user_field = self._path_error(model, self.user_field)
        if user_error:
            errors.append(user_error)
        elif user_field.type != "many2one" or user_field.comodel_name != "res.users":
            errors.append(self.env._("%s does not name a user", self.user_field))
        if self.measure in ("sum", "average"):
            if not self.measure_field:
                errors.append(self.env._("a sum or an average needs a field to measure"))
            else:
                measure_error, measure_field = self._path_error(model, self.measure_field)
                if measure_error:
                    errors.append(measure_error)
                elif measure_field.type not in ("integer", "float", "monetary"):
                    errors.append(self.env._("%s is not a number", self.measure_field))
        try:
            model.sudo()._search(self._source_domain())
        except Exception as error:  # noqa: BLE001 - any bad domain is a user mistake
            errors.append(self.env._("the domain is invalid (%s)", error))
        return errors

    def _path_error(self, model, path):
        """(error or None, last field): every step exists and is stored, every
        step but the last a many2one."""
        field = None
        parts = (path or "").split(".")
        for index, name in enumerate(parts):
            field = model._fields.get(name)
            if field is None:
                return self.env._(
                    "the field %(path)s does not exist on %(model)s", path=path, model=model._name
                ), None
            if not (field.store or field.related):
                return self.env._("the field %s is not stored", path), None
            if index < len(parts) - 1:
                if field.type != "many2one":
                    return self.env._("%s is not a path of many2one fields", path), None
                model = model.env[field.comodel_name]
        return None, field

    @api.model
    def _value_formatter(self, currency):
        """format(metric, value) -> text, a figure as the board and the
        digests show it: money in ``currency`` laid out as
        ``format_amount`` does, an average with 2 decimals, counts without.
        The language is looked up once for the many figures of a board
        (``format_amount`` looks it up for each: a third of its time), and
        each amount is formatted once (plans repeat across people and metrics)."""
        lang = self.env["res.lang"].browse(get_lang(self.env).id)
        pattern = f"%.{currency.decimal_places}f"
        symbol = currency.symbol or ""

        @functools.cache
        def money(value):
            amount = (
                lang.format(pattern, currency.round(value), grouping=True)
                .replace(" ", "\N{NO-BREAK SPACE}")
                .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
            )
            if currency.position == "before":
                return f"{symbol}\N{NO-BREAK SPACE}{amount}"
            return f"{amount}\N{NO-BREAK SPACE}{symbol}"

        kinds = {}  # metric id -> (money, average): read once, not once per figure

        def format_value(metric, value):
            if metric.id not in kinds:
                kinds[metric.id] = (metric.is_money, metric.measure == "average")
            is_money, is_average = kinds[metric.id]
            if is_money:
                return money(value)
            return float_repr(value, 2 if is_average or value % 1 else 0)

        return format_value

    def _source_domain(self):
        return safe_eval(self.domain or "[]", {"uid": self.env.uid})

    # ------------------------------------------------------------------
    # batch API
    # ------------------------------------------------------------------
    @api.model
    def _kpi_tz(self):
        """Days are company days: the company's time zone, else UTC."""
        return self.env.company.partner_id.tz or "UTC"

    def _read_facts(self, users, date_from, date_to, group_by_day=False):
        """Facts of these metrics for ``users`` from ``date_from`` to ``date_to``
        (both included): {(metric_id, user_id[, day]): value}. See the module doc."""
        parts = self._read_fact_parts(users, date_from, date_to, group_by_day)
        result = {}
        metrics = {metric.id: metric for metric in self}
        for key, (amount, count) in parts.items():
            result[key] = metrics[key[0]]._fact_value(amount, count)
        return result

    def _fact_value(self, amount, count):
        """The value of summed parts: the amount, or amount/count for an average."""
        return kpi.fact_value(amount, count, self.measure == "average")

    def _read_fact_parts(self, users, date_from, date_to, group_by_day=False):
        """{key: (amount, count)}: the sums that add up over days and people
        (an average is amount/count only at the end)."""
        if not users or not self or date_from > date_to:
            return {}
        # rows of (metric_id, user_id, day, company_id, amount, count), one
        # grouped query for the stored days of all metrics and one per metric
        # for its live days, all sent as one statement: one round trip
        queries = []
        stored = self.filtered(lambda m: m.facts_stored_until and m.facts_stored_until >= date_from)
        if stored:
            queries.append(stored._stored_facts_sql(users, date_from, date_to, group_by_day))
        for metric in self:
            live_from = date_from
            if metric.facts_stored_until and metric.facts_stored_until >= date_from:
                live_from = metric.facts_stored_until + timedelta(days=1)
            if live_from > date_to:
                continue
            select = metric._source_sql(users, live_from, date_to, by_day=group_by_day)
            if select:
                queries.append(SQL("SELECT %s, source.* FROM (%s) AS source", metric.id, select))
        parts = defaultdict(lambda: [0.0, 0])
        rows = self.env.execute_query(SQL(" UNION ALL ").join(queries)) if queries else []
        for metric_id, user_id, day, _company_id, amount, count in rows:
            key = (metric_id, user_id, day) if group_by_day else (metric_id, user_id)
            parts[key][0] += amount
            parts[key][1] += count
        return {key: tuple(value) for key, value in parts.items()}

    def _stored_facts_sql(self, users, date_from, date_to, by_day):
        """The grouped query of these metrics' stored days (each metric's own,
        usually one bound for all), in the rows of ``_read_fact_parts``."""
        until = defaultdict(list)
        for metric in self:
            until[min(metric.facts_stored_until, date_to)].append(metric.id)
        Fact = self.env["sales.kpi.fact"].sudo()
        query = Fact._search(
            expression.AND(
                [
                    expression.OR(
                        [
                            [("metric_id", "in", ids), ("date", "<=", day)]
                            for day, ids in until.items()
                        ]
                    ),
                    [
                        ("user_id", "in", users.ids),
                        ("date", ">=", date_from),
                        ("company_id", "in", self.env.companies.ids),
                    ],
                ]
            )
        )
        query.groupby = SQL("1, 2, 3")

        def column(name):
            return Fact._field_to_sql(Fact._table, name, query)

        return query.select(
            column("metric_id"),
            column("user_id"),
            column("date") if by_day else SQL("NULL::date"),
            SQL("NULL::integer"),
            SQL("SUM(%s)", column("amount")),
            SQL("SUM(%s)", column("record_count")),
        )

    def _source_sql(self, users, date_from, date_to, by_day=True):
        """One grouped query over the source records, selecting rows of
        (user_id, day, company_id, amount, count) for every user and day at
        once; ``users=None`` reads everybody (the cron). Without ``by_day``
        one row per user for the whole range (day and company None).
        None when the domain matches nothing."""
        self.ensure_one()
        model = self.env[self.model_name].sudo().with_context(active_test=False)
        domain = self._source_domain()
        has_company = "company_id" in model._fields
        if has_company:
            domain = expression.AND(
                [domain, [("company_id", "in", self.env.companies.ids + [False])]]
            )
        path_conditions, domain = self._split_path_conditions(model, domain)
        query = model._search(domain)
        if query.is_empty():
            return None
        for path, operator, value in path_conditions:
            # "a.b op v" means: a exists and its b satisfies the condition
            *steps, last = path.split(".")
            comodel, alias = self._join_path(model, query, steps)
            query.add_where(SQL("%s IS NOT NULL", SQL.identifier(alias, "id")))
            expression.expression([(last, operator, value)], comodel, alias, query)
        user_sql = self._path_sql(model, query, self.user_field)
        date_sql = self._path_sql(model, query, self.date_field)
        date_field = self._path_error(model, self.date_field)[1]
        tz = self._kpi_tz()
        if date_field.type == "datetime":
            query.add_where(
                SQL(
                    "%s >= %s AND %s < %s",
                    date_sql,
                    self._utc_start(date_from, tz),
                    date_sql,
                    self._utc_start(date_to + timedelta(days=1), tz),
                )
            )
            day_sql = SQL("(timezone(%s, timezone('UTC', %s)))::date", tz, date_sql)
        else:
            query.add_where(SQL("%s BETWEEN %s AND %s", date_sql, date_from, date_to))
            day_sql = date_sql
        if users is None:
            query.add_where(SQL("%s IS NOT NULL", user_sql))
        else:
            query.add_where(SQL("%s IN %s", user_sql, tuple(users.ids)))
        company_sql = SQL("%s", self.env.company.id)
        if has_company:
            company_sql = SQL(
                "COALESCE(%s, %s)",
                model._field_to_sql(model._table, "company_id", query),
                company_sql,
            )
        if self.measure == "count":
            amount_sql = SQL("COUNT(*)")
        else:
            amount_sql = SQL(
                "COALESCE(SUM(%s), 0)", self._path_sql(model, query, self.measure_field)
            )
        if not by_day:  # the range's total per person: fewer groups, no day to compute
            day_sql, company_sql = SQL("NULL::date"), SQL("NULL::integer")
        query.groupby = SQL("1, 2, 3")
        return query.select(user_sql, day_sql, company_sql, amount_sql, SQL("COUNT(*)"))

    @api.model
    def _split_path_conditions(self, model, domain):
        """(conditions, rest): the conditions ANDed at the top of ``domain``
        that follow a path of stored many2one fields, and the domain of the
        others. The ORM would compile such a path into nested ``IN (SELECT
        ...)`` subqueries; joined like the person and the date instead, all
        filters sit in one join tree and the planner can start from the most
        selective one (a day, a few people) whatever the table statistics."""
        conditions, rest = [], []
        for term in self._conjuncts(expression.normalize_domain(domain))[0]:
            leaf = term[0] if len(term) == 1 else None
            if (
                expression.is_leaf(leaf)
                and not expression.is_boolean(leaf)
                and "." in leaf[0]
                and self._is_many2one_path(model, leaf[0].split(".")[:-1])
            ):
                conditions.append(tuple(leaf))
            else:
                rest += term
        return conditions, rest  # terms one after another are ANDed

    @api.model
    def _conjuncts(self, domain, start=0):
        """(terms, end): the terms ANDed at the top of the normalized domain
        starting at ``start``, each a domain, and the index after them."""
        if domain[start] == expression.AND_OPERATOR:
            left, middle = self._conjuncts(domain, start + 1)
            right, end = self._conjuncts(domain, middle)
            return left + right, end
        end = self._term_end(domain, start)
        return [domain[start:end]], end

    @api.model
    def _term_end(self, domain, start):
        """Index just after the term (leaf or operator subtree) at ``start``."""
        token = domain[start]
        if token == expression.NOT_OPERATOR:
            return self._term_end(domain, start + 1)
        if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
            return self._term_end(domain, self._term_end(domain, start + 1))
        return start + 1

    @api.model
    def _is_many2one_path(self, model, steps):
        for step in steps:
            field = model._fields.get(step)
            if not (field and field.store and field.type == "many2one"):
                return False
            model = model.env[field.comodel_name]
        return True

    @api.model
    def _join_path(self, model, query, steps):
        """(model, alias) reached from ``model`` through these many2one steps,
        each joined once (LEFT JOIN: the alias is NULL where a step is empty)."""
        alias = model._table
        for step in steps:
            comodel = model.env[model._fields[step].comodel_name]
            column = model._field_to_sql(alias, step, query)
            step_alias = query.make_alias(alias, step)
            query.add_join(
                "LEFT JOIN",
                step_alias,
                comodel._table,
                SQL("%s = %s", column, SQL.identifier(step_alias, "id")),
            )
            model, alias = comodel, step_alias
        return model, alias

    @api.model
    def _path_sql(self, model, query, path):
        """SQL of a field reached through many2one steps, joining each step once."""
        *steps, last = path.split(".")
        model, alias = self._join_path(model, query, steps)
        return model._field_to_sql(alias, last, query)

    @api.model
    def _utc_start(self, day, tz):
        local = pytz.timezone(tz).localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)
