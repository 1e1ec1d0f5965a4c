from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import abcxyz
from .res_company import check_abcxyz_limits

# the columns of a line computed by the snapshot, in the order of its rows
LINE_COLUMNS = [
    ("partner_id", "integer[]"),
    ("user_id", "integer[]"),
    ("team_id", "integer[]"),
    ("revenue", "numeric[]"),
    ("share", "numeric[]"),
    ("cumulative_share", "numeric[]"),
    ("cv", "numeric[]"),
    ("purchase_count", "integer[]"),
    ("months_with_purchase", "integer[]"),
    ("abc_class", "varchar[]"),
    ("xyz_class", "varchar[]"),
    ("abcxyz_class", "varchar[]"),
]
ABC_CLASSES = [("a", "A"), ("b", "B"), ("c", "C")]
XYZ_CLASSES = [("x", "X"), ("y", "Y"), ("z", "Z")]
ABCXYZ_CLASSES = [
    (abc + xyz, f"{abc_label}{xyz_label}")
    for abc, abc_label in ABC_CLASSES
    for xyz, xyz_label in XYZ_CLASSES
]


class SalesAbcxyzSnapshot(models.Model):
    _name = "sales.abcxyz.snapshot"
    _description = "ABC-XYZ Snapshot"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    _sql_constraints = [
        (
            "company_date_unique",
            "UNIQUE(company_id, date)",
            "A company has one ABC-XYZ snapshot per date.",
        ),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The window ends with the month before this date.",
    )
    window_months = fields.Integer(
        required=True, default=lambda self: self.env.company.abcxyz_window_months
    )
    date_from = fields.Date(compute="_compute_window", store=True)
    date_to = fields.Date(compute="_compute_window", store=True, help="Last day of the window.")
    a_limit = fields.Float(
        "A up to (%)", required=True, default=lambda self: self.env.company.abcxyz_a_limit
    )
    b_limit = fields.Float(
        "B up to (%)", required=True, default=lambda self: self.env.company.abcxyz_b_limit
    )
    x_limit = fields.Float(
        "X up to CV",
        required=True,
        digits=(16, 3),
        default=lambda self: self.env.company.abcxyz_x_limit,
    )
    y_limit = fields.Float(
        "Y up to CV",
        required=True,
        digits=(16, 3),
        default=lambda self: self.env.company.abcxyz_y_limit,
    )
    computed_on = fields.Datetime(readonly=True, copy=False)
    line_ids = fields.One2many("sales.abcxyz.snapshot.line", "snapshot_id", readonly=True)
    customer_count = fields.Integer(readonly=True, copy=False)
    revenue_total = fields.Monetary(readonly=True, copy=False)

    @api.depends("date", "company_id")
    def _compute_name(self):
        for snapshot in self:
            snapshot.name = self.env._("ABC-XYZ %(date)s", date=snapshot.date or "")

    @api.depends("date", "window_months")
    def _compute_window(self):
        for snapshot in self:
            if not snapshot.date or snapshot.window_months < 1:
                snapshot.date_from = snapshot.date_to = False
                continue
            month_start = snapshot.date.replace(day=1)
            snapshot.date_from = month_start - relativedelta(months=snapshot.window_months)
            snapshot.date_to = month_start - relativedelta(days=1)

    @api.constrains("a_limit", "b_limit", "x_limit", "y_limit", "window_months")
    def _check_limits(self):
        check_abcxyz_limits(
            self,
            ("a_limit", "b_limit", "x_limit", "y_limit"),
            "window_months",
            self.env._("Invalid ABC-XYZ snapshot:"),
        )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_compute(self):
        """Rebuilds the lines from posted invoices: running it twice gives the same lines."""
        self.check_access("write")
        for snapshot in self:
            # one grouped query per snapshot, whatever the number of customers
            snapshot.sudo()._compute_lines()
        self.computed_on = fields.Datetime.now()
        return True

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_dept_org.sales_abcxyz_snapshot_line_action"
        )
        action["domain"] = [("snapshot_id", "=", self.id)]
        action["context"] = {"default_snapshot_id": self.id}
        return action

    @api.model
    def _cron_take_monthly_snapshot(self):
        """On the first run of a month each company gets the snapshot of the month;
        a retried or repeated run finds it computed and does nothing."""
        companies = self.env["res.company"].search([("active", "=", True)])
        # the month each company is in, on its own day
        months = {company: company._sales_date().replace(day=1) for company in companies}
        existing = self.search(
            [("company_id", "in", companies.ids), ("date", "in", list(set(months.values())))]
        ).filtered(lambda snapshot: snapshot.date == months[snapshot.company_id])
        missing = companies - existing.company_id
        created = self.create(
            [
                {
                    "company_id": company.id,
                    "date": months[company],
                    "window_months": company.abcxyz_window_months,
                    "a_limit": company.abcxyz_a_limit,
                    "b_limit": company.abcxyz_b_limit,
                    "x_limit": company.abcxyz_x_limit,
                    "y_limit": company.abcxyz_y_limit,
                }
                for company in missing
            ]
        )
        todo = (existing | created).filtered(lambda snapshot: not snapshot.computed_on)
        todo.action_compute()
        self.env["ir.cron"]._notify_progress(done=len(todo), remaining=0)

    # ------------------------------------------------------------------
    # computation
    # ------------------------------------------------------------------
    def _purchase_history(self):
        """{partner id: ({month index: revenue}, invoice count)} in one grouped query.

        Revenue is untaxed and in company currency; credit notes subtract and
        do not count as purchases. Plain SQL, not ``_read_group``: at 100,000
        customers over 24 months the ORM's per-group post-processing made the
        read 3.5 times slower than the query itself (bench/bench_abcxyz.py)."""
        self.env["account.move"].flush_model(
            [
                "company_id",
                "state",
                "move_type",
                "invoice_date",
                "commercial_partner_id",
                "amount_untaxed_signed",
            ]
        )
        self.env.cr.execute(self._purchase_history_query())
        history = {}
        for partner_id, month_index, amount, invoices in self.env.cr.fetchall():
            monthly, purchases = history.get(partner_id, ({}, 0))
            monthly[month_index] = amount
            history[partner_id] = (monthly, purchases + invoices)
        return history

    def _purchase_history_query(self):
        return SQL(
            """SELECT commercial_partner_id,
                      (EXTRACT(YEAR FROM invoice_date)::integer - %(year)s) * 12
                        + EXTRACT(MONTH FROM invoice_date)::integer - %(month)s,
                      SUM(amount_untaxed_signed),
                      COUNT(*) FILTER (WHERE move_type = 'out_invoice')
                 FROM account_move
                WHERE company_id = %(company)s
                  AND state = 'posted'
                  AND move_type IN ('out_invoice', 'out_refund')
                  AND invoice_date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY 1, 2""",
            year=self.date_from.year,
            month=self.date_from.month,
            company=self.company_id.id,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def _compute_lines(self):
        self.ensure_one()
        history = self._purchase_history()
        classes = abcxyz.classify(
            history,
            self.window_months,
            a_limit=self.a_limit,
            b_limit=self.b_limit,
            x_limit=self.x_limit,
            y_limit=self.y_limit,
        )
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_fetch([("id", "in", list(history))], ["user_id"])
        )
        partner_by_id = {partner.id: partner for partner in partners}
        teams = partners.user_id._sales_team_by_user(self.company_id)
        no_team = self.env["crm.team"]
        self._replace_lines(
            [
                (
                    item.key,
                    partner_by_id[item.key].user_id.id or None,
                    teams.get(partner_by_id[item.key].user_id.id, no_team).id or None,
                    item.revenue,
                    item.share,
                    item.cumulative_share,
                    item.cv or 0.0,
                    item.purchases,
                    sum(1 for amount in history[item.key][0].values() if amount > 0),
                    item.abc,
                    item.xyz,
                    item.abc + item.xyz,
                )
                for item in classes
            ]
        )
        self.write(
            {
                "customer_count": len(classes),
                "revenue_total": sum(item.revenue for item in classes),
            }
        )

    def _replace_lines(self, rows):
        """Deletes the lines and inserts the new ones in bulk.

        A snapshot holds a line per customer (100,000 and more): the ORM's
        create took 30 times the grouped read (bench/bench_abcxyz.py). Lines
        are plain data nobody else writes; every stored field is set here,
        the caches are dropped after."""
        Line = self.env["sales.abcxyz.snapshot.line"]
        Line.flush_model()
        self.env.cr.execute(
            SQL("DELETE FROM sales_abcxyz_snapshot_line WHERE snapshot_id = %s", self.id)
        )
        # one array per column: psycopg2 quotes a list in C, where composing
        # a VALUES tuple per line cost seconds at 100,000 customers
        columns = list(zip(*rows, strict=True)) if rows else [[]] * len(LINE_COLUMNS)
        self.env.cr.execute(
            SQL(
                """INSERT INTO sales_abcxyz_snapshot_line
                       (snapshot_id, company_id, date, %s,
                        create_uid, write_uid, create_date, write_date)
                   SELECT %s, %s, %s, line.*, %s, %s,
                          NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                     FROM unnest(%s) AS line""",
                SQL(", ").join(SQL.identifier(name) for name, _type in LINE_COLUMNS),
                self.id,
                self.company_id.id,
                self.date,
                self.env.uid,
                self.env.uid,
                SQL(", ").join(
                    SQL("%s::%s", list(values), SQL(sql_type))
                    for (_name, sql_type), values in zip(LINE_COLUMNS, columns, strict=True)
                ),
            )
        )
        Line.invalidate_model()
        self.invalidate_recordset(["line_ids"])


