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

from odoo.tests import tagged

from .matrix_common import SECURITY_MD, MatrixCommon, read_matrix

OPERATIONS = {"c": "create", "r": "read", "w": "write", "u": "unlink"}


@tagged("post_install", "-at_install")
class TestAccessMatrix(MatrixCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix, cls.columns = read_matrix(
            SECURITY_MD.read_text(encoding="utf-8"), "Access matrix"
        )

    def test_the_table_names_every_persona_and_model(self):
        self.assert_rows(self.matrix, self.columns)

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
