from odoo import models
from odoo.tools import create_index


class MailMessage(models.Model):
    _inherit = "mail.message"

    def init(self):
        # "calls made" and "meetings held" read the done-activity messages of a
        # period: a small partial index instead of a scan of every message
        create_index(
            self.env.cr,
            "mail_message_sales_kpi_done_idx",
            self._table,
            ["mail_activity_type_id", "date"],
            where="mail_activity_type_id IS NOT NULL",
        )
