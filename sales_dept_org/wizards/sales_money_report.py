from datetime import timedelta

from odoo import api, fields, models

OPEN_PAYMENT_STATES = ("not_paid", "partial")
RECEIVED_PAYMENT_STATES = ("in_process", "paid")


class SalesMoneyReport(models.TransientModel):
    """Money of the day: what customers should pay today, what they paid today
    and what they should pay tomorrow, per salesperson and team.

    Planned money is the open amount of posted customer invoices due that day,
    credited to the invoice's salesperson and team. Received money is the
    customer payments dated that day, credited to the customer's salesperson
    and their main team (a payment has no salesperson of its own). Amounts are in the
    company currency. Two grouped queries for everyone, whatever the date."""

    _name = "sales.money.report"
    _description = "Money of the Day"

    date = fields.Date(required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("sales.money.report.line", "report_id", readonly=True)

    @api.model
    def _money_by_salesperson(self, company, day):
        """{(user id, team id): {"planned_today", "received_today", "planned_tomorrow"}}.

        Read as superuser: the board shows sums to the whole team, never the
        invoices themselves."""
        tomorrow = day + timedelta(days=1)
        money = {}

        def bucket(user, team):
            return money.setdefault(
                (user.id, team.id),
                {"planned_today": 0.0, "received_today": 0.0, "planned_tomorrow": 0.0},
            )

        invoices = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", OPEN_PAYMENT_STATES),
                    ("invoice_date_due", "in", (day, tomorrow)),
                ],
                groupby=["invoice_user_id", "team_id", "invoice_date_due:day"],
                aggregates=["amount_residual_signed:sum"],
            )
        )
        for user, team, due, amount in invoices:
            key = "planned_today" if due == day else "planned_tomorrow"
            bucket(user, team)[key] += amount
        payments = (
            self.env["account.payment"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("payment_type", "=", "inbound"),
                    ("partner_type", "=", "customer"),
                    ("state", "in", RECEIVED_PAYMENT_STATES),
                    ("date", "=", day),
                ],
                groupby=["partner_id"],
                aggregates=["amount_company_currency_signed:sum"],
            )
        )
        for partner, amount in payments:
            customer = partner.commercial_partner_id
            bucket(customer.user_id, customer.user_id.sale_team_id)["received_today"] += amount
        return money

    def action_compute(self):
        self.ensure_one()
        self.line_ids.unlink()
        money = self._money_by_salesperson(self.company_id, self.date)
        if not self.env.user.has_group("sales_dept_org.group_sales_dept_director"):
            # the board is the team's: salespeople and heads see the teams they are in or lead
            teams = self.env["crm.team"].search(
                ["|", ("member_ids", "in", self.env.user.ids), ("user_id", "=", self.env.uid)]
            )
            money = {key: amounts for key, amounts in money.items() if key[1] in teams.ids}
        self.env["sales.money.report.line"].create(
            [
                dict(amounts, report_id=self.id, user_id=user_id, team_id=team_id)
                for (user_id, team_id), amounts in money.items()
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Money of %(date)s", date=self.date),
            "res_model": "sales.money.report.line",
            "view_mode": "list,pivot",
            "views": [(False, "list"), (False, "pivot")],
            "domain": [("report_id", "=", self.id)],
            "context": {"create": False, "group_by": ["team_id"]},
        }


class SalesMoneyReportLine(models.TransientModel):
    _name = "sales.money.report.line"
    _description = "Money of the Day per Salesperson"
    _order = "team_id, user_id"

    report_id = fields.Many2one("sales.money.report", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="report_id.currency_id")
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    planned_today = fields.Monetary("Planned today", readonly=True)
    received_today = fields.Monetary("Received today", readonly=True)
    planned_tomorrow = fields.Monetary("Planned tomorrow", readonly=True)
