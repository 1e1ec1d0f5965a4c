"""The access matrix of ``readme/SECURITY.md``, checked persona by persona.

The table lists every model of the addon and the core models it extends
with pay or performance data; each cell holds the operations the persona's
groups grant on the model (``c`` create, ``r`` read, ``w`` write, ``u``
unlink, ``-`` none). The test reads the same table: a model of the addon
without a row, a row without a model, or a cell that differs from the
rights the groups really grant fails it. Which records of a model a persona
reaches (own, team, company) is the record rules' part, checked by the
tests of each model.
"""

from pathlib import Path

from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import SalesDeptCommon

SECURITY_MD = Path(__file__).parent.parent / "readme" / "SECURITY.md"
OPERATIONS = {"c": "create", "r": "read", "w": "write", "u": "unlink"}
# the core models the addon extends with pay or performance data
CORE_MODELS = ("crm.lead", "crm.stage", "crm.team", "crm.team.member", "hr.employee", "res.users")


def read_matrix(text):
    """{model: {persona: cell}} and the personas, from the markdown table
    that follows the "Access matrix" heading."""
    section = text.split("## Access matrix", 1)[1]
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("|")
    ]
    header, _rule, *body = rows
    personas = header[1:]
    return {row[0].strip("`"): dict(zip(personas, row[1:], strict=True)) for row in body}, personas


@tagged("post_install", "-at_install")
class TestAccessMatrix(SalesDeptCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_head_b = cls._sales_user(
            "sdo_head_b", "Katarzyna Head", "sales_dept_org.group_sales_dept_head"
        )
        cls.user_employee = mail_new_test_user(
            cls.env, login="sdo_employee", name="Olga Employee", groups="base.group_user"
        )
        cls.user_portal = mail_new_test_user(
            cls.env, login="sdo_portal", name="Paul Portal", groups="base.group_portal"
        )
        cls.personas = {
            "hunter": cls.user_hunter,
            "closer": cls.user_closer,
            "farmer": cls.user_farmer,
            "head A": cls.user_head,
            "head B": cls.user_head_b,
            "director": cls.user_director,
            "accountant": cls.user_accountant,
            "employee": cls.user_employee,
            "portal": cls.user_portal,
        }
        cls.matrix, cls.columns = read_matrix(SECURITY_MD.read_text(encoding="utf-8"))

    def _addon_models(self):
        """The concrete models the addon defines (not those it only extends)."""
        return {
            name
            for name, model in self.env.registry.items()
            if model._original_module == "sales_dept_org" and not model._abstract
        }

    def test_the_table_names_every_persona_and_model(self):
        self.assertEqual(self.columns, list(self.personas))
        expected = self._addon_models() | set(CORE_MODELS)
        self.assertEqual(set(self.matrix) - expected, set(), "rows of SECURITY.md without a model")
        self.assertEqual(expected - set(self.matrix), set(), "models without a row in SECURITY.md")

    def test_every_cell(self):
        """0 unexpected cells: each persona's rights, in two companies."""
        company_b = self.env["res.company"].create({"name": "Company B"})
        for user in self.personas.values():
            user.company_ids |= company_b
        for company in (self.env.company, company_b):
            unexpected = []
            for model, cells in sorted(self.matrix.items()):
                for persona, user in self.personas.items():
                    env = self.env(user=user, context={"allowed_company_ids": company.ids})
                    Model = env[model]
                    granted = "".join(
                        letter
                        for letter, operation in OPERATIONS.items()
                        if Model.has_access(operation)
                    )
                    if granted != cells[persona].replace("-", ""):
                        unexpected.append(f"{model} / {persona}: {granted or '-'}")
            with self.subTest(company=company.name):
                self.assertEqual(unexpected, [], "cells that differ from SECURITY.md")
