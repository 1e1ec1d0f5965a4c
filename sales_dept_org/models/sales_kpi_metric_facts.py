"""sales.kpi.metric: reading the facts. Batch API (the board, the digests,
the pay sheet and the money report read facts only through it)::

    metrics._read_facts(users, date_from, date_to, group_by_day=False)
    -> {(metric_id, user_id): value}              (group_by_day=False)
    -> {(metric_id, user_id, day): value}         (group_by_day=True)

Values of an average metric are sum/count over the whole period. Days before
a metric's ``facts_stored_until`` are read from ``sales.kpi.fact`` (one query
for all metrics), later days live from the source records: one grouped query
per metric for all people at once, all sent as one statement: one query,
whatever the number of people and metrics. Facts are read as superuser
within ``env.companies``: callers decide who may see them. ``users`` None
reads everybody credited.

A record's day is its company's (``res.company._sales_tz``): the record's
own company, else that of the person credited. Companies in several time
zones are grouped in the same single query, each record on its own
company's day.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, models
from odoo.osv import expression
from odoo.tools import SQL

from ..engine import kpi


class SalesKpiMetric(models.Model):
    _inherit = "sales.kpi.metric"  # pylint: disable=consider-merging-classes-inherited

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
        (an average is amount/count only at the end). ``users`` None: everybody
        credited (the money report)."""
        query = self._fact_parts_sql(users, date_from, date_to, group_by_day)
        parts = defaultdict(lambda: [0.0, 0])
        rows = self._execute_facts(query) if query else []
        for metric_id, user_id, day, _company_id, amount, count in rows:
            key = (metric_id, user_id, day) if group_by_day else (metric_id, user_id)
            parts[key][0] += amount
            parts[key][1] += count
        return {key: tuple(value) for key, value in parts.items()}

    @api.model
    def _execute_facts(self, query):
        """The rows of a facts statement (``_fact_parts_sql``, or several
        joined), run without PostgreSQL's JIT compiler. Past a few days of
        live facts at a million leads the statement's estimated cost passes
        ``jit_above_cost``, and compiling its thousand expressions costs more
        than running them: a board team of 6 people took 1.8 s, 1.5 s of it
        compiling (0.6 s without), and a month of everybody's facts 13.4 s
        (3.6 s without). Sent with the statement: one round trip; ``SET
        LOCAL`` lasts until the transaction ends."""
        return self.env.execute_query(SQL("SET LOCAL jit = off; %s", query))

    def _fact_parts_sql(self, users, date_from, date_to, group_by_day=False):
        """The statement of ``_read_fact_parts``, rows of (metric_id, user_id,
        day, company_id, amount, count), or None when nothing is to be read.
        A caller reading several periods sends theirs as one statement."""
        if (users is not None and not users) or not self or date_from > date_to:
            return None
        # one grouped query for the stored days of all metrics and one per
        # metric for its live days, all sent as one statement: one round trip
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
        return SQL(" UNION ALL ").join(queries) if queries else None

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
                        ("date", ">=", date_from),
                        ("company_id", "in", self.env.companies.ids),
                    ],
                    [] if users is None else [("user_id", "in", users.ids)],
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
        # a record's day is its company's: the record's company, else that of
        # the person credited (see res.company._sales_tz)
        companies = self.env.companies
        company_sql = None
        if by_day or not companies._sales_one_tz():
            company_sql = self._path_sql(model, query, f"{self.user_field}.company_id")
            if has_company:
                company_sql = SQL(
                    "COALESCE(%s, %s)",
                    model._field_to_sql(model._table, "company_id", query),
                    company_sql,
                )
        if date_field.type == "datetime":
            # the UTC span of the days in every company, then (when their
            # time zones differ) each record's own company day
            query.add_where(
                SQL(
                    "%s >= %s AND %s < %s",
                    date_sql,
                    min(company._sales_day_start(date_from) for company in companies),
                    date_sql,
                    max(
                        company._sales_day_start(date_to + timedelta(days=1))
                        for company in companies
                    ),
                )
            )
            day_sql = companies._sales_local_date_sql(date_sql, company_sql)
            if not companies._sales_one_tz():
                query.add_where(SQL("%s BETWEEN %s AND %s", day_sql, date_from, date_to))
        else:
            query.add_where(SQL("%s BETWEEN %s AND %s", date_sql, date_from, date_to))
            day_sql = date_sql
        if users is None:
            query.add_where(SQL("%s IS NOT NULL", user_sql))
        else:
            query.add_where(SQL("%s IN %s", user_sql, tuple(users.ids)))
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
