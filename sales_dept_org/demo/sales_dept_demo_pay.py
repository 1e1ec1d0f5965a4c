from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

# employee xml id suffix, head's user xml id suffix, day of the month, amount,
# reason, state (approved by the head that day; paid that day by the accountant)
DEMO_INSTANT_BONUSES = [
    ("closer_north", "head_north", 1, 300.0, "Pierwsza sprzedaż miesiąca", "paid"),
    ("hunter_north", "head_north", 1, 150.0, "10 umówionych spotkań w jeden dzień", "approved"),
    ("closer_south", "head_south", 1, 250.0, "Wygrany przetarg w Katowicach", "paid"),
]

DEMO_CONFIRM_REASON = "Rekordowe przetargi miesiąca, sprawdzone z zarządem"


class SalesDeptDemoPay(models.AbstractModel):
    _name = "sales.dept.demo.pay"
    _description = "Sales Department Demo Builder: pay"

    @api.model
    def _load_demo_pay(self):
        """Schemes, instant bonuses and the sheets of last month (confirmed, ready
        for the accountant) and this month (everyone's pay so far). Once only."""
        company = self.env.ref("sales_dept_org.demo_company", raise_if_not_found=False)
        if not company or self.env.ref(
            "sales_dept_org.demo_bonus_sheet_last_month", raise_if_not_found=False
        ):
            return False
        self.env["sales.bonus.scheme"]._install_default_schemes(company)
        month = fields.Date.context_today(self).replace(day=1)
        accountant = self.env.ref("sales_dept_org.demo_user_accountant")
        self.env["sales.bonus.instant"].create(
            [
                {
                    "company_id": company.id,
                    "employee_id": self.env.ref(f"sales_dept_org.demo_employee_{employee}").id,
                    "granted_by_id": self.env.ref(f"sales_dept_org.demo_user_{head}").id,
                    "date": month.replace(day=day),
                    "amount": amount,
                    "reason": reason,
                    "state": state,
                    "approved_by_id": self.env.ref(f"sales_dept_org.demo_user_{head}").id,
                    "approved_date": month.replace(day=day),
                    "paid_by_id": accountant.id if state == "paid" else False,
                    "paid_date": month.replace(day=day) if state == "paid" else False,
                }
                for employee, head, day, amount, reason, state in DEMO_INSTANT_BONUSES
            ]
        )
        Sheet = self.env["sales.bonus.sheet"]
        last_month = Sheet._get_or_create_month(company, month - relativedelta(months=1))
        last_month._compute_sheet()
        # lines paying more than the company's share of target pay (record deals)
        # are confirmed only with a reason, as they would be in production
        last_month.with_context(bonus_sheet_confirm_reason=DEMO_CONFIRM_REASON).action_confirm()
        Sheet._get_or_create_month(company, month)._compute_sheet()
        self.env["sales.dept.demo"]._demo_xmlids({"demo_bonus_sheet_last_month": last_month})
        return True
