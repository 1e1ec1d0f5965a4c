"""Two more people an employee's activity plan can give a step to: the
trainee's mentor and the head of the employee's sales team (the adaptation
plan, data/mail_activity_plan_data.xml)."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

SALES_RESPONSIBLE_TYPES = {"sales_mentor", "sales_head"}


class MailActivityPlanTemplate(models.Model):
    _inherit = "mail.activity.plan.template"

    responsible_type = fields.Selection(
        selection_add=[("sales_mentor", "Mentor"), ("sales_head", "Head of the sales team")],
        ondelete={"sales_mentor": "cascade", "sales_head": "cascade"},
    )

    @api.constrains("plan_id", "responsible_type")
    def _check_responsible_sales(self):
        wrong = self.filtered(
            lambda template: (
                template.responsible_type in SALES_RESPONSIBLE_TYPES
                and template.plan_id.res_model != "hr.employee"
            )
        )
        if wrong:
            raise ValidationError(
                self.env._(
                    "The mentor and the head of the sales team can be given steps of "
                    "employee plans only: %s",
                    ", ".join(wrong.mapped("plan_id.name")),
                )
            )

    def _determine_responsible(self, on_demand_responsible, employee):
        if self.responsible_type not in SALES_RESPONSIBLE_TYPES:
            return super()._determine_responsible(on_demand_responsible, employee)
        if self.responsible_type == "sales_mentor" and employee.mentor_id.user_id:
            return {"error": False, "responsible": employee.mentor_id.user_id}
        # without a mentor with a user: the head of the team, else the manager
        head = employee.sales_team_id.user_id
        if head and head != employee.user_id:
            return {"error": False, "responsible": head}
        return self._get_closest_parent_user(
            employee=employee,
            responsible=employee.parent_id,
            error_message=self.env._(
                "%s has neither a head of sales nor a manager with a user to give the "
                "adaptation's steps to.",
                employee.name,
            ),
        )
