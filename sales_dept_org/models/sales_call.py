"""sales.call: the call log, written by the phone system.

A call is logged once per (integration, event id): the unique index makes a
repeated or concurrent event a duplicate, never a second call. This file
holds the fields, who may change what and the recording; the event's path
into the CRM (matching, the done call, the call-back, the new lead) is
``sales_call_event.py``, the weekly review ``sales_call_review.py``.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.sql import create_index

# what a head or the director may write on a call: the review
REVIEW_FIELDS = {"review_score", "review_note"}


class SalesCall(models.Model):
    _name = "sales.call"
    _description = "Phone Call"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "start desc, id desc"
    _rec_name = "customer_number"

    _sql_constraints = [
        (
            "event_uniq",
            "unique(integration_id, event_id)",
            "A phone system's event is logged once.",
        ),
        (
            "review_score_range",
            "CHECK(review_score BETWEEN 0 AND 5)",
            "A call review scores from 1 to 5.",
        ),
    ]

    integration_id = fields.Many2one(
        "sales.call.integration", required=True, readonly=True, ondelete="restrict"
    )
    event_id = fields.Char(
        "Event ID", required=True, readonly=True, help="The phone system's id of the call."
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    direction = fields.Selection(
        [("in", "Inbound"), ("out", "Outbound")], required=True, readonly=True
    )
    number_from = fields.Char("From", readonly=True, help="As the phone system sent it.")
    number_to = fields.Char("To", readonly=True, help="As the phone system sent it.")
    number_from_e164 = fields.Char("From (Normalised)", readonly=True)
    number_to_e164 = fields.Char("To (Normalised)", readonly=True)
    customer_number = fields.Char(
        readonly=True,
        help="The other party's number, normalised: the caller of an inbound "
        "call, the number dialled of an outbound one.",
    )
    start = fields.Datetime(required=True, readonly=True, index=True)
    duration = fields.Integer("Duration (s)", readonly=True)
    status = fields.Selection(
        [
            ("answered", "Answered"),
            ("missed", "Missed"),
            ("busy", "Busy"),
            ("failed", "Failed"),
        ],
        required=True,
        readonly=True,
    )
    recording_url = fields.Char(
        readonly=True,
        groups="sales_dept_org.group_sales_dept_admin",
        help="Where the phone system keeps the recording; people listen through Odoo.",
    )
    recording_attachment_id = fields.Many2one(
        "ir.attachment", readonly=True, help="A recording kept in Odoo."
    )
    has_recording = fields.Boolean(readonly=True)
    user_id = fields.Many2one("res.users", "Agent", required=True, readonly=True, index=True)
    team_id = fields.Many2one(
        "crm.team", readonly=True, index=True, help="The agent's team at the time of the call."
    )
    lead_id = fields.Many2one("crm.lead", readonly=True, index="btree_not_null")
    partner_id = fields.Many2one("res.partner", "Contact", readonly=True, index="btree_not_null")
    # the review (sales_call_review.py)
    review_requested = fields.Boolean(readonly=True, copy=False)
    review_score = fields.Integer(
        copy=False, tracking=True, help="1 (poor) to 5 (excellent); 0 while not reviewed."
    )
    review_note = fields.Text(copy=False)
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False)
    reviewed_on = fields.Datetime(readonly=True, copy=False)

    @api.depends("customer_number", "start")
    def _compute_display_name(self):
        for call in self:
            moment = fields.Datetime.context_timestamp(call, call.start) if call.start else False
            call.display_name = " · ".join(
                filter(None, [call.customer_number, moment and moment.strftime("%Y-%m-%d %H:%M")])
            )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    def init(self):
        # A call's number is looked up among the partners' normalised numbers
        # too (``_sales_match_number``): crm indexes the leads' column, Odoo
        # none of the partners'.
        create_index(
            self.env.cr,
            "res_partner_sales_call_phone_sanitized_index",
            "res_partner",
            ["phone_sanitized"],
            where="phone_sanitized IS NOT NULL",
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Calls are logged by the phone system only."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(vals) - REVIEW_FIELDS:
            raise AccessError(self.env._("Only the review of a call can be changed."))
        if REVIEW_FIELDS & set(vals):
            self._sales_review_written(vals)
        return super().write(vals)

    @api.constrains("review_score", "reviewer_id", "user_id")
    def _check_reviewer(self):
        own = self.filtered(lambda call: call.reviewer_id and call.reviewer_id == call.user_id)
        if own:
            raise ValidationError(
                self.env._(
                    "Nobody reviews their own calls: %s.", ", ".join(own.mapped("display_name"))
                )
            )

    # ------------------------------------------------------------------
    # the recording
    # ------------------------------------------------------------------
    def _recording_path(self):
        """The Odoo address of the recording, which checks who listens."""
        self.ensure_one()
        return f"/sales_dept_org/call/{self.id}/recording"

    def action_listen(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self._recording_path(), "target": "new"}
