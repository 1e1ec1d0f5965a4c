"""Daily facts stored per (metric, person, day) so that history stays fast.

The cron recomputes a window of recent days (late entries, backdated
payments) with the same grouped query per metric as the live read, replaces
the rows of that window (raw SQL: one DELETE and one INSERT ... SELECT per
metric) and moves each metric's ``facts_stored_until``.
Running it twice gives the same rows.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, create_index

REFRESH_DAYS = 7
FIRST_STORE_DAYS = 62


class SalesKpiFact(models.Model):
    _name = "sales.kpi.fact"
    _inherit = ["sales.report.unit.mixin"]
    _description = "KPI Daily Fact"
    _order = "date desc, metric_id, user_id"
    # revenue, calls and a conversion rate do not add up
    _unit_measures = ("amount", "record_count")

    _sql_constraints = [
        (
            "day_uniq",
            "unique(date, metric_id, user_id, company_id)",
            "One fact per metric, person, company and day.",
        )
    ]

    date = fields.Date(required=True, index=True)
    metric_id = fields.Many2one("sales.kpi.metric", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    amount = fields.Float(aggregator="sum", help="Count, or sum of the measured field, of the day.")
    record_count = fields.Integer(aggregator="sum", help="Source records counted that day.")

    def init(self):
        # the board and pay read a month of a few people: (person, day) first
        create_index(self.env.cr, "sales_kpi_fact_user_date_idx", self._table, ["user_id", "date"])

    @api.model
    def _cron_store_facts(self):
        """Stores facts up to yesterday for every active metric and company:
        the last day over in every active company (a day still going on
        somewhere would be stored half counted). Archived companies are stored
        too: their records keep counting, and their stored days must not lag."""
        # a handful of metrics and companies: the work is one query per metric
        metrics = self.env["sales.kpi.metric"].search([("active", "=", True)])
        companies = self._every_company()
        active = companies.filtered("active") or companies
        yesterday = min(company._sales_date() for company in active) - timedelta(days=1)
        self._store_facts(metrics, companies, yesterday)

    @api.model
    def _store_facts(self, metrics, companies, date_to):
        """Replaces the facts of ``companies`` from each metric's refresh window
        up to ``date_to``: one grouped query per metric for all people, written
        by a single INSERT ... SELECT (a month of a thousand people is
        hundreds of thousands of rows that never need to pass through Python).
        Each record is on its own company's day. Facts of other companies are
        left alone; a metric's ``facts_stored_until`` (one bound for all
        companies) moves only when every company was stored."""
        self.flush_model()
        everyone = companies >= self._every_company()
        for metric in metrics:
            if metric.facts_stored_until:
                date_from = metric.facts_stored_until - timedelta(days=REFRESH_DAYS - 1)
            else:
                date_from = date_to - timedelta(days=FIRST_STORE_DAYS)
            if date_from > date_to:
                continue
            self._store_range(metric, companies, date_from, date_to)
            if everyone:
                metric.facts_stored_until = date_to
        self._analyze()
        self.env["ir.cron"]._notify_progress(done=len(metrics), remaining=0)

    @api.model
    def _restore_days(self, model_name, days):
        """Stores again the stored ``days`` of the metrics counting ``model_name``
        records, for every company: records changed after their day was stored
        (an order confirmed or cancelled out of order changes which orders of
        its customer are first purchases, on days long stored). One DELETE and
        one INSERT per metric, over the span of the days."""
        days = [day for day in days if day]
        if not days:
            return
        metrics = (
            self.env["sales.kpi.metric"]
            .sudo()
            .with_context(active_test=False)
            .search([("model_name", "=", model_name), ("facts_stored_until", ">=", min(days))])
        )
        if not metrics:
            return
        self.env.flush_all()  # the records just changed, read by SQL below
        companies = self._every_company()
        for metric in metrics:
            last = min(max(days), metric.facts_stored_until)
            self.sudo()._store_range(metric, companies, min(days), last)
        self.invalidate_model()

    @api.model
    def _store_range(self, metric, companies, date_from, date_to):
        """The facts of ``metric`` for ``companies`` from ``date_from`` to
        ``date_to``, replaced: a fact's company is its record's company (else
        the credited person's), the company whose day it is on."""
        source = metric.with_context(allowed_company_ids=companies.ids)
        self.env.cr.execute(
            SQL(
                """DELETE FROM sales_kpi_fact
                    WHERE metric_id = %s AND date BETWEEN %s AND %s AND company_id IN %s""",
                metric.id,
                date_from,
                date_to,
                tuple(companies.ids),
            )
        )
        select = source._source_sql(None, date_from, date_to)
        if select:
            # a record without a company is on its person's company: keep
            # only the companies stored, the others are not replaced here;
            # the source fields it reads are flushed first (pending computes)
            self.env.execute_query(
                SQL(
                    """INSERT INTO sales_kpi_fact
                           (user_id, date, company_id, amount, record_count, metric_id,
                            create_uid, write_uid, create_date, write_date)
                       SELECT source.*, %s, %s, %s, now() at time zone 'UTC',
                              now() at time zone 'UTC'
                         FROM (%s) AS source (user_id, date, company_id, amount, record_count)
                        WHERE source.company_id IN %s""",
                    metric.id,
                    self.env.uid,
                    self.env.uid,
                    select,
                    tuple(companies.ids),
                )
            )

    @api.model
    def _every_company(self):
        """Every company, archived ones too (their records keep counting)."""
        return self.env["res.company"].sudo().search([("active", "in", (True, False))])

    def _analyze(self):
        # thousands of rows a night (a first run: two months of everybody); the
        # board reads them next: plan that on their statistics, not on those of
        # an emptier table (a few ms instead of scanning the whole day range)
        self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(self._table)))
        self.invalidate_model()
