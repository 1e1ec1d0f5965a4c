import io
from datetime import date

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .bonus_common import NOVEMBER, OCTOBER, BonusCommon

HYPERLINK = '=HYPERLINK("http://x")'


@tagged("post_install", "-at_install")
class TestBonusExport(BonusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # user text that a spreadsheet would love to execute
        cls.employee_director.name = HYPERLINK
        cls.instants = (
            cls.env["sales.bonus.instant"]
            .with_user(cls.user_head)
            .create(
                [
                    {
                        "employee_id": cls.employee_hunter.id,
                        "date": date(2026, 10, 15),
                        "amount": 250.0,
                        "reason": "=1+1",
                    },
                    {
                        "employee_id": cls.employee_farmer.id,
                        "date": date(2026, 10, 16),
                        "amount": 99.99,
                        "reason": "http://evil.example/@SUM(A1)",
                    },
                ]
            )
        )
        cls.instants.action_approve()

    def export(self, sheet, user):
        action = sheet.with_user(user).action_export_xlsx()
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "sales.bonus.sheet"), ("res_id", "=", sheet.id)]
        )
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        return openpyxl.load_workbook(io.BytesIO(attachment.raw))

    def test_unconfirmed_sheet_is_not_exported(self):
        sheet = self.compute_month(OCTOBER)
        with self.assertRaisesRegex(UserError, "Only a confirmed bonus sheet can be exported"):
            sheet.with_user(self.user_director).action_export_xlsx()
        # the accountant does not even see a sheet before it is confirmed
        with self.assertRaises(AccessError):
            sheet.with_user(self.user_accountant).action_export_xlsx()
        self.assertEqual(sheet.state, "computed")
        self.assertFalse(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "sales.bonus.sheet"), ("res_id", "=", sheet.id)]
            )
        )

    def test_salesperson_and_head_cannot_export(self):
        sheet = self.compute_month(OCTOBER)
        sheet.action_confirm()
        for user in (self.user_hunter, self.user_head):
            with self.subTest(user.login), self.assertRaises(AccessError):
                sheet.with_user(user).action_export_xlsx()
        self.assertEqual(sheet.state, "confirmed")

    def test_export_read_back_cell_by_cell(self):
        sheet = self.compute_month(OCTOBER)
        sheet.action_confirm()
        workbook = self.export(sheet, self.user_accountant)
        self.assertEqual(sheet.state, "exported")
        self.assertEqual(sheet.exported_by_id, self.user_accountant)
        self.assertEqual(workbook.sheetnames, ["Summary", "North", "No team", "Instant bonuses"])
        title = f"Bonus sheet 2026-10, {self.company.name}"
        currency = self.company.currency_id
        money = f'"{currency.symbol}" #,##0.00'
        if currency.position == "after":
            money = f'#,##0.00 "{currency.symbol}"'

        summary = workbook["Summary"]
        self.assertEqual(summary["A1"].value, title)
        north = sheet.line_ids.filtered(lambda line: line.team_id == self.team_north)
        director = sheet.line_ids - north

        def sums(lines):
            return [
                round(sum(lines.mapped(name)), 2)
                for name in (
                    "fixed_amount",
                    "soft_amount",
                    "bonus_amount",
                    "instant_amount",
                    "clawback_amount",
                    "total_amount",
                    "instant_paid_amount",
                    "to_pay_amount",
                )
            ]

        self.assertEqual(
            self.rows(summary),
            [
                [
                    "Team",
                    "People",
                    "Fixed",
                    "Soft",
                    "Bonus",
                    "Instant bonuses",
                    "Clawback",
                    "Total",
                    "Paid already",
                    "To pay",
                ],
                ["North", 4, *sums(north)],
                ["No team", 1, *sums(director)],
                ["Total", 5, *sums(sheet.line_ids)],
            ],
        )
        # the total equals the database to the cent: 5,890 + 14,500 + 4,355.99 (4,256 + the
        # 99.99 instant bonus) + 8,400 + 4,800
        self.assertEqual(summary["H6"].value, sheet.total_amount)
        self.assertEqual(sheet.total_amount, 37945.99)
        self.assertEqual(summary["H6"].number_format, money)

        header = [
            "Employee",
            "Role",
            "Target pay",
            "Fixed",
            "Discipline score (%)",
            "Soft",
            "Bonus payout (%)",
            "Revenue won (%)",
            "Payments received (%)",
            "Meetings held (%)",
            "Leads qualified (%)",
            "Repeat purchases (%)",
            "Bonus",
            "Instant bonuses",
            "Clawback",
            "Total",
            "Paid already",
            "To pay",
            "Note",
        ]
        codes = [
            "revenue_won",
            "payments_received",
            "meetings_held",
            "leads_qualified",
            "repeat_purchases",
        ]

        def person(line, role):
            attainments = {metric.metric_code: metric.attainment for metric in line.metric_line_ids}
            return [
                line.employee_id.name,
                role,
                line.target_pay,
                line.fixed_amount,
                line.discipline_score,
                line.soft_amount,
                line.bonus_payout,
                *(attainments.get(code) for code in codes),
                line.bonus_amount,
                line.instant_amount,
                line.clawback_amount,
                line.total_amount,
                line.instant_paid_amount,
                line.to_pay_amount,
                line.note or None,
            ]

        def total(lines):
            fixed, soft, bonus, instant, clawback, grand, paid, to_pay = sums(lines)
            return [
                "Total",
                None,
                None,
                fixed,
                None,
                soft,
                None,
                None,
                None,
                None,
                None,
                None,
                bonus,
                instant,
                clawback,
                grand,
                paid,
                to_pay,
                None,
            ]

        by_name = north.sorted(lambda line: line.employee_id.name)
        roles = {
            "hunter": "Hunter",
            "closer": "Closer",
            "farmer": "Farmer",
            "head": "Head of Sales",
        }
        self.assertEqual(
            self.rows(workbook["North"]),
            [header, *(person(line, roles[line.sales_role]) for line in by_name), total(north)],
        )
        hunter_row = self.rows(workbook["North"])[2]
        # Jan Hunter: 1,800 + 600 + 3,240 + 250 instant = 5,890; attainments 90% and 110%
        self.assertEqual(hunter_row[0], "Jan Hunter")
        self.assertEqual(hunter_row[9:11], [90.0, 110.0])
        self.assertEqual(hunter_row[15], 5890.0)
        self.assertEqual(
            self.rows(workbook["No team"]),
            [header, person(director, "Head of Sales"), total(director)],
        )
        self.assertEqual(
            self.rows(workbook["Instant bonuses"]),
            [
                ["Date", "Employee", "Amount", "Reason", "Granted by", "Status"],
                ["2026-10-15", "Jan Hunter", 250.0, "=1+1", "Piotr Head", "Approved"],
                [
                    "2026-10-16",
                    "Agnieszka Farmer",
                    99.99,
                    "http://evil.example/@SUM(A1)",
                    "Piotr Head",
                    "Approved",
                ],
            ],
        )

    def test_user_text_stays_text(self):
        sheet = self.compute_month(OCTOBER)
        sheet.action_confirm()
        workbook = self.export(sheet, self.user_director)
        name_cell = workbook["No team"]["A4"]
        self.assertEqual(name_cell.value, HYPERLINK)
        self.assertEqual(name_cell.data_type, "s")  # a string, not a formula ("f")
        self.assertIsNone(name_cell.hyperlink)
        reasons = workbook["Instant bonuses"]
        self.assertEqual((reasons["D4"].value, reasons["D4"].data_type), ("=1+1", "s"))
        self.assertEqual(reasons["D5"].data_type, "s")
        for worksheet in workbook.worksheets:
            self.assertFalse(worksheet._hyperlinks, worksheet.title)

    @staticmethod
    def rows(worksheet):
        """The table under the title: row 3 (headers) to the end, trailing blanks dropped."""
        return [list(row) for row in worksheet.iter_rows(min_row=3, values_only=True)]

    def test_export_queries_do_not_grow_with_lines(self):
        sheet = self.compute_month(OCTOBER)
        sheet.action_confirm()
        Export = self.env["sales.bonus.sheet.xlsx"]
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        Export._workbook_bytes(sheet)
        small = self.cr.sql_log_count - before
        self.extra_people("closer", 12)
        self.october_plan.copy({"date_from": NOVEMBER, "date_to": date(2026, 11, 30)})
        self.env["sales.bonus.instant"].create(
            {
                "employee_id": self.employee_closer.id,
                "date": date(2026, 11, 2),
                "amount": 10.0,
                "reason": "same shape as October",
            }
        ).action_approve()
        november = self.compute_month(NOVEMBER)
        november.action_confirm()
        self.assertEqual(len(november.line_ids), 17)
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        Export._workbook_bytes(november)
        self.assertEqual(self.cr.sql_log_count - before, small)
