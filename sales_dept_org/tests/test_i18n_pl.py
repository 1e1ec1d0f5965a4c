from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPolishTranslation(TransactionCase):
    """The addon's pl.po loads into the database and the UI reads Polish.

    Expected texts are those of ``sales_dept_org/i18n/pl.po``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            ["sales_dept_org"], ["pl_PL"], overwrite=True
        )
        # Field labels and selections are read through ormcaches keyed by
        # language: drop what an earlier read in pl_PL may have cached, and
        # again afterwards so no Polish term outlives the rolled-back import.
        cls.env.registry.clear_cache()
        cls.addClassCleanup(cls.env.registry.clear_cache)
        cls.env_pl = cls.env(context=dict(cls.env.context, lang="pl_PL"))

    def test_group_names(self):
        self.assertEqual(
            self.env_pl.ref("sales_dept_org.group_sales_dept_director").name, "Dyrektor sprzedaży"
        )
        self.assertEqual(
            self.env_pl.ref("sales_dept_org.group_sales_dept_head").name, "Szef zespołu"
        )
        # English stays English: the import adds a language, it replaces nothing.
        self.assertEqual(self.env.ref("sales_dept_org.group_sales_dept_head").name, "Team Head")

    def test_sales_role_field_and_selection(self):
        description = self.env_pl["hr.employee"].fields_get(["sales_role"])["sales_role"]
        self.assertEqual(description["string"], "Rola sprzedażowa")
        self.assertEqual(
            dict(description["selection"]),
            {
                # Hunter, closer and farmer are the trade's loanwords in Polish too.
                "hunter": "Hunter",
                "closer": "Closer",
                "farmer": "Farmer",
                "head": "Kierownik sprzedaży",
                "universal": "Uniwersalny",
            },
        )
        self.assertTrue(description["help"].startswith("Hunter: wyszukuje i kwalifikuje"))

    def test_menu_names(self):
        self.assertEqual(
            self.env_pl.ref("sales_dept_org.sales_dept_menu_root").name, "Dział sprzedaży"
        )
        self.assertEqual(
            self.env_pl.ref("sales_dept_org.sales_lead_stage_log_menu").name, "Historia etapów"
        )

    def test_error_message_keeps_its_placeholders(self):
        """Code terms (Odoo reads them from pl.po itself, not from the
        database): the Polish message gets the same named values."""
        company = self.env_pl.company
        with self.assertRaises(ValidationError) as caught:
            company.sales_span_limit = 0
        self.assertEqual(
            str(caught.exception),
            f"Rozpiętość kierowania musi wynosić co najmniej 1: {company.name} (0).",
        )

    def test_error_message_names_the_field_in_polish(self):
        company = self.env_pl.company
        with self.assertRaises(ValidationError) as caught:
            company.sales_digest_checkin_1 = 25
        self.assertEqual(
            str(caught.exception),
            f"{company.name}: Pierwsza odprawa musi mieścić się między 00:00 a 23:59 "
            "(podano 25.0 godz.).",
        )

    def test_darwin_switch_error_and_reason(self):
        switch = self.env_pl["crm.team"].fields_get(["sales_darwin"])["sales_darwin"]
        self.assertEqual(switch["string"], "Zasada Darwina")
        team = self.env_pl["crm.team"].create({"name": "Zachód"})
        with self.assertRaises(ValidationError) as caught:
            team.sales_darwin_band_ids = [Command.create({"attainment_from": 5, "weight": 1.0})]
        self.assertEqual(
            str(caught.exception),
            "Tabela Darwina (zespół Zachód): najniższy próg musi zaczynać się od 0%, a nie od 5%.",
        )
        member = self.env_pl["crm.team.member"].create(
            {"crm_team_id": team.id, "user_id": self.env.ref("base.user_admin").id}
        )
        self.assertEqual(member.sales_weight_reason, "jeszcze bez wagi")
        member.write({"sales_weight_month": date(2026, 11, 1), "sales_weight_planned": False})
        self.assertEqual(member.sales_weight_reason, "brak planu, listopad 2026")
