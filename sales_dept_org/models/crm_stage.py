from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmStage(models.Model):
    _name = "crm.stage"
    # who changed a stage's rules, and when, is told in its chatter
    _inherit = ["crm.stage", "mail.thread"]

    _sql_constraints = [
        (
            "sales_max_days_positive",
            "CHECK(sales_max_days >= 0)",
            "The maximum days in a stage cannot be negative.",
        ),
    ]

    responsible_role = fields.Selection(
        [("hunter", "Hunter"), ("closer", "Closer"), ("farmer", "Farmer")],
        tracking=True,
        help="The sales role that owns leads in this stage. A lead entering the "
        "stage is handed to a team member with this role (role-split teams only).",
    )
    sales_required_field_ids = fields.Many2many(
        "ir.model.fields",
        "crm_stage_sales_required_field_rel",
        "stage_id",
        "field_id",
        string="Required to Enter",
        tracking=True,
        domain="[('model', '=', 'crm.lead'), ('store', '=', True), "
        "('ttype', 'not in', ('binary', 'one2many'))]",
        help="A lead may enter this stage only when these fields are filled.",
    )
    sales_required_activity_type_ids = fields.Many2many(
        "mail.activity.type",
        "crm_stage_sales_required_activity_type_rel",
        "stage_id",
        "activity_type_id",
        string="Done Before Leaving",
        tracking=True,
        help="Activities of these types must be marked done on the lead before it "
        "may leave this stage (e.g. a held meeting before the proposal).",
    )
    sales_allow_skip = fields.Boolean(
        "Forward Skip Allowed",
        default=True,
        tracking=True,
        help="Leads in this stage may jump forward over the next stages.",
    )
    sales_allow_back = fields.Boolean(
        "Moving Back Allowed",
        default=True,
        tracking=True,
        help="Leads in this stage may be moved back to an earlier stage.",
    )
    sales_max_days = fields.Integer(
        "Maximum Days",
        tracking=True,
        help="After this many days in the stage the lead is stuck and the team "
        "head gets an activity. 0: no limit.",
    )
    sales_script = fields.Html(
        translate=True,
        help="What to say and do at this stage; shown on the lead form.",
    )
    sales_checklist = fields.Html(
        "Checklist",
        translate=True,
        help="What must be true before the lead moves on; shown on the lead form.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        """The stage log is the funnel's and the time in stage's history: a
        stage it names stays."""
        logged = (
            self.env["sales.lead.stage.log"]
            .sudo()
            ._read_group(
                ["|", ("stage_id", "in", self.ids), ("stage_from_id", "in", self.ids)],
                ["stage_id", "stage_from_id"],
            )
        )
        named = self.browse().union(*(stage for pair in logged for stage in pair)) & self
        if named:
            raise UserError(
                self.env._(
                    "%(stages)s: named in the lead stage history, kept for it. To hide a "
                    "stage from the pipeline, fold it instead.",
                    stages=", ".join(named.mapped("name")),
                )
            )

    def write(self, vals):
        result = super().write(vals)
        if {"sales_max_days", "is_won"} & set(vals):
            # A changed limit re-judges the stage's leads: the next daily run
            # flags again those still over it.
            self.env["crm.lead"].sudo().search(
                [("stage_id", "in", self.ids), ("is_stuck", "=", True)]
            ).write({"is_stuck": False})
        return result
