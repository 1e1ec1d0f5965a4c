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
    _description = "KPI Daily Fact"
    _order = "date desc, metric_id, user_id"

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
        the last day over in every company (a day still going on somewhere
        would be stored half counted)."""
        # a handful of metrics and companies: the work is one query per metric
        metrics = self.env["sales.kpi.metric"].search([("active", "=", True)])
        companies = self.env["res.company"].search([("active", "=", True)])
        yesterday = min(company._sales_date() for company in companies) - timedelta(days=1)
        self._store_facts(metrics, companies, yesterday)

    @api.model
    def _store_facts(self, metrics, companies, date_to):
        """One grouped query per metric for all people and companies, written
        by a single INSERT ... SELECT: a month of a thousand people is
        hundreds of thousands of rows that never need to pass through Python."""
        self.flush_model()
        for metric in metrics:
            if metric.facts_stored_until:
                date_from = metric.facts_stored_until - timedelta(days=REFRESH_DAYS - 1)
            else:
                date_from = date_to - timedelta(days=FIRST_STORE_DAYS)
            if date_from > date_to:
                continue
            source = metric.with_context(allowed_company_ids=companies.ids)
            self.env.cr.execute(
                SQL(
                    "DELETE FROM sales_kpi_fact WHERE metric_id = %s AND date BETWEEN %s AND %s",
                    metric.id,
                    date_from,
                    date_to,
                )
            )
            select = source._source_sql(None, date_from, date_to)
            if select:
                self.env.cr.execute(
                    SQL(
                        """INSERT INTO sales_kpi_fact
                               (user_id, date, company_id, amount, record_count, metric_id,
                                create_uid, write_uid, create_date, write_date)
                           SELECT source.*, %s, %s, %s, now() at time zone 'UTC',
                                  now() at time zone 'UTC'
                             FROM (%s) AS source""",
                        metric.id,
                        self.env.uid,
                        self.env.uid,
                        select,
                    )
                )
            metric.facts_stored_until = date_to
        # thousands of rows a night (a first run: two months of everybody); the
        # board reads them next: plan that on their statistics, not on those of
        # an emptier table (a few ms instead of scanning the whole day range)
        self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(self._table)))
        self.invalidate_model()
        self.env["ir.cron"]._notify_progress(done=len(metrics), remaining=0)
