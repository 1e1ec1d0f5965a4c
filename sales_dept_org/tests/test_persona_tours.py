"""Each person's main job, done in a real browser (headless Chromium) by the
demo person, in Polish and in English. The demo department is built in the
test's transaction, which the browser's requests share."""

from dateutil.relativedelta import relativedelta

from odoo.tests import HttpCase, tagged

LANGS = ("pl_PL", "en_US")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestPersonaTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sales.dept.demo"]._load_demo_department()
        cls.env["sales.dept.demo.reports"]._load_demo_reports()
        cls.env["sales.dept.demo.pay"]._load_demo_pay()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "crm", "sales_team", "sales_dept_org"], ["pl_PL"]
        )

    def _person(self, person, lang):
        user = self.env.ref(f"sales_dept_org.demo_user_{person}")
        user.lang = lang
        return user

    def _tour(self, url, tour, user):
        """Runs ``tour`` from ``url`` as ``user``. The page is first served
        once outside the browser, whose navigation gives the server only 20 s:
        on a busy machine the first page of a session can take longer."""
        self.authenticate(user.login, user.login)
        self.url_open(url, timeout=120)
        self.start_tour(url, tour, login=user.login)

    def test_director(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                self._tour("/odoo/crm", "sales_dept_director_tour", self._person("director", lang))

    def test_bonus_sheet_confirmed_then_exported(self):
        """A head computes and confirms the month's sheet, the accountant exports it."""
        Sheet = self.env["sales.bonus.sheet"]
        company = self.env.ref("sales_dept_org.demo_company")
        current = Sheet.search([("company_id", "=", company.id)], order="date_from desc", limit=1)
        earlier = Sheet._get_or_create_month(company, current.date_from - relativedelta(months=2))
        for lang, sheet in zip(LANGS, current + earlier, strict=True):
            with self.subTest(lang=lang):
                url = f"/odoo/action-sales_dept_org.sales_bonus_sheet_action/{sheet.id}"
                self._tour(url, "sales_dept_bonus_confirm_tour", self._person("director", lang))
                self.assertEqual(sheet.state, "confirmed")
                accountant = self._person("accountant", lang)
                self._tour(url, "sales_dept_bonus_export_tour", accountant)
                self.assertEqual(sheet.state, "exported")
                self.assertEqual(sheet.exported_by_id, accountant)
                attachment = self.env["ir.attachment"].search(
                    [("res_model", "=", sheet._name), ("res_id", "=", sheet.id)],
                    order="id desc",
                    limit=1,
                )
                download = self.url_open(f"/web/content/{attachment.id}?download=true")
                self.assertEqual(download.status_code, 200)
                self.assertEqual(download.headers["Content-Type"], XLSX)
                self.assertEqual(download.content[:2], b"PK")  # a zip: the workbook
