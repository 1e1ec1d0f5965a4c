"""The tables of ``readme/SECURITY.md`` and the nine personas they name.

Each table follows its own heading: a header row of personas, then one row
per model (its name in backticks) with one cell per persona.
"""

from pathlib import Path

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import SalesDeptCommon

SECURITY_MD = Path(__file__).parent.parent / "readme" / "SECURITY.md"
# the core models the addon extends with pay or performance data
CORE_MODELS = ("crm.lead", "crm.stage", "crm.team", "crm.team.member", "hr.employee", "res.users")


def read_matrix(text, heading):
    """{model: {persona: cell}} and the personas, from the first markdown
    table after the ``## <heading>`` line."""
    section = text.split(f"\n## {heading}\n", 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    header, _rule, *body = rows
    personas = header[1:]
    return {row[0].strip("`"): dict(zip(personas, row[1:], strict=True)) for row in body}, personas


class MatrixCommon(SalesDeptCommon):
    """SalesDeptCommon's people plus the head of a second team, an employee
    outside sales and a portal user: the nine personas of the tables."""

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

    def addon_models(self):
        """The concrete models the addon defines (not those it only extends)."""
        return {
            name
            for name, model in self.env.registry.items()
            if model._original_module == "sales_dept_org" and not model._abstract
        }

    def assert_rows(self, matrix, columns):
        """The table names the nine personas, every model of the addon and the
        core models it extends, and nothing else."""
        self.assertEqual(columns, list(self.personas))
        expected = self.addon_models() | set(CORE_MODELS)
        self.assertEqual(set(matrix) - expected, set(), "rows of SECURITY.md without a model")
        self.assertEqual(expected - set(matrix), set(), "models without a row in SECURITY.md")
