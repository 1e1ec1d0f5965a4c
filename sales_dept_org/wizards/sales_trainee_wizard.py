from odoo import api, fields, models


class SalesTraineeWizard(models.TransientModel):
    _name = "sales.trainee.wizard"
    _description = "Mark an Employee as Trainee"

    employee_id = fields.Many2one("hr.employee", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="employee_id.company_id")
    # opened to mark someone or to change a trainee's mentor: ticked
    is_trainee = fields.Boolean(
        default=True,
        help="Untick to end the adaptation: the targets are no longer scaled down.",
    )
    mentor_id = fields.Many2one(
        "hr.employee",
        compute="_compute_mentor_id",
        store=True,
        readonly=False,
        domain="[('company_id', '=', company_id), ('id', '!=', employee_id)]",
        help="A colleague of the same company who trains the trainee.",
    )
    adaptation_end_date = fields.Date(
        compute="_compute_adaptation_end_date",
        store=True,
        readonly=False,
        help="Last day on which the trainee's targets are scaled down.",
    )

    @api.depends("employee_id")
    def _compute_mentor_id(self):
        for wizard in self:
            wizard.mentor_id = wizard.employee_id.mentor_id

    @api.depends("employee_id")
    def _compute_adaptation_end_date(self):
        for wizard in self:
            wizard.adaptation_end_date = wizard.employee_id.adaptation_end_date

    def action_apply(self):
        """Written through the employee's own write, which decides who may
        mark whom (a head: the people of the teams he leads) and checks the
        mentor; a refusal writes nothing."""
        self.ensure_one()
        vals = {"is_trainee": self.is_trainee}
        if self.is_trainee:
            vals.update(mentor_id=self.mentor_id.id, adaptation_end_date=self.adaptation_end_date)
        self.employee_id.write(vals)
        return {"type": "ir.actions.act_window_close"}
