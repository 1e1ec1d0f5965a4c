from odoo import api, models

OPEN_PAYMENT_STATES = ("not_paid", "partial")


class AccountMove(models.Model):
    _inherit = "account.move"

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