class SalesAbcxyzSnapshotLine(models.Model):
    _name = "sales.abcxyz.snapshot.line"
    _description = "ABC-XYZ Snapshot Line"
    _order = "snapshot_id desc, revenue desc, id"

    snapshot_id = fields.Many2one(
        "sales.abcxyz.snapshot", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="snapshot_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="snapshot_id.currency_id")
    date = fields.Date(related="snapshot_id.date", store=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True)
    user_id = fields.Many2one("res.users", "Farmer", index=True, help="The customer's salesperson.")
    team_id = fields.Many2one("crm.team", "Sales Team", index=True, help="The farmer's main team.")
    revenue = fields.Monetary(help="Untaxed invoiced revenue over the window, net of credit notes.")
    share = fields.Float("Share (%)", digits=(16, 2), aggregator="sum")
    cumulative_share = fields.Float("Cumulative share (%)", digits=(16, 2), aggregator=None)
    cv = fields.Float(
        "CV", digits=(16, 3), aggregator="avg", help="Coefficient of variation of monthly revenue."
    )
    purchase_count = fields.Integer("Invoices")
    months_with_purchase = fields.Integer()
    abc_class = fields.Selection(ABC_CLASSES, "ABC", required=True, index=True)
    xyz_class = fields.Selection(XYZ_CLASSES, "XYZ", required=True, index=True)
    abcxyz_class = fields.Selection(
        ABCXYZ_CLASSES, "Class", compute="_compute_abcxyz_class", store=True, index=True
    )
    is_latest = fields.Boolean(
        "Latest snapshot",
        compute="_compute_is_latest",
        search="_search_is_latest",
        help="The line belongs to its company's latest computed snapshot.",
    )

    @api.depends("abc_class", "xyz_class")
    def _compute_abcxyz_class(self):
        for line in self:
            line.abcxyz_class = (line.abc_class or "") + (line.xyz_class or "") or False

    def _latest_snapshots(self):
        """Each company's latest computed snapshot (one a month: a short read)."""
        snapshots = self.env["sales.abcxyz.snapshot"].search_fetch(
            [("computed_on", "!=", False)], ["company_id", "date"]
        )  # newest first: the model's order
        latest = {}
        for snapshot in snapshots:
            latest.setdefault(snapshot.company_id, snapshot)
        return snapshots.browse([snapshot.id for snapshot in latest.values()])

    def _compute_is_latest(self):
        latest = self._latest_snapshots()
        for line in self:
            line.is_latest = line.snapshot_id in latest

    def _search_is_latest(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Search the latest snapshot with = or !=."))
        in_latest = (operator == "=") == value
        return [("snapshot_id", "in" if in_latest else "not in", self._latest_snapshots().ids)]
