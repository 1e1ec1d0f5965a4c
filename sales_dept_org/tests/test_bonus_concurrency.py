"""Two real transactions computing the same month: the month-end cron and a head.

Each side has its own cursor, so the test works on committed data only: the
shipped schemes and the administrator's employee, given a sales role for the
duration of the test and restored afterwards, with the sheet removed.
"""

from datetime import date

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

MONTH = date(2031, 1, 1)  # far from any month another test computes
LINE_FIELDS = [
    "employee_id",
    "line_type",
    "fixed_amount",
    "soft_amount",
    "bonus_amount",
    "total_amount",
    "note",
]


@tagged("post_install", "-at_install")
class TestBonusConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            employee = env.ref("hr.employee_admin")
            self.previous_role = employee.sales_role
            employee.sales_role = "closer"
            self.company_id = employee.company_id.id
            self.admin_id = env.ref("base.user_admin").id
        self.addCleanup(self._cleanup)
        self.cursors = []

    def _cleanup(self):
        for cr in self.cursors:
            cr.rollback()
            cr.close()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["sales.bonus.sheet"].search([("date_from", "=", MONTH)]).unlink()
            env.ref("hr.employee_admin").sales_role = self.previous_role

    def env_for(self, uid):
        cr = self.registry.cursor()
        self.cursors.append(cr)
        return api.Environment(cr, uid, {})

    def test_head_button_while_cron_computes(self):
        cron_env = self.env_for(SUPERUSER_ID)
        head_env = self.env_for(self.admin_id)  # the administrator is a head and above
        company = cron_env["res.company"].browse(self.company_id)

        # The cron is computing the month (its transaction still open) ...
        cron_env["sales.bonus.sheet"]._cron_compute_month(company, MONTH)
        cron_sheet = cron_env["sales.bonus.sheet"].search([("date_from", "=", MONTH)])
        self.assertEqual(len(cron_sheet.line_ids), 1)

        # ... the head creating the same month is told at once, nothing written
        head_sheets = head_env["sales.bonus.sheet"]
        with self.assertRaisesRegex(UserError, "is being computed right now"):
            head_sheets.create({"date_from": MONTH, "company_id": self.company_id})
        head_env.cr.rollback()
        cron_lines = cron_sheet.line_ids.read(LINE_FIELDS)
        cron_env.cr.commit()

        # Once the cron is done, the head's compute finds the same sheet and
        # computes identical lines: one sheet, no duplicate line.
        head_sheet = head_sheets._get_or_create_month(
            head_env["res.company"].browse(self.company_id), MONTH
        )
        self.assertEqual(head_sheet.id, cron_sheet.id)
        head_sheet.action_compute()
        self.assertEqual(head_sheet.line_ids.read(LINE_FIELDS), cron_lines)
        head_env.cr.commit()
        self.assertEqual(head_sheets.search_count([("date_from", "=", MONTH)]), 1)

    def test_cron_steps_aside_while_the_head_computes(self):
        head_env = self.env_for(self.admin_id)
        cron_env = self.env_for(SUPERUSER_ID)
        sheet = head_env["sales.bonus.sheet"].create(
            {"date_from": MONTH, "company_id": self.company_id}
        )
        sheet.action_compute()
        # the cron neither waits nor fails nor writes: the head's result stands
        company = cron_env["res.company"].browse(self.company_id)
        cron_env["sales.bonus.sheet"]._cron_compute_month(company, MONTH)
        self.assertFalse(cron_env["sales.bonus.sheet"].search([("date_from", "=", MONTH)]))
        with self.assertRaisesRegex(UserError, "is being computed right now"):
            cron_env["sales.bonus.sheet"].new(
                {"date_from": MONTH, "company_id": self.company_id}
            )._lock_month()
        head_env.cr.commit()
        cron_env.cr.rollback()
        self.assertEqual(
            cron_env["sales.bonus.sheet"].search([("date_from", "=", MONTH)]).state, "computed"
        )
