from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError

PAYMENTS_METRIC = "sales_dept_org.kpi_metric_payments_received"


class SalesMoneyReport(models.TransientModel):
    """Money of the day: what customers should pay today, what they paid today
    and what they should pay tomorrow, per salesperson and their team.

    Planned money is the open amount of posted customer invoices due that day
    (``account.move._sales_due_by_salesperson``, as on the board). Received
    money is the "Payments received" KPI metric of that day, the one rule of
    money received: what was reconciled on customer invoices, credited to
    the invoice's salesperson on the date the money arrived (the payment's or
    bank line's date). Both go to the invoice's salesperson, in their team
    (``res.users._sales_team_by_user``). Amounts are in the company
    currency. A few grouped queries for everyone, whatever the date."""

    _name = "sales.money.report"
    _description = "Money of the Day"

    date = fields.Date(
        required=True,
        default=lambda self: self.env.company._sales_date(),
        help="A day of the company, in its time zone.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("sales.money.report.line", "report_id", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        companies = self.env["res.company"].browse(
            {vals["company_id"] for vals in vals_list if vals.get("company_id")}
        )
        self._check_company_allowed(companies)
        return super().create(vals_list)

    @api.model
    def _check_company_allowed(self, companies):
        """The money is read as superuser: only of the user's own companies."""
        foreign = companies - self.env.user.company_ids
        if foreign:
            raise AccessError(
                self.env._(
                    "You do not work in %(companies)s: its money of the day is not yours to read.",
                    companies=", ".join(foreign.sudo().mapped("name")),
                )
            )

    @api.model
    def _money_by_salesperson(self, company, day):
        """{(user id, team id): {"planned_today", "received_today", "planned_tomorrow"}}.

        Read as superuser: the board shows sums to the whole team, never the
        invoices themselves."""
        tomorrow = day + timedelta(days=1)
        env = self.sudo().with_context(allowed_company_ids=company.ids).env
        due = env["account.move"]._sales_due_by_salesperson([day, tomorrow])
        payments = env["sales.kpi.metric"].browse(
            env["ir.model.data"]._xmlid_to_res_id(PAYMENTS_METRIC, raise_if_not_found=False)
        )
        received = payments._read_facts(None, day, day)
        people = env["res.users"].browse(
            {user_id for user_id, _due in due if user_id}
            | {user_id for _metric, user_id in received}
        )
        teams = people._sales_team_by_user(company)
        money = {}

        def bucket(user_id):
            key = (user_id, teams[user_id].id if user_id in teams else False)
            return money.setdefault(
                key, {"planned_today": 0.0, "received_today": 0.0, "planned_tomorrow": 0.0}
            )

        for (user_id, due_day), amount in due.items():
            bucket(user_id)["planned_today" if due_day == day else "planned_tomorrow"] += amount
        for (_metric, user_id), amount in received.items():
            bucket(user_id)["received_today"] += amount
        return money

    @api.model
    def action_open_today(self):
        """The menu's way in: today's money (the company's day) at once; the
        list's "Another Day" button asks for a date."""
        return self.create({}).action_compute()

    def action_compute(self):
        self.ensure_one()
        self._check_company_allowed(self.company_id)
        self.line_ids.unlink()
        money = self._money_by_salesperson(self.company_id, self.date)
        if not self.env.user.has_group("sales_dept_org.group_sales_dept_director"):
            # as on the board: a person's money is theirs and their head's
            led = self.env["crm.team"].search([("user_id", "=", self.env.uid)])
            money = {
                key: amounts
                for key, amounts in money.items()
                if key[0] == self.env.uid or key[1] in led.ids
            }
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
            "help": Markup('<p class="o_view_nocontent_smiling_face">%s</p><p>%s</p>')
            % (
                self.env._("No money due or received on %(date)s", date=self.date),
                self.env._(
                    "Customer invoices due on the day or the next one and the day's customer "
                    "payments show here, per salesperson and team. Open another day from "
                    "Reports ▸ Money of the Day."
                ),
            ),
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
