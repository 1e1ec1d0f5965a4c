"""KPI part of the demo department: the money behind the won deals (orders,
invoices, payments), done calls and meetings on their days, conversions, a
trainee, plans for the previous and the current month per team, and team
North on the Darwin principle, weighed from the previous month.

Deterministic like the rest of the builder (seeded draws, dates from today).
"""

import random
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

KPI_SEED = 2025
PAYMENT_TERM_DAYS = 14

# role -> metric code -> month target (full member); revenue is split from
# the team target by the weights below
ROLE_TARGETS = {
    "hunter": {"calls_made": 60, "meetings_held": 12, "leads_qualified": 15},
    "closer": {
        "calls_made": 40,
        "meetings_held": 16,
        "new_customers": 6,
        "payments_received": 90000,
    },
    "farmer": {
        "calls_made": 40,
        "meetings_held": 8,
        "repeat_purchases": 8,
        "payments_received": 60000,
    },
    "universal": {
        "calls_made": 50,
        "meetings_held": 12,
        "new_customers": 4,
        "repeat_purchases": 4,
        "payments_received": 70000,
    },
}
# fewer is better: lead-days without a task and overdue task-days a month
DISCIPLINE_TARGETS = {"leads_without_task": 10, "overdue_tasks": 20}
REVENUE_WEIGHTS = {"hunter": 0.5, "closer": 2.0, "farmer": 1.0, "universal": 1.0}
TEAM_REVENUE = {"polnoc": 240000, "poludnie": 220000, "mazowsze": 160000}


class SalesDeptDemo(models.AbstractModel):
    _inherit = "sales.dept.demo"

    @api.model
    def _load_demo_department(self):
        built = super()._load_demo_department()
        if built:
            company = self.env.ref("sales_dept_org.demo_company")
            company.resource_calendar_id.tz = "Europe/Warsaw"  # the company's days
            self._demo_kpi_history(company)
            self._demo_kpi_money(random.Random(KPI_SEED), company)
            self._demo_kpi_trainee()
            self._demo_kpi_plans(company)
            self.env["sales.kpi.fact"].with_company(company)._cron_store_facts()
            self._demo_darwin(company)
        return built

    def _demo_darwin(self, company):
        """Team North shares its hand-offs by weight, weighed from last
        month's plans and facts."""
        team = self.env.ref("sales_dept_org.demo_team_polnoc")
        team.sales_darwin = True
        team._sales_darwin_weigh(company)

    def _demo_kpi_history(self, company):
        """Done calls and meetings on their day (the first call when the lead
        came in, the meeting three days later), made by the lead's hunter (the
        owner where it has none). Leads qualified and meetings handed to a
        closer come from the stage log."""
        call = self.env.ref("mail.mail_activity_data_call")
        self.env.cr.execute(
            SQL(
                """UPDATE mail_message message
                      SET create_uid = COALESCE(lead.hunter_user_id, lead.user_id),
                          date = LEAST(
                              lead.create_date + CASE WHEN message.mail_activity_type_id = %s
                                  THEN INTERVAL '1 hour' ELSE INTERVAL '3 days' END,
                              now() at time zone 'UTC')
                     FROM crm_lead lead
                    WHERE message.model = 'crm.lead' AND message.res_id = lead.id
                      AND message.mail_activity_type_id IS NOT NULL AND lead.company_id = %s""",
                call.id,
                company.id,
            )
        )
        self.env["mail.message"].invalidate_model(["create_uid", "date"])

    def _demo_kpi_money(self, rng, company):
        """An order per won deal with a customer, invoiced on the day it was
        won; most invoices are paid before or on their due date, some are
        still open (a few due today and tomorrow for the money board)."""
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        today = fields.Date.context_today(self)
        product = env["product.product"].create(
            {
                "name": "Dostawa i montaż instalacji",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 1.0,
                "taxes_id": [Command.clear()],
                "company_id": company.id,
            }
        )
        won = env["crm.lead"].search(
            [
                ("company_id", "=", company.id),
                ("stage_id.is_won", "=", True),
                ("partner_id", "!=", False),
            ],
            order="date_closed, id",
        )
        orders = env["sale.order"]
        for lead in won:  # confirmed one by one, in date order, so first purchases are right
            order = env["sale.order"].create(
                {
                    "partner_id": lead.partner_id.id,
                    "user_id": lead.user_id.id,
                    "team_id": lead.team_id.id,
                    "opportunity_id": lead.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": lead.expected_revenue}
                        )
                    ],
                }
            )
            order.action_confirm()
            order.date_order = lead.date_closed
            orders |= order
        invoices = orders._create_invoices(grouped=True)
        for invoice in invoices:
            day = invoice.invoice_line_ids.sale_line_ids.order_id.date_order.date()
            invoice.write(
                {
                    "invoice_date": day,
                    "invoice_date_due": day + timedelta(days=PAYMENT_TERM_DAYS),
                    "invoice_payment_term_id": False,
                }
            )
        invoices.action_post()
        for invoice in invoices:
            due = invoice.invoice_date_due
            paid_on = due - timedelta(days=rng.randint(0, 12))
            if paid_on >= today or rng.random() < 0.1:
                continue  # still open
            register = env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
            register.create({"payment_date": max(paid_on, invoice.invoice_date)})._create_payments()
        # the money of the day: a few open invoices fall due today and tomorrow
        open_invoices = invoices.filtered(lambda inv: inv.payment_state == "not_paid")
        for index, invoice in enumerate(open_invoices[:6]):
            invoice.invoice_date_due = today + timedelta(days=index % 2)

    def _demo_kpi_trainee(self):
        trainee = self.env.ref("sales_dept_org.demo_employee_hunter_south")
        trainee.write(
            {
                "is_trainee": True,
                "mentor_id": self.env.ref("sales_dept_org.demo_employee_closer_south").id,
                "adaptation_end_date": fields.Date.context_today(self).replace(day=10),
            }
        )

    def _demo_kpi_plans(self, company):
        month = fields.Date.context_today(self).replace(day=1)
        employees = self.env["hr.employee"].search([("company_id", "=", company.id)])
        role_of = {emp.user_id.id: emp.sales_role for emp in employees}
        metric_ids = {metric.code: metric.id for metric in self.env["sales.kpi.metric"].search([])}
        plans = self.env["sales.kpi.plan"]
        for start in (month - relativedelta(months=1), month):
            for key, team_revenue in TEAM_REVENUE.items():
                team = self.env.ref(f"sales_dept_org.demo_team_{key}")
                lines = [
                    {
                        "metric_id": metric_ids["revenue_won"],
                        "user_id": False,
                        "target": team_revenue,
                    }
                ]
                for user in team.member_ids:
                    role = role_of.get(user.id)
                    lines.append(
                        {
                            "metric_id": metric_ids["revenue_won"],
                            "user_id": user.id,
                            "weight": REVENUE_WEIGHTS.get(role, 1.0),
                        }
                    )
                    targets = dict(ROLE_TARGETS.get(role, {}), **DISCIPLINE_TARGETS)
                    lines += [
                        {"metric_id": metric_ids[code], "user_id": user.id, "target": target}
                        for code, target in targets.items()
                    ]
                plans |= plans.create(
                    {
                        "name": f"{team.name} {start:%m.%Y}",
                        "company_id": company.id,
                        "team_id": team.id,
                        "date_from": start,
                        "date_to": start + relativedelta(months=1, days=-1),
                        "line_ids": [Command.create(vals) for vals in lines],
                    }
                )
        plans.action_split_targets()
        self._demo_xmlids({f"demo_kpi_plan_{n}": plan for n, plan in enumerate(plans)})
