"""Posted customer invoices and payments on top of the sales department world.

The main company gets the generic chart of accounts when it has none, so
invoices post without demo data."""

from odoo import Command, fields

from .common import SalesDeptCommon


class SalesInvoiceCommon(SalesDeptCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls._ensure_chart(cls.company)

    @classmethod
    def _ensure_chart(cls, company):
        if not cls.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
        ):
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company, install_demo=False
            )

    @classmethod
    def _post_invoices(cls, specs, company=None):
        """specs: (partner, invoice date, untaxed amount[, move type[, due date]]).

        Lines carry no tax, so the untaxed amount is the amount due."""
        company = company or cls.company
        moves = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                [
                    {
                        "move_type": spec[3] if len(spec) > 3 else "out_invoice",
                        "partner_id": spec[0].id,
                        "invoice_date": fields.Date.to_date(spec[1]),
                        "invoice_date_due": fields.Date.to_date(spec[4])
                        if len(spec) > 4
                        else False,
                        "company_id": company.id,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Goods",
                                    "quantity": 1,
                                    "price_unit": spec[2],
                                    "tax_ids": [],
                                }
                            )
                        ],
                    }
                    for spec in specs
                ]
            )
        )
        moves.action_post()
        return moves
