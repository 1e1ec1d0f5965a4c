from odoo import api, models


class MailMessage(models.Model):
    """A document of the addon may ask more than reading it for reading its
    messages (``_sales_chatter_access``: a KPI plan's chatter tells every
    member's targets). Its messages are then listed only to who has that
    right, as ``_check_access`` (through ``_get_mail_message_access``) reads
    them: the chatter neither shows them to others nor fails for them."""

    _inherit = "mail.message"

    @api.model
    def _find_allowed_model_wise(self, doc_model, doc_dict):
        operation = getattr(self.env[doc_model], "_sales_chatter_access", "read")
        if operation == "read":
            return super()._find_allowed_model_wise(doc_model, doc_dict)
        documents = (
            self.env[doc_model]
            .with_context(active_test=False)
            .search([("id", "in", list(doc_dict))])
            ._filtered_access(operation)
        )
        return {message_id for doc_id in documents.ids for message_id in doc_dict[doc_id]}
