from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking the last activity of a lead done asks for the next one."""
        lead_activities = self.filtered(lambda activity: activity.res_model == "crm.lead")
        done_types = {activity.res_id: activity.activity_type_id for activity in lead_activities}
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if done_types:
            leads = self.env["crm.lead"].sudo().browse(list(done_types)).exists()
            leads._sales_ask_next_task(done_types)
        return result
