from odoo import api, fields, models
from odoo.tools import SQL, create_index
from odoo.tools.sql import column_exists, create_column

OPEN_PAYMENT_STATES = ("not_paid", "partial")
PAID_STATES = ("paid", "in_payment")


class AccountMove(models.Model):
    _inherit = "account.move"

    # "Invoices paid on time" (a farmer's metric) counts a customer invoice on
    # the day the money settling it in full arrived, when that day is not
    # after its due date.
    sales_paid_date = fields.Date(
        "Paid On",
        compute="_compute_sales_paid",
        store=True,
        copy=False,
        help="Customer invoices paid in full: the date of the latest money "
        "matched with them (a payment's or bank line's date).",
    )
    sales_paid_on_time = fields.Boolean(
        "Paid on Time",
        compute="_compute_sales_paid",
        store=True,
        copy=False,
        help="Paid in full no later than its due date.",
    )

    @api.depends(
        "move_type",
        "payment_state",
        "invoice_date_due",
        "line_ids.matched_credit_ids.credit_date",
    )
    def _compute_sales_paid(self):
        for move in self:
            paid = move.move_type == "out_invoice" and move.payment_state in PAID_STATES
            dates = move.line_ids.matched_credit_ids.mapped("credit_date") if paid else []
            move.sales_paid_date = max(dates) if dates else False
            due = move.invoice_date_due or move.invoice_date
            move.sales_paid_on_time = bool(dates and due and max(dates) <= due)

    def _auto_init(self):
        """Existing invoices get their payment date in one statement: the ORM
        would recompute them record by record (hours on a large ledger)."""
        cr = self.env.cr
        fill = not column_exists(cr, self._table, "sales_paid_date")
        if fill:
            create_column(cr, self._table, "sales_paid_date", "date")
            create_column(cr, self._table, "sales_paid_on_time", "boolean")
        result = super()._auto_init()
        if fill:
            self._fill_sales_paid()
        return result

    def init(self):
        create_index(
            self.env.cr,
            "account_move_sales_paid_on_time_idx",
            self._table,
            ["sales_paid_date"],
            where="sales_paid_on_time = TRUE",
        )

    def _fill_sales_paid(self):
        """The rule of ``_compute_sales_paid`` for every customer invoice, in one UPDATE."""
        self.env.cr.execute(
            SQL(
                """WITH paid AS (
                       SELECT line.move_id, MAX(credit.date) AS paid_date
                         FROM account_partial_reconcile partial
                         JOIN account_move_line line ON line.id = partial.debit_move_id
                         JOIN account_move_line credit ON credit.id = partial.credit_move_id
                        GROUP BY line.move_id
                   )
                   UPDATE account_move move
                      SET sales_paid_date = paid.paid_date,
                          sales_paid_on_time = paid.paid_date
                              <= COALESCE(move.invoice_date_due, move.invoice_date)
                     FROM paid
                    WHERE paid.move_id = move.id AND move.move_type = 'out_invoice'
                      AND move.payment_state IN %s""",
                PAID_STATES,
            )
        )

    @api.model
    def _sales_due_by_salesperson(self, days, users=None):
        """{(user id, day): open amount} of the posted customer invoices of
        ``env.companies`` due on each of ``days``, by the invoice's
        salesperson (an empty user: none), in company currency: the money
        planned for a day on the board and in the money report. ``users``
        None: everybody. One grouped query, read as superuser (sums only)."""
        domain = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", OPEN_PAYMENT_STATES),
            ("invoice_date_due", "in", list(days)),
            ("company_id", "in", self.env.companies.ids),
        ]
        if users is not None:
            domain.append(("invoice_user_id", "in", users.ids))
        groups = self.sudo()._read_group(
            domain, ["invoice_user_id", "invoice_date_due:day"], ["amount_residual_signed:sum"]
        )
        return {(user.id, due): amount for user, due, amount in groups}
