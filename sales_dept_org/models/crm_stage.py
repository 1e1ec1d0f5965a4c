from odoo import api, fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    _sql_constraints = [
        (
            "sales_max_days_positive",
            "CHECK(sales_max_days >= 0)",
            "The maximum days in a stage cannot be negative.",
        ),
    ]

    responsible_role = fields.Selection(
        [("hunter", "Hunter"), ("closer", "Closer"), ("farmer", "Farmer")],
        help="The sales role that owns leads in this stage. A lead entering the "
        "stage is handed to a team member with this role (role-split teams only).",
    )
    sales_required_field_ids = fields.Many2many(
        "ir.model.fields",
        "crm_stage_sales_required_field_rel",
        "stage_id",
        "field_id",
        string="Required to Enter",
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
        help="Activities of these types must be marked done on the lead before it "
        "may leave this stage (e.g. a held meeting before the proposal).",
    )
    sales_allow_skip = fields.Boolean(
        "Forward Skip Allowed",
        default=True,
        help="Leads in this stage may jump forward over the next stages.",
    )
    sales_allow_back = fields.Boolean(
        "Moving Back Allowed",
        default=True,
        help="Leads in this stage may be moved back to an earlier stage.",
    )
    sales_max_days = fields.Integer(
        "Maximum Days",
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

    sales_requirements = fields.Text(
        "Stage Rules Summary",
        compute="_compute_sales_requirements",
        help="The stage's rules in a few lines: the tooltip of its kanban column.",
    )

    @api.depends(
        "sales_required_field_ids",
        "sales_required_activity_type_ids",
        "sales_allow_skip",
        "sales_allow_back",
        "sales_max_days",
    )
    @api.depends_context("lang")
    def _compute_sales_requirements(self):
        for stage in self:
            lines = []
            if stage.sales_required_field_ids:
                lines.append(
                    self.env._(
                        "To enter: %(fields)s",
                        fields=", ".join(
                            stage.sales_required_field_ids.sorted("field_description").mapped(
                                "field_description"
                            )
                        ),
                    )
                )
            if stage.sales_required_activity_type_ids:
                lines.append(
                    self.env._(
                        "Done before leaving: %(types)s",
                        types=", ".join(stage.sales_required_activity_type_ids.mapped("name")),
                    )
                )
            if not stage.sales_allow_skip:
                lines.append(self.env._("No skipping the next stages"))
            if not stage.sales_allow_back:
                lines.append(self.env._("No moving back"))
            if stage.sales_max_days:
                lines.append(self.env._("Stuck after %(days)s days", days=stage.sales_max_days))
            stage.sales_requirements = "\n".join(lines)

    def write(self, vals):
        result = super().write(vals)
        if {"sales_max_days", "is_won"} & set(vals):
            # A changed limit re-judges the stage's leads: the next daily run
            # flags again those still over it.
            self.env["crm.lead"].sudo().search(
                [("stage_id", "in", self.ids), ("is_stuck", "=", True)]
            ).write({"is_stuck": False})
        return result
