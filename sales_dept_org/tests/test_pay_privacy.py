"""Who reads a month's pay file, who grants instant bonuses.

The world is BonusCommon's October: team North (head Piotr; hunter, closer,
farmer) and the director, who leads no team. The sheet is computed,
confirmed and exported by the accountant as the month's XLSX file. Piotr may
read the lines of his team and his own, not the director's: the file holds
every line, so it is not his to read. The director and the accountant read
every line, so they read the file.
"""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users

from .bonus_common import OCTOBER, BonusCommon


@tagged("post_install", "-at_install")
class TestPayFiles(BonusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sheet = cls.compute_month(OCTOBER)
        cls.sheet.action_confirm()
        cls.sheet.with_user(cls.user_accountant).action_export_xlsx()
        cls.pay_file = cls.env["ir.attachment"].search(
            [("res_model", "=", "sales.bonus.sheet"), ("res_id", "=", cls.sheet.id)]
        )

    def _file_as(self, user):
        """What ``user`` gets of the pay file: listed with the sheet's files,
        read by id, found for download as the web client does (/web/content)."""
        Attachment = self.env["ir.attachment"].with_user(user)
        listed = Attachment.search(
            [("res_model", "=", "sales.bonus.sheet"), ("res_id", "=", self.sheet.id)]
        )
        try:
            content = Attachment.browse(self.pay_file.id).read(["raw"])[0]["raw"]
        except AccessError:
            content = None
        try:
            # the access check of /web/content (the stream itself needs a request)
            binary = self.env["ir.binary"].with_user(user)
            record = binary._find_record(res_model="ir.attachment", res_id=self.pay_file.id)
            downloaded = bool(record.raw)
        except AccessError:
            downloaded = False
        return bool(listed), bool(content), downloaded

    def test_the_file_is_on_the_sheet_not_in_its_messages(self):
        self.assertEqual(len(self.pay_file), 1)
        self.assertTrue(self.pay_file.raw.startswith(b"PK"))  # an xlsx is a zip
        exported = self.sheet.message_ids.filtered(lambda msg: "Exported" in (msg.body or ""))
        self.assertTrue(exported)
        self.assertFalse(exported.attachment_ids)

    def test_a_head_reads_neither_the_file_nor_the_company_total(self):
        self.assertEqual(self._file_as(self.user_head), (False, False, False))
        sheet = self.sheet.with_user(self.user_head)
        self.assertEqual(sheet.read(["state"])[0]["state"], "exported")
        with self.assertRaises(AccessError):
            sheet.read(["total_amount"])

    def test_who_reads_every_line_reads_the_file(self):
        for user in (self.user_director, self.user_accountant):
            with self.subTest(user=user.name):
                self.assertEqual(self._file_as(user), (True, True, True))
                self.assertEqual(self.sheet.with_user(user).total_amount, self.sheet.total_amount)

    def test_a_head_may_not_attach_or_remove_pay_files(self):
        with self.assertRaises(AccessError):
            self.pay_file.with_user(self.user_head).unlink()
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(self.user_head).create(
                {
                    "name": "notes.txt",
                    "raw": b"x",
                    "res_model": "sales.bonus.sheet",
                    "res_id": self.sheet.id,
                }
            )
        self.assertTrue(self.pay_file.exists())


@tagged("post_install", "-at_install")
class TestInstantBonusGrants(BonusCommon):
    """A head grants instant bonuses to the people of the team he leads, as
    ``res.users._sales_team_by_user`` finds it, never to himself and never by
    a team or a granter the client names."""

    def _grant(self, employee, **values):
        return self.env["sales.bonus.instant"].create(
            dict(
                {
                    "employee_id": employee.id,
                    "date": date(2026, 11, 3),
                    "amount": 300.0,
                    "reason": "Won the Gdańsk tender",
                },
                **values,
            )
        )

    @users("sdo_head")
    def test_the_team_comes_from_the_employee_not_the_client(self):
        with self.assertRaises(AccessError):
            self._grant(self.employee_director, team_id=self.team_north.id)
        self.assertFalse(
            self.env["sales.bonus.instant"].sudo().search([("user_id", "=", self.user_director.id)])
        )

    @users("sdo_head")
    def test_nobody_grants_a_bonus_to_themselves(self):
        with self.assertRaisesRegex(UserError, "Piotr Head.*own bonus"):
            self._grant(self.employee_head)
        bonus = self._grant(self.employee_hunter)
        with self.assertRaisesRegex(UserError, "Piotr Head.*own bonus"):
            bonus.write({"employee_id": self.employee_head.id})
        self.assertEqual(bonus.employee_id, self.employee_hunter)

    @users("sdo_head")
    def test_the_granter_is_who_grants(self):
        bonus = self._grant(self.employee_closer, granted_by_id=self.user_director.id)
        self.assertEqual(bonus.granted_by_id, self.user_head)
        bonus.write({"granted_by_id": self.user_director.id, "team_id": False})
        self.assertEqual((bonus.granted_by_id, bonus.team_id), (self.user_head, self.team_north))

    @users("sdo_head")
    def test_a_bonus_is_not_moved_out_of_the_team(self):
        bonus = self._grant(self.employee_closer)
        with self.assertRaises(AccessError):
            bonus.write({"employee_id": self.employee_director.id})
        self.assertEqual(bonus.sudo().employee_id, self.employee_closer)

    def test_the_director_grants_to_anyone_but_himself(self):
        Instant = self.env["sales.bonus.instant"].with_user(self.user_director)
        values = {"date": date(2026, 11, 3), "amount": 100.0, "reason": "Fair"}
        bonus = Instant.create(dict(values, employee_id=self.employee_head.id))
        self.assertEqual(bonus.team_id, self.team_north)
        with self.assertRaisesRegex(UserError, "Anna Director.*own bonus"):
            Instant.create(dict(values, employee_id=self.employee_director.id))


@tagged("post_install", "-at_install")
class TestSchemePrivacy(BonusCommon):
    """Tomasz (closer of North, led by Piotr) has his own scheme: his target
    pay. Ewa heads team South, which he is not in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_head_south = cls._sales_user(
            "sdo_head_south", "Ewa South", "sales_dept_org.group_sales_dept_head"
        )
        cls.env["hr.employee"].create(
            {"name": "Ewa South", "user_id": cls.user_head_south.id, "sales_role": "head"}
        )
        cls.env["crm.team"].create({"name": "South", "user_id": cls.user_head_south.id})
        cls.role_schemes = cls.env["sales.bonus.scheme"].search([("employee_id", "=", False)])

    def _schemes_read_by(self, user):
        Scheme = self.env["sales.bonus.scheme"].with_user(user)
        return Scheme.search([]), Scheme.browse(self.scheme_closer.id)

    def test_a_head_reads_the_own_schemes_of_his_teams_people_only(self):
        listed, own = self._schemes_read_by(self.user_head)
        self.assertEqual(listed, self.role_schemes | self.scheme_closer)
        self.assertEqual(own.target_pay, 10000.0)
        self.assertEqual(own.tier_ids.mapped("rate"), [1, 3])

        listed, own = self._schemes_read_by(self.user_head_south)
        self.assertEqual(listed, self.role_schemes)
        with self.assertRaises(AccessError):
            own.target_pay  # noqa: B018
        with self.assertRaises(AccessError):
            self.scheme_closer.tier_ids.with_user(self.user_head_south).read(["rate"])

        listed, _own = self._schemes_read_by(self.user_director)
        self.assertEqual(listed, self.role_schemes | self.scheme_closer)

    def test_a_sheet_computed_by_another_head_pays_by_the_own_scheme(self):
        by_admin = self.line_of(self.compute_month(OCTOBER), self.employee_closer)
        expected = (by_admin.scheme_id, by_admin.total_amount)
        self.assertEqual(expected[0], self.scheme_closer)
        by_admin.sheet_id.with_user(self.user_head_south).action_compute()
        line = self.line_of(by_admin.sheet_id, self.employee_closer)
        self.assertEqual((line.scheme_id, line.total_amount), expected)
