"""The board in a real browser (headless Chromium), as the people who read
it: the director (all teams, the graph, a person's card), the head of North
in Polish (the team's money, a fact opened) and a hunter (the team's
ranking, their calls opened). The demo department is built in the test's
transaction, which the browser's requests share."""

from odoo.tests import HttpCase, tagged

BOARD = "/odoo/action-sales_dept_org.sales_kpi_board_action"


@tagged("post_install", "-at_install")
class TestKpiBoardTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sales.dept.demo"]._load_demo_department()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "crm", "sales_team", "sales_dept_org"], ["pl_PL"]
        )

    def _tour(self, person, lang, tour):
        user = self.env.ref(f"sales_dept_org.demo_user_{person}")
        user.lang = lang
        # the first page of a session, served once outside the browser, whose
        # navigation gives the server only 20 s (a busy machine takes longer)
        self.authenticate(user.login, user.login)
        self.url_open(BOARD, timeout=120)
        self.start_tour(BOARD, tour, login=user.login)

    def test_director(self):
        self._tour("director", "en_US", "sales_kpi_board_director_tour")

    def test_head_in_polish(self):
        self._tour("head_north", "pl_PL", "sales_kpi_board_head_tour")

    def test_hunter(self):
        self._tour("hunter_north", "en_US", "sales_kpi_board_salesperson_tour")
