"""sales.call: the weekly review of answered calls.

Each week the job picks, for every agent, a few answered calls of the last
seven days not picked before (the company's "calls reviewed per person",
3 by default), at random, and gives each to the head of the agent's team as
a "Review call" task. The head scores the call 1–5 with a note; the agent
reads it on the call, and the metric "Average call review score" averages
the scores on the day of the call.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

REVIEW_TYPE = "sales_dept_org.mail_activity_type_review_call"


class SalesCall(models.Model):
    _inherit = "sales.call"  # pylint: disable=consider-merging-classes-inherited

    def _sales_review_written(self, vals):
        """Called by ``write`` with the review's values: they are checked, the
        reviewer and the date are added to ``vals`` and the review tasks of
        these calls are done."""
        score = vals.get("review_score")
        if score is not None and not 1 <= score <= 5:
            raise ValidationError(self.env._("A call review scores from 1 to 5, not %s.", score))
        vals.update(reviewer_id=self.env.user.id, reviewed_on=fields.Datetime.now())
        tasks = self.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.env.ref(REVIEW_TYPE)
        )
        if tasks:
            tasks._action_done(feedback=self.env._("Reviewed"))

    @api.model
    def _cron_sample_reviews(self, now=None):
        """This week's review tasks; calls already picked are never picked
        again, so a second run in the same week adds nothing."""
        now = now or fields.Datetime.now()
        self.env["sales.call"].flush_model()
        self.env["crm.team"].flush_model(["user_id"])
        self.env["res.company"].flush_model(["sales_call_review_sample"])
        rows = self.env.execute_query(
            SQL(
                """SELECT call.id
                     FROM (SELECT sc.id, sc.company_id, row_number() OVER (
                                  PARTITION BY sc.user_id, sc.company_id ORDER BY random()) AS n
                             FROM sales_call sc
                             JOIN crm_team team ON team.id = sc.team_id
                            WHERE sc.status = 'answered' AND sc.review_requested IS NOT TRUE
                              AND sc.start >= %(since)s AND sc.start < %(now)s
                              AND team.user_id IS NOT NULL AND team.user_id != sc.user_id
                          ) AS call
                     JOIN res_company company ON company.id = call.company_id
                    WHERE call.n <= company.sales_call_review_sample""",
                since=now - timedelta(days=7),
                now=now,
            )
        )
        calls = self.sudo().browse([row[0] for row in rows])
        if not calls:
            return calls
        calls.write({"review_requested": True})
        review_type = self.env.ref(REVIEW_TYPE)
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": call.id,
                    "activity_type_id": review_type.id,
                    "summary": self.env._("Review the call of %s", call.user_id.name),
                    "user_id": call.team_id.user_id.id,
                    "date_deadline": today + timedelta(days=7),
                }
                for call in calls
            ]
        )
        return calls
