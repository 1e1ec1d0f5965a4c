"""What the addon writes by itself, read in a Polish company: the bonus
sheet's name and notes, the My Pay next-tier banner, the XLSX export and the
team digest. None of it may keep an English source text of ``pl.po``."""

import io
import re

import openpyxl
import polib
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.misc import file_path

from .bonus_common import OCTOBER, BonusCommon

PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sdf]")


def english_fragments():
    """(whole msgid, longest fixed fragment) of each code term whose Polish
    differs: a placeholder's value is data, the text around it is not."""
    catalog = polib.pofile(file_path("sales_dept_org/i18n/pl.po"))
    fragments = []
    for entry in catalog:
        if "odoo-python" not in entry.comment or entry.msgstr in ("", entry.msgid):
            continue
        fragment = max(PLACEHOLDER.split(entry.msgid.replace("%%", "%")), key=len)
        fragments.append((entry.msgid, fragment.strip()))
    return fragments


@tagged("post_install", "-at_install")
class TestGeneratedTextInPolish(BonusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(["sales_dept_org"], ["pl_PL"])
        cls.company.name = "Instal Północ Sp. z o.o."
        cls.company.partner_id.lang = "pl_PL"
        cls.user_accountant.lang = "pl_PL"
        cls.fragments = english_fragments()

    def assertNoEnglish(self, texts):
        """No English source text in ``texts``: a short one (a header, a
        sheet name) is caught as a whole text, a longer one anywhere in it."""
        for text in filter(None, texts):
            for msgid, fragment in self.fragments:
                self.assertNotEqual(text.strip(), msgid.strip(), f"English left: {text!r}")
                if len(fragment) >= 12:
                    self.assertNotIn(fragment, text, f"English left: {text!r}")

    def test_sheet_name_notes_and_banner_in_the_companys_language(self):
        # computed by an English-speaking admin: the record is the company's
        sheet = self.compute_month(OCTOBER)
        self.assertEqual(sheet.name, "Lista premii 2026-10, Instal Północ Sp. z o.o.")
        lines = sheet.line_ids
        banners = [note for note in lines.mapped("next_tier_note") if note]
        self.assertTrue(banners)
        self.assertTrue(all("premii" in banner for banner in banners), banners)
        self.assertNoEnglish([sheet.name, sheet.note, *lines.mapped("note"), *banners])
        # the sheet's status is no region ("State" reads "Województwo" in Polish)
        env_pl = self.env(context=dict(self.env.context, lang="pl_PL"))
        status = env_pl["sales.bonus.sheet"].fields_get(["state"])["state"]["string"]
        self.assertEqual(status, "Status")
        # numbers as Polish writes them: "1 234,50", never "1,234.50"
        self.assertFalse([banner for banner in banners if re.search(r"\d\.\d\d\b", banner)])

    def test_xlsx_headers_sheet_names_and_file_name(self):
        sheet = self.compute_month(OCTOBER)
        sheet.action_confirm()
        # the web client's context: the accountant's language
        sheet.with_user(self.user_accountant).with_context(lang="pl_PL").action_export_xlsx()
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "sales.bonus.sheet"), ("res_id", "=", sheet.id)]
        )
        # the company's "o.o." keeps its Polish letters and its one dot
        self.assertEqual(attachment.name, "Lista premii 2026-10, Instal Północ Sp. z o.o.xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        self.assertEqual(workbook.sheetnames[0], "Podsumowanie")
        self.assertEqual(workbook.sheetnames[-1], "Premie natychmiastowe")
        summary = [cell.value for cell in workbook["Podsumowanie"][3]]
        self.assertEqual(summary[:2], ["Zespół", "Osoby"])
        texts = [
            cell
            for worksheet in workbook.worksheets
            for row in worksheet.iter_rows(values_only=True)
            for cell in row
            if isinstance(cell, str)
        ]
        self.assertIn("Pracownik", texts)
        self.assertIn("Razem", texts)
        self.assertNoEnglish([*workbook.sheetnames, *texts])

    def test_digest_in_the_companys_language_and_the_heads(self):
        self.company.resource_calendar_id.tz = "Europe/Warsaw"
        self.team_north.company_id = self.company
        self.user_head.lang = "en_US"
        self.env["crm.lead"].create(
            {"name": "Bez zadania", "user_id": self.user_hunter.id, "team_id": self.team_north.id}
        )
        with freeze_time("2026-10-12 06:31:00"):  # 08:31 in Warsaw
            self.env["sales.digest.post"]._cron_post_digests()
        post = self.env["sales.digest.post"].search([("team_id", "=", self.team_north.id)])
        self.assertIn("Leady bez zadania", post.body)
        self.assertNoEnglish([re.sub(r"<[^>]+>", "\n", post.body)])
        # the head reads English: the mail to him is in his language
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.user_head.partner_id.ids), ("subject", "ilike", "North")]
        )
        self.assertIn("Leads without a task", mail.body_html)
