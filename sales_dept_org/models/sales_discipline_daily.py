from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from .crm_lead import STUCK_ALERT_TYPE

COUNTERS = ("leads_without_task", "overdue_tasks", "missing_data", "stage_overrides")
BATCH_SIZE = 5000


def _empty_domain(field):
    """Leads where a required field counts as not filled (a zero amount is empty too)."""
    if field.ttype in ("integer", "float", "monetary"):
        return ["|", (field.name, "=", False), (field.name, "=", 0)]
    return [(field.name, "=", False)]


class SalesDisciplineDaily(models.Model):
    """The CRM discipline of each person on a day: what the soft pay part reads.

    Written by the daily discipline job, one row per (date, person); running the
    job twice on a day rewrites the same rows.
    """

    _name = "sales.discipline.daily"
    _description = "Daily CRM Discipline Counts"
    _order = "date desc, user_id"
    _rec_name = "user_id"

    _sql_constraints = [
        ("date_user_unique", "UNIQUE(date, user_id)", "One discipline row per person and day."),
    ]

    date = fields.Date(required=True, index=True)
    user_id = fields.Many2one(
        "res.users", "Salesperson", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one("res.company", index=True)
    team_id = fields.Many2one("crm.team", index=True)
    leads_without_task = fields.Integer(
        "Leads Without a Task", aggregator="sum", help="Open leads owned with no planned activity."
    )
    overdue_tasks = fields.Integer(
        aggregator="sum", help="Activities on leads past their deadline."
    )
    missing_data = fields.Integer(
        aggregator="sum",
        help="Open leads sitting in a stage without the fields that stage requires.",
    )
    stage_overrides = fields.Integer(
        aggregator="sum",
        help="Leads a head let through the stage rules that day.",
    )

    @api.model
    def _cron_sales_discipline(self, batch_size=BATCH_SIZE):
        """Daily: stuck leads (batched, resumable), overdue flags, then the counts."""
        Lead = self.env["crm.lead"].sudo()
        remaining = Lead._sales_mark_stuck(batch_size)
        if remaining:
            self.env["ir.cron"]._notify_progress(done=batch_size, remaining=remaining)
            return
        Lead._sales_refresh_overdue()
        self._sales_refresh()
        self._sales_check_activity()
        self.env["ir.cron"]._notify_progress(done=batch_size, remaining=0)

    @api.model
    def _sales_refresh(self, date=None):
        """Counts the day for everyone: one grouped query per counter (per regulated stage
        for missing data), then one create for new rows and one write per changed row.

        Each person's day is their company's today (``date`` sets one day for
        all): the lead counts are taken now, overdue tasks and overrides are
        counted against that day, one query each per distinct day (usually one)."""
        # archived companies too: their people may still own leads
        companies = (
            self.env["res.company"]
            .sudo()
            .search_fetch([("active", "in", (True, False))], ["resource_calendar_id", "partner_id"])
        )
        days = {company.id: date or company._sales_date() for company in companies}
        leads = self._sales_count_leads()
        counted = {
            day: {**leads, **self._sales_count(day, companies)} for day in set(days.values())
        }
        existing = self.search([("date", "in", list(counted))])
        user_ids = {row.user_id.id for row in existing}
        for by_counter in counted.values():
            for by_user in by_counter.values():
                user_ids.update(by_user)
        users = self.env["res.users"].browse(user_ids).exists()
        teams = users._sales_team_by_user()  # in each person's own company, the row's
        by_key = {(row.date, row.user_id.id): row for row in existing}
        to_create = []
        for user in users:
            day = days[user.company_id.id]
            counts = {counter: counted[day][counter].get(user.id, 0) for counter in COUNTERS}
            values = dict(
                counts,
                company_id=user.company_id.id,
                team_id=teams.get(user.id, self.env["crm.team"]).id,
            )
            row = by_key.get((day, user.id))
            if not row:
                to_create.append(dict(values, date=day, user_id=user.id))
            elif any(row[key] != value for key, value in counts.items()):
                row.write(values)
        return self.create(to_create) | existing

    @api.model
    def _sales_count(self, date, companies):
        """{counter: {user id: count}} of what depends on the day: tasks past
        their deadline on ``date`` and overrides made that day (the day of the
        lead's company, else of the person's; ``companies``: all of them)."""
        next_day = date + timedelta(days=1)
        overrides = (
            self.env["sales.lead.stage.log"]
            .sudo()
            .search_fetch(
                [
                    ("override_reason", "!=", False),
                    ("user_id", "!=", False),
                    ("date_in", ">=", min(company._sales_day_start(date) for company in companies)),
                    (
                        "date_in",
                        "<",
                        max(company._sales_day_start(next_day) for company in companies),
                    ),
                ],
                ["user_id", "company_id", "date_in"],
            )
        )
        overridden = defaultdict(int)
        for log in overrides:
            if (log.company_id or log.user_id.company_id)._sales_date(log.date_in) == date:
                overridden[log.user_id.id] += 1
        return {
            "overdue_tasks": self._sales_count_overdue(date),
            "stage_overrides": dict(overridden),
        }

    @api.model
    def _sales_count_overdue(self, date):
        """{user id: count} of the person's own work past its deadline on
        ``date``: planned activities assigned to the owner of an open lead (not
        won, not lost), on that lead. The head's alerts (a stuck deal, a lead
        nobody could take) sit on leads others own and are not counted, nor
        are tasks left on leads that were closed or handed to someone else."""
        stuck_alert = self.env.ref(STUCK_ALERT_TYPE, raise_if_not_found=False)
        Activity = self.env["mail.activity"].sudo()
        domain = [("res_model", "=", "crm.lead"), ("date_deadline", "<", date)]
        if stuck_alert:
            domain.append(("activity_type_id", "!=", stuck_alert.id))
        activities = Activity._search(domain)
        Lead = self.env["crm.lead"].sudo().with_context(active_test=True)
        open_leads = Lead._search([("stage_id.is_won", "=", False)])
        activities.add_where(
            SQL(
                "(%s, %s) IN (%s)",
                SQL.identifier(activities.table, "res_id"),
                SQL.identifier(activities.table, "user_id"),
                open_leads.select(
                    SQL.identifier(open_leads.table, "id"),
                    SQL.identifier(open_leads.table, "user_id"),
                ),
            )
        )
        activities.groupby = SQL("1")
        Activity.flush_model()
        Lead.flush_model(["active", "stage_id", "user_id"])
        rows = self.env.execute_query(
            activities.select(SQL.identifier(activities.table, "user_id"), SQL("COUNT(*)"))
        )
        return dict(rows)

    @api.model
    def _sales_count_leads(self):
        """{counter: {user id: count}}: leads without a task and leads missing
        their stage's data, per owner, in one scan of the open leads.

        Conditional counts are what ``_read_group`` cannot do; the conditions
        are still compiled by the ORM from domains (field types, many2many),
        only the two ``COUNT(*) FILTER`` are written here.
        """
        Lead = self.env["crm.lead"].sudo().with_context(active_test=True)
        open_leads = Lead._search([("stage_id.is_won", "=", False), ("user_id", "!=", False)])
        missing_domain = expression.OR(
            [
                [("stage_id", "=", stage.id)]
                + expression.OR([_empty_domain(field) for field in stage.sales_required_field_ids])
                for stage in self.env["crm.stage"].search(
                    [("sales_required_field_ids", "!=", False), ("is_won", "=", False)]
                )
            ]
            or [expression.FALSE_DOMAIN]
        )
        Lead.flush_model()  # the SQL below reads the columns, not the cache
        self.env.cr.execute(
            SQL(
                """SELECT %(user)s,
                          COUNT(*) FILTER (WHERE %(no_task)s),
                          COUNT(*) FILTER (WHERE %(missing)s)
                     FROM %(from)s
                    WHERE %(where)s
                 GROUP BY 1""",
                user=SQL.identifier(open_leads.table, "user_id"),
                no_task=Lead._search([("has_no_task", "=", True)]).where_clause,
                missing=Lead._search(missing_domain).where_clause,
                **{"from": open_leads.from_clause, "where": open_leads.where_clause},
            )
        )
        result = {"leads_without_task": {}, "missing_data": {}}
        for user_id, without_task, missing in self.env.cr.fetchall():
            result["leads_without_task"][user_id] = without_task
            result["missing_data"][user_id] = missing
        return result
