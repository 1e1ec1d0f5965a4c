from odoo.tests import TransactionCase, tagged

from odoo.addons.sales_dept_org.models.crm_stage_defaults import DEFAULT_STAGE_RULES

# Words a Polish reader reads as they are: the trade's loanwords for the
# roles, codes and class letters, and words spelled the same in Polish.
SAME_IN_POLISH = {
    "Hunter", "Closer", "Farmer", "Lead", "Agent", "Mentor", "Plan", "Status",
    "Medium", "Administrator", "Darwin", "Problem", "E-mail", "ID", "ABC", "XYZ",
    "A", "B", "C", "X", "Y", "Z", "AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ",
}  # fmt: skip


@tagged("post_install", "-at_install")
class TestSeededPolish(TransactionCase):
    """Every text the addon seeds reads Polish in a Polish database: its data
    records (metrics, activity types, stages, menus, actions, views, groups,
    crons, fields), the scripts and checklists it writes on the pipeline's
    stages and the names of the default pay schemes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        # as a Polish install does: crm's terms (the stage names) and ours
        cls.env["ir.module.module"]._load_module_terms(
            ["crm", "sales_dept_org"], ["pl_PL"], overwrite=True
        )
        cls.env.registry.clear_cache()
        cls.addClassCleanup(cls.env.registry.clear_cache)

    def _untranslated(self, records):
        """(record, field, English text) of every stored translated field of
        ``records`` that reads the same in Polish, words of SAME_IN_POLISH
        aside (for texts of many terms, such as views: term by term)."""
        fields = [
            name for name, field in records._fields.items() if field.translate and field.store
        ]
        english = records.with_context(lang="en_US").read(fields)
        polish = {row["id"]: row for row in records.with_context(lang="pl_PL").read(fields)}
        found = []
        for row in english:
            for name in fields:
                source, translated = row[name], polish[row["id"]][name]
                if not source or source != translated:
                    continue
                field = records._fields[name]
                terms = field.get_trans_terms(source) if callable(field.translate) else [source]
                leaking = [term for term in terms if term.strip() not in SAME_IN_POLISH]
                if leaking:
                    found.append((records._name, row["id"], name, leaking[0][:60]))
        return found

    def test_every_seeded_record_reads_polish(self):
        data = self.env["ir.model.data"].search([("module", "=", "sales_dept_org")])
        untranslated = []
        for model, rows in data.grouped("model").items():
            if model in self.env:
                records = self.env[model].browse(rows.mapped("res_id")).exists()
                untranslated += self._untranslated(records)
        self.assertEqual(untranslated, [])

    def test_stage_scripts_and_checklists(self):
        stages = self.env["crm.stage"]._sales_default_stages()
        self.assertEqual(len(stages), len(DEFAULT_STAGE_RULES))
        stages = self.env["crm.stage"].browse([stage.id for stage in stages.values()])
        self.assertEqual(self._untranslated(stages), [])
        new = self.env.ref("crm.stage_lead1").with_context(lang="pl_PL")
        self.assertEqual(
            str(new.sales_script),
            "<p>Zadzwoń do leada w ciągu godziny. Zapytaj o potrzebę, budżet, kto decyduje "
            "i do kiedy. Cel: umówić spotkanie.</p>",
        )
        self.assertEqual(
            str(new.sales_checklist),
            "<ul><li>Potrzeba potwierdzona</li><li>Decydent znany</li>"
            "<li>Spotkanie umówione</li></ul>",
        )
        # English stays English
        self.assertIn(
            "Call the lead within the hour.", str(new.with_context(lang="en_US").sales_script)
        )

    def test_edited_script_keeps_its_words(self):
        """A head's own script is theirs: loading the language again does not
        put the shipped Polish back over it."""
        stage = self.env.ref("sales_dept_org.crm_stage_negotiation")
        stage.with_context(lang="pl_PL").sales_script = "<p>Nasz własny skrypt.</p>"
        self.env["ir.module.module"]._load_module_terms(["sales_dept_org"], ["pl_PL"])
        self.assertEqual(
            str(stage.with_context(lang="pl_PL").sales_script), "<p>Nasz własny skrypt.</p>"
        )

    def test_default_scheme_names(self):
        schemes = self.env["sales.bonus.scheme"].search(
            [("company_id", "=", self.env.company.id), ("employee_id", "=", False)]
        )
        self.assertEqual(self._untranslated(schemes), [])
        names = {s.sales_role: s.name for s in schemes.with_context(lang="pl_PL")}
        self.assertEqual(names["farmer"], "Farmer (domyślny)")
        self.assertEqual(names["head"], "Kierownik sprzedaży (domyślny)")

    def test_new_company_gets_polish_scheme_names(self):
        """A company created once Polish is active: its schemes are named in
        English and Polish from the start."""
        company = self.env["res.company"].create({"name": "Sprzedaż Sp. z o.o."})
        schemes = self.env["sales.bonus.scheme"].search([("company_id", "=", company.id)])
        self.assertTrue(schemes)
        by_role = {s.sales_role: s for s in schemes}
        self.assertEqual(
            by_role["universal"].with_context(lang="pl_PL").name, "Uniwersalny (domyślny)"
        )
        self.assertEqual(
            by_role["universal"].with_context(lang="en_US").name, "Universal (default)"
        )
