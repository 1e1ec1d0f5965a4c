from odoo.tests import tagged

from .common import SalesDeptCommon

GROUPS = [
    ("sales_dept_menu_performance", "Performance"),
    ("sales_dept_menu_discipline", "Discipline"),
    ("sales_dept_menu_reports", "Reports"),
    ("sales_dept_menu_pay", "Pay"),
    ("sales_dept_menu_organisation", "Organisation"),
]


@tagged("post_install", "-at_install")
class TestDepartmentMenus(SalesDeptCommon):
    """The Sales Department dropdown: five groups, each page under one of
    them, named as the page it opens."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root = cls.env.ref("sales_dept_org.sales_dept_menu_root")
        cls.groups = cls.root.child_id

    def _visible_names(self, user):
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return [menu.name for menu in self.groups if menu.id in visible]

    def test_five_groups_in_order(self):
        self.assertEqual(
            [(menu.get_external_id()[menu.id], menu.name, menu.sequence) for menu in self.groups],
            [
                (f"sales_dept_org.{xmlid}", name, 10 * (index + 1))
                for index, (xmlid, name) in enumerate(GROUPS)
            ],
        )

    def test_every_page_sits_in_a_group_named_as_its_title(self):
        pages = self.env["ir.ui.menu"].search(
            [("id", "child_of", self.root.id), ("action", "!=", False)]
        )
        self.assertEqual(len(pages), 23)
        self.assertEqual(pages.parent_id, self.groups)
        for page in pages.filtered(lambda menu: menu.action._name == "ir.actions.act_window"):
            self.assertEqual(page.name, page.action.name, page.get_external_id()[page.id])
        for group in self.groups:
            sequences = group.child_id.mapped("sequence")
            self.assertEqual(len(set(sequences)), len(sequences), group.name)

    def test_who_sees_which_group(self):
        self.assertEqual(
            self._visible_names(self.user_hunter), ["Performance", "Discipline", "Reports", "Pay"]
        )
        self.assertEqual(self._visible_names(self.user_head), [name for _xmlid, name in GROUPS])
        self.assertEqual(self._visible_names(self.user_accountant), [])

    def test_polish_names_of_groups_and_pages(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_dept_org"], ["pl_PL"], overwrite=True
        )
        env_pl = self.env(context=dict(self.env.context, lang="pl_PL"))
        self.assertEqual(
            self.groups.with_env(env_pl).mapped("name"),
            ["Wyniki", "Dyscyplina", "Raporty", "Wynagrodzenie", "Organizacja"],
        )
        team_pay = env_pl.ref("sales_dept_org.sales_bonus_line_menu")
        self.assertEqual(team_pay.name, "Wynagrodzenia zespołu")
        self.assertEqual(team_pay.action.name, "Wynagrodzenia zespołu")
        # the customers of a class and the snapshots (classifications) differ
        self.assertEqual(
            env_pl.ref("sales_dept_org.sales_abcxyz_snapshot_line_menu").name,
            "Klienci wg klas ABC-XYZ",
        )
        self.assertEqual(
            env_pl.ref("sales_dept_org.sales_abcxyz_snapshot_menu").name, "Klasyfikacje ABC-XYZ"
        )
