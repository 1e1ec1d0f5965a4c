from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

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
        "res.users", "Salesperson", required=True, index=True, ondelete="cascade"
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
        self.env["ir.cron"]._notify_progress(done=batch_size, remaining=0)

    @api.model
    def _sales_refresh(self, date=None):
        """Counts the day for everyone: one grouped query per counter (per regulated stage
        for missing data), then one create for new rows and one write per changed row."""
        date = date or fields.Date.context_today(self)
        counts = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
        for counter, by_user in self._sales_count(date).items():
            for user_id, count in by_user.items():
                counts[user_id][counter] = count
        existing = self.search([("date", "=", date)])
        for row in existing:
            counts.setdefault(row.user_id.id, dict.fromkeys(COUNTERS, 0))
        users = self.env["res.users"].browse(list(counts)).exists()
        by_user = {row.user_id.id: row for row in existing}
        teams = users._sales_team_by_user()  # in each person's own company, the row's
        to_create = []
        for user in users:
            values = dict(
                counts[user.id],
                company_id=user.company_id.id,
                team_id=teams.get(user.id, self.env["crm.team"]).id,
            )
            row = by_user.get(user.id)
            if not row:
                to_create.append(dict(values, date=date, user_id=user.id))
            elif any(row[key] != value for key, value in counts[user.id].items()):
                row.write(values)
        return self.create(to_create) | existing

    @api.model
    def _sales_count(self, date):
        """{counter: {user id: count}} for ``date``."""
        result = self._sales_count_leads()
        result["overdue_tasks"] = {
            user.id: count
            for user, count in self.env["mail.activity"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", "crm.lead"),
                    ("date_deadline", "<", date),
                    ("user_id", "!=", False),
                ],
                ["user_id"],
                ["__count"],
            )
        }
        start = datetime.combine(date, time.min)
        result["stage_overrides"] = {
            user.id: count
            for user, count in self.env["sales.lead.stage.log"]
            .sudo()
            ._read_group(
                [
                    ("override_reason", "!=", False),
                    ("date_in", ">=", start),
                    ("date_in", "<", start + timedelta(days=1)),
                    ("user_id", "!=", False),
                ],
                ["user_id"],
                ["__count"],
            )
        }
        return result

    @api.model
    def _sales_count_leads(self):
        """Leads without a task and leads missing their stage's data, per owner, in
        one scan of the open leads.

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
