from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestBonusDemo(TransactionCase):
    """The demo department's pay builds once, in an empty database (rolled back after)."""

    def test_demo_pay(self):
        Demo = self.env["sales.dept.demo.pay"]
        self.assertFalse(Demo._load_demo_pay(), "nothing to pay without the demo department")
        self.env["sales.dept.demo"]._load_demo_department()
        self.assertTrue(Demo._load_demo_pay())
        self.assertFalse(Demo._load_demo_pay(), "a second run changes nothing")
        company = self.env.ref("sales_dept_org.demo_company")
        sheets = self.env["sales.bonus.sheet"].search([("company_id", "=", company.id)])
        self.assertEqual(sheets.mapped("state"), ["computed", "confirmed"])
        # eleven people with a sales role, each with a line in each month, and
        # the mentor's line for the trainee (see test_mentor_demo)
        self.assertEqual([len(sheet.line_ids) for sheet in sheets], [12, 12])
        closer = self.env.ref("sales_dept_org.demo_employee_closer_north")
        this_month = sheets[0].line_ids.filtered(lambda line: line.employee_id == closer)
        # closer default scheme: 9,000 PLN -> fixed 2,700; 300 PLN instant bonus on day 1
        self.assertEqual((this_month.fixed_amount, this_month.instant_amount), (2700.0, 300.0))
        # ... paid by the accountant that day: in the total, not to pay again
        self.assertEqual(this_month.instant_paid_amount, 300.0)
        self.assertEqual(this_month.to_pay_amount, this_month.total_amount - 300.0)
