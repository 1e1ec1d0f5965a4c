"""Each person's main job, done in a real browser (headless Chromium) by the
demo person, in Polish and in English. The demo department is built in the
test's transaction, which the browser's requests share.

With ``SDO_TOUR_PICTURES`` set to a folder, each person's English tour leaves
a picture of its last screen there (``tour-<person>.png``, the window at
three quarters of its size): the README's pictures are made this way."""

import base64
import os
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from ..engine.kpi import week_start

LANGS = ("pl_PL", "en_US")
PICTURES = os.environ.get("SDO_TOUR_PICTURES")
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

    @classmethod
    def _demo(cls, name):
        return cls.env.ref(f"sales_dept_org.{name}")

    @classmethod
    def _customer(cls, name):
        """A customer of the North team's coast that no farmer keeps yet."""
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "company_id": cls._demo("demo_company").id,
                "country_id": cls.env.ref("base.pl").id,
                "city": "Gdynia",
            }
        )

    def _person(self, person, lang):
        user = self.env.ref(f"sales_dept_org.demo_user_{person}")
        user.lang = lang
        return user

    def _tour(self, url, tour, user, picture=None):
        """Runs ``tour`` from ``url`` as ``user``. The page is first served
        once outside the browser, whose navigation gives the server only 20 s:
        on a busy machine the first page of a session can take longer.
        ``picture`` names the person's picture (see the module doc)."""
        self.authenticate(user.login, user.login)
        self.url_open(url, timeout=120)
        if not (picture and PICTURES and user.lang == "en_US"):
            self.start_tour(url, tour, login=user.login)
            return
        picture = Path(PICTURES, f"tour-{picture}.png")
        stop = ChromeBrowser.stop

        def stop_after_picture(browser):
            shot = browser._websocket_request(
                "Page.captureScreenshot", params={"clip": self._picture_clip()}, timeout=30
            )
            picture.write_bytes(base64.b64decode(shot["data"]))
            stop(browser)

        with patch.object(ChromeBrowser, "stop", stop_after_picture):
            self.start_tour(url, tour, login=user.login)

    def _picture_clip(self):
        width, height = map(int, self.browser_size.split(","))
        return {"x": 0, "y": 0, "width": width, "height": height, "scale": 0.75}

    def test_director(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                self._tour(
                    "/odoo/crm",
                    "sales_dept_director_tour",
                    self._person("director", lang),
                    picture="director",
                )

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
                self._tour(url, "sales_dept_bonus_export_tour", accountant, picture="accountant")
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

    def test_hunter_hands_his_lead_to_the_closer(self):
        """Jan enters a lead and moves it on twice: refused each time, he
        fixes it in the dialog (the phone; the customer, the amount and the
        meeting held) and the second move hands it to Tomasz, the closer."""
        hunter, closer = self._demo("demo_user_hunter_north"), self._demo("demo_user_closer_north")
        customer = self._customer("Nowa Marina Sopot Sp. z o.o.")
        Lead = self.env["crm.lead"]
        for lang in LANGS:
            with self.subTest(lang=lang):
                before = Lead.search([("name", "=", "Hala magazynowa Sopot")])
                self._tour(
                    "/odoo/crm/new",
                    "sales_dept_hunter_tour",
                    self._person("hunter_north", lang),
                    picture="hunter",
                )
                lead = Lead.search([("name", "=", "Hala magazynowa Sopot")]) - before
                self.assertEqual(len(lead), 1)
                self.assertEqual(lead.stage_id, self.env.ref("crm.stage_lead3"))
                self.assertEqual(lead.user_id, closer)
                self.assertEqual(lead.hunter_user_id, hunter)
                self.assertEqual(lead.team_id, self._demo("demo_team_polnoc"))
                self.assertEqual(
                    (lead.partner_id, lead.phone, lead.expected_revenue),
                    (customer, "+48 600 700 800", 48000.0),
                )

    def test_closer_wins_and_the_farmer_keeps_the_customer(self):
        """Tomasz wins his deal in Negotiation: the customer passes to
        Agnieszka, North's farmer; the repeat opportunity he then enters for
        that customer is hers."""
        closer, farmer = self._demo("demo_user_closer_north"), self._demo("demo_user_farmer_north")
        team = self._demo("demo_team_polnoc")
        customer = self._customer("Port Gdynia Serwis Sp. z o.o.")
        Lead = self.env["crm.lead"]
        for lang in LANGS:
            with self.subTest(lang=lang):
                customer.user_id = False  # a new customer each time
                deal = Lead.create(
                    {
                        "name": "Pompy dla portu",
                        "type": "opportunity",
                        "team_id": team.id,
                        "user_id": closer.id,
                        "partner_id": customer.id,
                        "expected_revenue": 36000,
                        "date_deadline": fields.Date.today() + timedelta(days=7),
                        "stage_id": self._demo("crm_stage_negotiation").id,
                    }
                )
                self.assertEqual(deal.user_id, closer)
                self._tour(
                    f"/odoo/crm/{deal.id}",
                    "sales_dept_closer_tour",
                    self._person("closer_north", lang),
                    picture="closer",
                )
                self.assertTrue(deal.stage_id.is_won)
                self.assertEqual((deal.user_id, deal.closer_user_id), (closer, closer))
                self.assertEqual(customer.user_id, farmer)
                repeat = Lead.search(
                    [("name", "=", "Druga dostawa pomp")], order="id desc", limit=1
                )
                self.assertEqual((repeat.partner_id, repeat.team_id), (customer, team))
                self.assertEqual(repeat.user_id, farmer)
                self.assertEqual(repeat.create_uid, closer)

    def test_head_plans_the_month_and_finds_it_on_the_board(self):
        """Piotr, North's head, has not planned the month yet: he plans the
        team's revenue (200,000 shared 1:3 between Jan and Tomasz, so 50,000
        and 150,000) and finds Jan's revenue target on the board, where it
        was not before. The board's week may begin in the month before: no
        plan of the team reaches into this week before he plans."""
        head = self._demo("demo_user_head_north")
        hunter, closer = self._demo("demo_user_hunter_north"), self._demo("demo_user_closer_north")
        team = self._demo("demo_team_polnoc")
        revenue = self._demo("kpi_metric_revenue_won")
        Plan = self.env["sales.kpi.plan"]
        today = fields.Date.context_today(Plan.with_user(head))
        month = today.replace(day=1)
        for lang in LANGS:
            with self.subTest(lang=lang):
                Plan.search(
                    [("team_id", "=", team.id), ("date_to", ">=", week_start(today))]
                ).unlink()
                board = (
                    self.env["sales.kpi.board"]
                    .with_user(head)
                    .search([("team_id", "=", team.id), ("user_id", "=", hunter.id)])
                )
                self.assertNotIn('data-metric="revenue_won"', board.metrics_html or "")
                self._tour(
                    "/odoo/action-sales_dept_org.sales_kpi_plan_action/new",
                    "sales_dept_head_plan_tour",
                    self._person("head_north", lang),
                    picture="head",
                )
                plan = Plan.search([("team_id", "=", team.id), ("date_from", "=", month)])
                self.assertEqual(plan.date_to, month + relativedelta(months=1, days=-1))
                self.assertEqual(plan.line_ids.metric_id, revenue)
                self.assertEqual(
                    sorted((line.user_id.id, line.target) for line in plan.line_ids),
                    [(False, 200000.0), (hunter.id, 50000.0), (closer.id, 150000.0)],
                )
                self.assertEqual(
                    {line.user_id: line.weight for line in plan.line_ids if line.user_id},
                    {hunter: 1.0, closer: 3.0},
                )
