"""The demo department's trainee and mentor: Południe's hunter is marked
trainee with the team's closer as mentor by the KPI builder (before the
plans, which scale a trainee's targets), which starts the adaptation plan;
the mentor's line on last month's confirmed sheet is named here."""

from odoo import api, models


class SalesDeptDemoMentors(models.AbstractModel):
    _name = "sales.dept.demo.mentors"
    _description = "Sales Department Demo Builder: mentors"

    @api.model
    def _load_demo_mentors(self):
        """Names the mentor's line of the demo trainee on last month's sheet
        ``demo_bonus_line_mentor``. Once only, after the pay is built."""
        sheet = self.env.ref("sales_dept_org.demo_bonus_sheet_last_month", raise_if_not_found=False)
        if not sheet or self.env.ref(
            "sales_dept_org.demo_bonus_line_mentor", raise_if_not_found=False
        ):
            return False
        trainee = self.env.ref("sales_dept_org.demo_employee_hunter_south")
        line = sheet.line_ids.filtered(
            lambda line: line.line_type == "mentor" and line.trainee_id == trainee
        )
        if not line:
            return False
        self.env["sales.dept.demo"]._demo_xmlids({"demo_bonus_line_mentor": line})
        return True
