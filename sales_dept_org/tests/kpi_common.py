"""Helpers for the KPI tests: dated records of every source a metric reads.

Dates are forced after creation (a won lead gets ``date_closed`` = now, a
confirmed order ``date_order`` = now, a done activity ``date_done`` = today),
so that each test can place records on the days its arithmetic uses.
"""

from datetime import date, datetime, time

from freezegun import freeze_time

from odoo import Command

from .common import SalesDeptCommon


class KpiCommon(SalesDeptCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Metric = cls.env["sales.kpi.metric"]
        cls.metrics = cls.Metric.search([])
        cls.won_stage = cls.env["crm.stage"].create(
            {"name": "KPI Won", "is_won": True, "sequence": 90}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Heat pump",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
                "type": "service",
            }
        )
        cls.customer_1, cls.customer_2 = cls.env["res.partner"].create(
            [{"name": "Instal-Bud", "is_company": True}, {"name": "Hydro-Tech", "is_company": True}]
        )
        cls.customer_2_contact = cls.env["res.partner"].create(
            {"name": "Buyer at Hydro-Tech", "parent_id": cls.customer_2.id}
        )

    @classmethod
    def metric(cls, code):
        return cls.env.ref(f"sales_dept_org.kpi_metric_{code}")

    @classmethod
    def _march_2026_leaves(cls):
        """Everyone on the company's calendar (8 h Monday to Friday), a public
        holiday on Tuesday 10 March 2026 and the hunter's leave on Monday 16 and
        Tuesday 17 March: 21 working days, 19 for the hunter."""
        calendar = cls.env.company.resource_calendar_id
        cls.employees.resource_calendar_id = calendar
        cls.env["resource.calendar.leaves"].create(
            [
                {
                    "name": "Holiday",
                    "calendar_id": calendar.id,
                    "date_from": datetime(2026, 3, 10, 0, 0),
                    "date_to": datetime(2026, 3, 10, 23, 59),
                },
                {
                    "name": "Leave",
                    "calendar_id": calendar.id,
                    "resource_id": cls.employee_hunter.resource_id.id,
                    "date_from": datetime(2026, 3, 16, 0, 0),
                    "date_to": datetime(2026, 3, 17, 23, 59),
                },
            ]
        )

    def _store_at(self, moment):
        """The nightly job, run at ``moment`` (UTC)."""
        with freeze_time(moment):
            self.env["sales.kpi.fact"]._cron_store_facts()

    def _day_facts(self, code, users, date_from, date_to):
        """{(user, day): value} of the metric ``code``, stored days and live
        ones together."""
        return {
            (self.env["res.users"].browse(user_id), day): value
            for (_metric, user_id, day), value in self.metric(code)
            ._read_facts(users, date_from, date_to, True)
            .items()
        }

    def _stored_facts(self, code, date_from):
        """{(user, day): amount} stored for the metric ``code`` from ``date_from``."""
        return {
            (fact.user_id, fact.date): fact.amount
            for fact in self.env["sales.kpi.fact"].search(
                [("metric_id", "=", self.metric(code).id), ("date", ">=", date_from)]
            )
        }

    @classmethod
    def _lead(cls, user, revenue, closed=None, won=False, lost=False, **values):
        lead = cls.env["crm.lead"].create(
            dict(
                {
                    "name": f"Deal {revenue}",
                    "type": "opportunity",
                    "user_id": user.id,
                    "team_id": cls.team_north.id,
                    "expected_revenue": revenue,
                },
                **values,
            )
        )
        if won:
            lead.stage_id = cls.won_stage
        if lost:
            lead.action_set_lost()
        if closed:
            lead.date_closed = closed
        return lead

    @classmethod
    def _qualified_leads(cls, hunter, moments, **values):
        """Leads of ``hunter`` that reached the qualifying stage at each of
        ``moments`` (naive UTC), through the stage log."""
        stage = cls.env["crm.stage"].search(
            [("sales_qualifying", "=", True)], order="sequence, id", limit=1
        )
        leads = (
            cls.env["crm.lead"]
            .with_context(sales_stage_rules_off=True)
            .create(
                [
                    dict(
                        {
                            "name": f"Qualified {index}",
                            "type": "opportunity",
                            "user_id": hunter.id,
                            "hunter_user_id": hunter.id,
                            "team_id": cls.team_north.id,
                            "stage_id": stage.id,
                        },
                        **values,
                    )
                    for index in range(len(moments))
                ]
            )
        )
        for lead, moment in zip(leads, moments, strict=True):
            lead.sales_stage_log_ids.date_in = moment
        return leads.with_env(cls.env)

    @classmethod
    def _order(cls, user, partner, amount, on, confirm=True, **values):
        order = cls.env["sale.order"].create(
            dict(
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.product.id, "product_uom_qty": amount / 100}
                        )
                    ],
                },
                **values,
            )
        )
        if confirm:
            order.action_confirm()
        order.date_order = datetime.combine(on, datetime.min.time().replace(hour=10))
        return order

    @classmethod
    def _invoice(cls, user, amount, due=None, partner=None):
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or cls.customer_1).id,
                "invoice_user_id": user.id,
                "invoice_date": date(2026, 3, 1),
                "invoice_date_due": due or date(2026, 3, 31),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    @classmethod
    def _pay(cls, invoice, amount, on):
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": on})
        )
        return wizard._create_payments()

    @classmethod
    def _done_activities(cls, user, activity_type, days, lead=None):
        """Activities of ``user`` marked done by them on each of ``days``."""
        lead = lead or cls._lead(user, 0)
        activities = cls.env["mail.activity"].create(
            [
                {
                    "res_model_id": cls.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "user_id": user.id,
                    "activity_type_id": activity_type.id,
                    "date_deadline": day,
                }
                for day in days
            ]
        )
        messages, _next = activities.with_user(user)._action_done(feedback="done")
        for message, day in zip(messages.sudo(), days, strict=True):
            message.date = datetime.combine(day, time(10))
        return messages
