from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

from .column_defaults import set_column_defaults

# the fields a lead must fill to enter a stage: stored (the daily counts search
# them) and fillable (a file or a list of other records is not "filled")
REQUIRED_FIELD_TYPES_EXCLUDED = ("binary", "one2many")
# the rule fields and the model of the records they hold
RULE_RECORDS = {
    "sales_required_field_ids": "ir.model.fields",
    "sales_required_activity_type_ids": "mail.activity.type",
}


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
    sales_qualifying = fields.Boolean(
        "Qualifying Stage",
        help="A lead reaching this stage, or a later one, for the first time counts "
        'as qualified for its hunter (KPI "Leads qualified"), on that day. '
        "The first such stage of the pipeline decides; a change applies to moves "
        "made from then on.",
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
        domain="['|', ('res_model', '=', False), ('res_model', '=', 'crm.lead')]",
        tracking=True,
        help="Activities of these types must be marked done on the lead before it "
        "may leave this stage (e.g. a held meeting before the proposal).",
    )
    sales_create_customer = fields.Boolean(
        "Create the Customer When Missing",
        tracking=True,
        help="A lead entering this stage without a customer gets one: the contact "
        "with the lead's e-mail in its company, else a new contact made from the "
        "lead's details, as Odoo's conversion to an opportunity does. Set on the "
        "won stage, so the farmer always receives a customer.",
    )
    sales_allow_skip = fields.Boolean(
        "Forward Skip Allowed",
        default=True,
        tracking=True,
        help="Leads in this stage may jump forward over the next stages. Winning "
        "is not a skip: a deal is won from any stage, if it meets the won stage's "
        "own rules.",
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

    sales_requirements = fields.Text(
        "Stage Rules Summary",
        compute="_compute_sales_requirements",
        help="The stage's rules in a few lines: the tooltip of its kanban column.",
    )

    @api.depends(
        "sales_required_field_ids",
        "sales_required_activity_type_ids",
        "sales_create_customer",
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
            if stage.sales_create_customer:
                lines.append(self.env._("The customer is created when missing"))
            if not stage.sales_allow_skip:
                lines.append(self.env._("No skipping the next stages"))
            if not stage.sales_allow_back:
                lines.append(self.env._("No moving back"))
            if stage.sales_max_days:
                lines.append(self.env._("Stuck after %(days)s days", days=stage.sales_max_days))
            stage.sales_requirements = "\n".join(lines)

    def _auto_init(self):
        result = super()._auto_init()
        set_column_defaults(self)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        self._check_sales_rule_records(vals_list, [vals.get("name") for vals in vals_list])
        stages = super().create(vals_list)
        if any(vals.get("sales_required_field_ids") for vals in vals_list):
            self._sales_entry_fields_changed()
        return stages

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
        self._check_sales_rule_records([vals], [", ".join(self.mapped("name"))])
        result = super().write(vals)
        if "sales_required_field_ids" in vals:
            self._sales_entry_fields_changed()
        if {"sales_max_days", "is_won"} & set(vals):
            # A changed limit re-judges the stage's leads at once.
            leads = self.env["crm.lead"].sudo()
            leads.search([("stage_id", "in", self.ids), ("is_stuck", "=", True)]).write(
                {"is_stuck": False}
            )
            leads._sales_mark_stuck(stages=self)
        return result

    @api.model
    def _sales_entry_fields_changed(self):
        """The lead's "fix it" form lists every stage's entry fields: built again."""
        self.env.registry.clear_cache("templates")

    @api.model
    def _check_sales_rule_records(self, vals_list, stage_names):
        """Rule records that do not exist are named before the database refuses
        them with its generic "another model requires the record" message."""
        problems = []
        for vals, stage in zip(vals_list, stage_names, strict=True):
            for fname, model in RULE_RECORDS.items():
                ids = self._sales_command_ids(vals.get(fname))
                missing = sorted(ids - set(self.env[model].sudo().browse(ids).exists().ids))
                if missing:
                    problems.append(
                        self.env._(
                            "Stage %(stage)s, %(rule)s: no %(model)s with id %(ids)s.",
                            stage=stage or "?",
                            rule=self._fields[fname]._description_string(self.env),
                            model=self.env[model]._description,
                            ids=", ".join(map(str, missing)),
                        )
                    )
        if problems:
            raise ValidationError("\n".join(problems))

    @api.model
    def _sales_command_ids(self, commands):
        """The ids a many2many value links: commands or a plain list of ids."""
        ids = set()
        for command in commands or []:
            if isinstance(command, int):
                ids.add(command)
            elif command[0] == Command.LINK:
                ids.add(command[1])
            elif command[0] == Command.SET:
                ids.update(command[2])
        return ids

    @api.constrains("sales_required_field_ids", "sales_required_activity_type_ids")
    def _check_sales_rules(self):
        """Required fields are fields of a lead a person can fill; activity types
        can be planned on a lead. Every offender of the batch in one message."""
        problems = []
        for stage in self:
            for field in stage.sudo().sales_required_field_ids:
                if field.model != "crm.lead":
                    problems.append(
                        self.env._(
                            "Stage %(stage)s: required field %(field)s (%(name)s) belongs to "
                            "%(model)s, not to a lead.",
                            stage=stage.name,
                            field=field.field_description,
                            name=field.name,
                            model=field.model,
                        )
                    )
                elif not field.store or field.ttype in REQUIRED_FIELD_TYPES_EXCLUDED:
                    problems.append(
                        self.env._(
                            "Stage %(stage)s: required field %(field)s (%(name)s) cannot be "
                            "required: it is not stored, or is a file or a list of records.",
                            stage=stage.name,
                            field=field.field_description,
                            name=field.name,
                        )
                    )
            for activity_type in stage.sudo().sales_required_activity_type_ids:
                if activity_type.res_model not in (False, "crm.lead"):
                    problems.append(
                        self.env._(
                            "Stage %(stage)s: activity type %(type)s is for %(model)s, it "
                            "cannot be done on a lead.",
                            stage=stage.name,
                            type=activity_type.name,
                            model=activity_type.res_model,
                        )
                    )
        if problems:
            raise ValidationError("\n".join(problems))
