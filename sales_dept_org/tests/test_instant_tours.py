"""Same-day money in a real browser (headless Chromium), in Polish and in
English: the head of North grants Jan an instant bonus and approves it, the
accountant marks it paid and downloads the file of what was approved today.
The demo department is built in the test's transaction, which the browser's
requests share."""

from odoo.tests import HttpCase, tagged

LANGS = ("pl_PL", "en_US")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestInstantBonusTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sales.dept.demo"]._load_demo_department()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "crm", "sales_team", "sales_dept_org"], ["pl_PL"]
        )

    def _person(self, person, lang):
        user = self.env.ref(f"sales_dept_org.demo_user_{person}")
        user.lang = lang
        return user

    def _tour(self, url, tour, user):
        # the first page of a session can be slow on a busy machine: served once first
        self.authenticate(user.login, user.login)
        self.url_open(url, timeout=120)
        self.start_tour(url, tour, login=user.login)

    def test_head_approves_and_the_accountant_pays_the_same_day(self):
        Instant = self.env["sales.bonus.instant"]
        hunter = self.env.ref("sales_dept_org.demo_employee_hunter_north")
        for lang in LANGS:
            with self.subTest(lang=lang):
                head = self._person("head_north", lang)
                self._tour(
                    "/odoo/action-sales_dept_org.sales_bonus_instant_action/new",
                    "sales_dept_instant_approve_tour",
                    head,
                )
                # the one just approved (the other language's is paid already)
                bonus = Instant.search(
                    [("reason", "=", "Premia z trasy"), ("state", "=", "approved")]
                )
                self.assertRecordValues(
                    bonus,
                    [
                        {
                            "employee_id": hunter.id,
                            "amount": 200.0,
                            "state": "approved",
                            "granted_by_id": head.id,
                            "approved_by_id": head.id,
                        }
                    ],
                )
                accountant = self._person("accountant", lang)
                self._tour(
                    "/odoo/action-sales_dept_org.sales_bonus_instant_action_to_pay",
                    "sales_dept_instant_pay_tour",
                    accountant,
                )
                self.assertRecordValues(bonus, [{"state": "paid", "paid_by_id": accountant.id}])
                self.assertEqual(bonus.paid_date, bonus.company_id._sales_date())
                attachment = self.env["ir.attachment"].search(
                    [("create_uid", "=", accountant.id), ("mimetype", "=", XLSX)],
                    order="id desc",
                    limit=1,
                )
                self.assertIn(str(bonus.approved_date), attachment.name)
                download = self.url_open(f"/web/content/{attachment.id}?download=true")
                self.assertEqual(download.status_code, 200)
                self.assertEqual(download.headers["Content-Type"], XLSX)
                self.assertEqual(download.content[:2], b"PK")  # a zip: the workbook
