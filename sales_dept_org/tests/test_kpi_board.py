import re
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged, users

from .kpi_common import KpiCommon

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
# weekdays of March 2026 up to Wednesday 18: 2-6, 9-13, 16-18
WORKDAYS_TO_18 = [date(2026, 3, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18)]


@tagged("post_install", "-at_install")
@freeze_time("2026-03-18 11:00:00")
class TestKpiBoard(KpiCommon):
    """Team North on Wednesday 18 March 2026 (22 weekdays in March, no holiday).

    Targets: 22 calls each (1 a day, 13 by the 18th); the farmer also 2200 of
    payments (100 a day, 1300 by the 18th).
    Facts: hunter and closer made a call every weekday (13 of 13: 100 %);
    the farmer made none (0 %) and received 500 today (500 / 1300).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id.tz = "Europe/Warsaw"
        cls.employees.resource_calendar_id = cls.env.company.resource_calendar_id
        cls.calls, cls.payments = cls.metric("calls_made"), cls.metric("payments_received")
        cls.plan = cls.env["sales.kpi.plan"].create(
            {
                "name": "North March",
                "team_id": cls.team_north.id,
                "date_from": MARCH[0],
                "date_to": MARCH[1],
                "line_ids": [
                    Command.create({"metric_id": cls.calls.id, "user_id": user.id, "target": 22})
                    for user in (cls.user_hunter, cls.user_closer, cls.user_farmer)
                ]
                + [
                    Command.create(
                        {
                            "metric_id": cls.payments.id,
                            "user_id": cls.user_farmer.id,
                            "target": 2200,
                        }
                    )
                ],
            }
        )
        call = cls.env.ref("mail.mail_activity_data_call")
        cls._done_activities(cls.user_hunter, call, WORKDAYS_TO_18)
        cls._done_activities(cls.user_closer, call, WORKDAYS_TO_18)
        cls._pay(cls._invoice(cls.user_farmer, 500), 500, date(2026, 3, 18))
        cls._invoice(cls.user_farmer, 250, due=date(2026, 3, 18))  # open, due today
        cls._invoice(cls.user_farmer, 999, due=date(2026, 3, 19))  # due tomorrow: not today's money
        cls.Board = cls.env["sales.kpi.board"]

    def board(self):
        return self.env["sales.kpi.board"].search_read(
            [("team_id", "=", self.team_north.id)],
            [
                "user_id",
                "rank",
                "attainment",
                "money_visible",
                "money_plan_today",
                "money_fact_today",
                "money_plan_tomorrow",
                "money_due_today",
                "metrics_html",
            ],
        )

    def test_ranking_and_tie_order(self):
        rows = self.board()
        # hunter and closer tie at 100 %: by name, "Jan Hunter" before "Tomasz Closer";
        # farmer: (1 * 0 + 3 * 500/1300) / (1 + 3) = 0.28846 -> 28.85 %
        self.assertEqual(
            [(row["user_id"][0], row["rank"], round(row["attainment"], 2)) for row in rows],
            [
                (self.user_hunter.id, 1, 100.0),
                (self.user_closer.id, 2, 100.0),
                (self.user_farmer.id, 3, 28.85),
            ],
        )
        # one more call today puts the closer first: 14 / 13 = 107.69 %
        self._done_activities(
            self.user_closer, self.env.ref("mail.mail_activity_data_call"), [date(2026, 3, 18)]
        )
        self.env.invalidate_all()  # a new request
        rows = self.board()
        self.assertEqual(rows[0]["user_id"][0], self.user_closer.id)
        self.assertEqual(round(rows[0]["attainment"], 2), 107.69)

    def test_attainment_cap_is_the_companys(self):
        # 15,100 more received today: 15,600 against 1,300 planned by the 18th, 12 times
        # the plan (1,200%). The farmer's calls stay at 0 of 13 (weight 1, payments 3).
        self._pay(self._invoice(self.user_farmer, 15100), 15100, date(2026, 3, 18))

        def farmer_row():
            self.env.invalidate_all()  # a new request
            row = self.Board.search([("user_id", "=", self.user_farmer.id)])
            return round(row.attainment, 2), row.attainment_capped

        # by default payments count up to 200%: (1 x 0 + 3 x 200) / 4 = 150%, capped
        self.assertEqual(farmer_row(), (150.0, True))
        hunter = self.Board.search([("user_id", "=", self.user_hunter.id)])
        self.assertEqual((hunter.attainment, hunter.attainment_capped), (100.0, False))
        # up to 300%: (3 x 300) / 4 = 225%
        self.env.company.sales_board_attainment_cap = 300.0
        self.assertEqual(farmer_row(), (225.0, True))
        # no cap, the true percentage: (3 x 1,200) / 4 = 900%
        self.env.company.sales_board_attainment_cap = 0.0
        self.assertEqual(farmer_row(), (900.0, False))
        # a cap under the plan would hide who met it: refused, naming the company
        with self.assertRaisesRegex(
            ValidationError,
            f"{self.env.company.name}: the board attainment cap must be 0 \\(no cap\\) or at "
            "least 100% \\(got 80.0%\\)",
        ):
            self.env.company.sales_board_attainment_cap = 80.0

    @users("sdo_farmer")
    def test_own_money_today(self):
        farmer = next(row for row in self.board() if row["user_id"][0] == self.user_farmer.id)
        # 2200 / 22 days = 100 planned today, plus the invoice of 250 due today
        self.assertEqual(farmer["money_plan_today"], 350.0)
        self.assertEqual(farmer["money_due_today"], 250.0)
        self.assertEqual(farmer["money_fact_today"], 500.0)
        self.assertEqual(farmer["money_plan_tomorrow"], 100.0)
        self.assertIn(
            '<th class="text-end text-nowrap" data-metric="payments_received">'
            "Payments received</th>",
            farmer["metrics_html"],
        )

    @users("sdo_hunter")
    def test_salesperson_sees_ranking_not_others_money(self):
        rows = self.board()
        self.assertEqual([row["rank"] for row in rows], [1, 2, 3])
        farmer = rows[2]
        self.assertFalse(farmer["money_visible"])
        self.assertEqual((farmer["money_plan_today"], farmer["money_fact_today"]), (0.0, 0.0))
        self.assertNotIn("Payments received", farmer["metrics_html"])
        self.assertTrue(rows[0]["money_visible"])
        # nor through the targets or the stored facts
        self.env["sales.kpi.fact"].sudo()._store_facts(
            self.payments.sudo(), self.env.company, date(2026, 3, 18)
        )
        self.assertFalse(
            self.env["sales.kpi.plan.line"].search([("user_id", "=", self.user_farmer.id)])
        )
        self.assertFalse(self.env["sales.kpi.fact"].search([("user_id", "=", self.user_farmer.id)]))
        self.assertTrue(self.env["sales.kpi.plan"].search([("id", "=", self.plan.id)]))

    @users("sdo_head")
    def test_head_reads_the_team(self):
        farmer = next(row for row in self.board() if row["user_id"][0] == self.user_farmer.id)
        self.assertTrue(farmer["money_visible"])
        self.assertEqual(farmer["money_plan_today"], 350.0)
        self.assertEqual(len(self.env["sales.kpi.plan.line"].search([])), 4)

    @users("sdo_director")
    def test_director_reads_all(self):
        other = (
            self.env["crm.team"]
            .sudo()
            .create({"name": "South", "member_ids": [Command.set(self.user_head.ids)]})
        )
        self.assertLessEqual(
            {self.team_north.id, other.id}, set(self.env["sales.kpi.board"].search([]).team_id.ids)
        )
        farmer = next(row for row in self.board() if row["user_id"][0] == self.user_farmer.id)
        self.assertEqual(farmer["money_fact_today"], 500.0)

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        (self.user_hunter + self.user_closer).company_ids |= other
        plan_b = self.env["sales.kpi.plan"].create(
            {
                "name": "Other March",
                "company_id": other.id,
                "date_from": MARCH[0],
                "date_to": MARCH[1],
                "line_ids": [
                    Command.create(
                        {"metric_id": self.calls.id, "user_id": self.user_hunter.id, "target": 99}
                    )
                ],
            }
        )
        self._lead(
            self.user_closer, 4000, closed=datetime(2026, 3, 17, 10), won=True, company_id=other.id
        )
        self._lead(self.user_closer, 1000, closed=datetime(2026, 3, 17, 10), won=True)
        revenue = self.metric("revenue_won")
        env_a = self.env(context=dict(self.env.context, allowed_company_ids=self.env.company.ids))
        env_b = self.env(context=dict(self.env.context, allowed_company_ids=other.ids))
        # the hunter working in the main company does not see Other Co's plan
        hunter_a = env_a(user=self.user_hunter)
        self.assertFalse(hunter_a["sales.kpi.plan"].search([("id", "=", plan_b.id)]))
        self.assertTrue(
            env_b(user=self.user_hunter)["sales.kpi.plan"].search([("id", "=", plan_b.id)])
        )
        # targets and facts of each company stay apart: 22 calls here, 99 there;
        # 1000 won here, 4000 there
        key = (self.calls.id, self.user_hunter.id)
        self.assertEqual(
            round(env_a["sales.kpi.plan"]._get_targets(self.user_hunter, *MARCH)[key], 2), 22.0
        )
        self.assertEqual(
            round(env_b["sales.kpi.plan"]._get_targets(self.user_hunter, *MARCH)[key], 2), 99.0
        )
        won = (revenue.id, self.user_closer.id)
        self.assertEqual(revenue.with_env(env_a)._read_facts(self.user_closer, *MARCH)[won], 1000.0)
        self.assertEqual(revenue.with_env(env_b)._read_facts(self.user_closer, *MARCH)[won], 4000.0)

    def test_board_query_count_does_not_grow_with_the_team(self):
        extra = self.env["res.users"].create(
            [{"name": f"Extra {n}", "login": f"board_extra_{n}"} for n in range(10)]
        )
        big = self.env["crm.team"].create({"name": "Big", "member_ids": [Command.set(extra.ids)]})
        small = self.env["crm.team"].create(
            {"name": "Small", "member_ids": [Command.set(extra[:2].ids)]}
        )
        self.Board.search_read([("team_id", "=", big.id)], ["rank"])  # warm the caches
        counts = []
        for team in (small, big):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            rows = self.Board.search_read(
                [("team_id", "=", team.id)], ["rank", "attainment", "money_plan_today"]
            )
            counts.append(self.env.cr.sql_log_count - before)
            # members just added are on the board (the view's tables are flushed)
            self.assertEqual(
                sorted(row["rank"] for row in rows), list(range(1, len(team.member_ids) + 1))
            )
        # 2 people or 10: the same queries (none per person)
        self.assertEqual(counts[0], counts[1])

    # pivot and graph: the web client asks read_group for "field:aggregator"
    def team_totals(self, groupby=("team_id",)):
        return self.env["sales.kpi.board"].read_group(
            [("team_id", "=", self.team_north.id)],
            ["rank:min", "attainment:avg", "money_fact_today:sum", "money_plan_today:sum"],
            list(groupby),
            lazy=False,
        )

    @users("sdo_head")
    def test_pivot_team_and_person(self):
        [team] = self.team_totals()
        # (100 + 100 + 28.846) / 3 people = 76.28 %; the head sees the farmer's
        # money: 500 received, 100 + 250 planned today
        self.assertEqual(team["__count"], 3)
        self.assertEqual(team["rank"], 1)
        self.assertEqual(round(team["attainment"], 2), 76.28)
        self.assertEqual((team["money_fact_today"], team["money_plan_today"]), (500.0, 350.0))
        people = {row["user_id"][0]: row for row in self.team_totals(["user_id"])}
        self.assertEqual(round(people[self.user_farmer.id]["attainment"], 2), 28.85)
        self.assertEqual(people[self.user_hunter.id]["money_fact_today"], 0.0)
        self.assertEqual(people[self.user_farmer.id]["money_fact_today"], 500.0)
        fields = self.env["sales.kpi.board"].fields_get(["attainment", "money_fact_today"])
        self.assertEqual(fields["attainment"]["aggregator"], "avg")
        self.assertEqual(fields["money_fact_today"]["aggregator"], "sum")

    def figures_read(self, read):
        """The people whose figures ``read()`` computes, each call of
        ``_day_figures`` (the one reading of the targets and facts)."""
        board_class = type(self.Board)
        with patch.object(
            board_class, "_day_figures", autospec=True, side_effect=board_class._day_figures
        ) as figures:
            self.env.invalidate_all()
            read()
        return [call.args[1] for call in figures.call_args_list]

    @users("sdo_head")
    def test_grouped_views_compute_each_team_once(self):
        """The pivot (by team, then person), the graph and the list grouped by
        team read the figures of North's three people once, whatever the
        aggregates and groups asked."""
        north = self.user_hunter | self.user_closer | self.user_farmer
        domain = [("team_id", "=", self.team_north.id)]
        measures = ["rank:min", "attainment:avg", "money_fact_today:sum", "money_plan_today:sum"]
        Board = self.env["sales.kpi.board"]
        for label, read in (
            ("pivot", lambda: self.team_totals(["team_id", "user_id"])),
            ("graph", lambda: Board.read_group(domain, ["attainment:avg"], ["user_id"])),
            ("list", lambda: Board.web_read_group(domain, measures, ["team_id"])),
        ):
            with self.subTest(label):
                self.assertEqual(self.figures_read(read), [north])

    @users("sdo_hunter")
    def test_pivot_hides_others_money(self):
        [team] = self.team_totals()
        # the ranking is the team's; the farmer's 500 and 350 are not the hunter's
        self.assertEqual(round(team["attainment"], 2), 76.28)
        self.assertEqual((team["money_fact_today"], team["money_plan_today"]), (0.0, 0.0))
        people = {row["user_id"][0]: row for row in self.team_totals(["user_id"])}
        self.assertEqual(people[self.user_farmer.id]["money_fact_today"], 0.0)
        self.assertEqual(round(people[self.user_farmer.id]["attainment"], 2), 28.85)

    @users("sdo_farmer")
    def test_pivot_shows_own_money(self):
        [team] = self.team_totals()
        self.assertEqual((team["money_fact_today"], team["money_plan_today"]), (500.0, 350.0))

    @freeze_time("2026-03-18 23:30:00")
    def test_today_is_each_teams_company_day(self):
        """At 23:30 UTC on 18 March it is 00:30 on the 19th in Warsaw and 19:30
        on the 18th in New York. Nora (New York, 22 calls planned in March,
        one a weekday) called every weekday up to the 18th, like the hunter in
        Warsaw. On one board of both companies, New York's month to date has
        13 weekdays: 13 / 13 = 100 %; Warsaw's has 14 (the 19th began):
        13 / 14 = 92.86 %."""
        new_york, nora, manhattan = self._new_york("board_nora")
        both = self.env.company | new_york
        self.env["sales.kpi.plan"].create(
            {
                "name": "Manhattan March",
                "company_id": new_york.id,
                "team_id": manhattan.id,
                "date_from": MARCH[0],
                "date_to": MARCH[1],
                "line_ids": [
                    Command.create({"metric_id": self.calls.id, "user_id": nora.id, "target": 22})
                ],
            }
        )
        self._done_activities(
            nora,
            self.env.ref("mail.mail_activity_data_call"),
            WORKDAYS_TO_18,
            lead=self._lead(nora, 0, team_id=manhattan.id),
        )
        rows = (
            self.env["sales.kpi.board"]
            .with_context(allowed_company_ids=both.ids)
            .search_read(
                [("team_id", "in", (self.team_north | manhattan).ids)], ["user_id", "attainment"]
            )
        )
        attainment = {row["user_id"][0]: round(row["attainment"], 2) for row in rows}
        self.assertEqual(attainment[nora.id], 100.0)
        self.assertEqual(attainment[self.user_hunter.id], 92.86)

    # the board as a person reads it: whole counts, the week, the pace, the day
    def _cells(self, user, code):
        """([today, week, month, tomorrow] texts, [paces]) of a metric's row."""
        row = self.Board.search([("user_id", "=", user.id), ("team_id", "=", self.team_north.id)])
        cells = re.findall(
            rf'<td[^>]*data-metric="{code}" data-period="\w+">(.*?)</td>', row.metrics_html
        )
        texts = [re.sub("<[^>]+>", "", cell) for cell in cells]
        return texts, re.findall(r'data-pace="(\w+)"', "".join(cells))

    def test_day_week_and_month_against_their_pace(self):
        """Wednesday 18 March: the week to date is Monday 16 to today, 3 of the
        22 weekdays. Hunter: a call a day, on the pace of each. Farmer: no
        call. The date of the company's day is on each row."""
        self.assertEqual(
            self._cells(self.user_hunter, "calls_made"),
            (["1 / 1", "3 / 3", "13 / 13", "1"], ["green"] * 3),
        )
        self.assertEqual(
            self._cells(self.user_farmer, "calls_made"),
            (["0 / 1", "0 / 3", "0 / 13", "1"], ["red"] * 3),
        )
        self.assertEqual(
            self.Board.search([("user_id", "=", self.user_hunter.id)]).date, date(2026, 3, 18)
        )

    def test_counts_are_whole_and_amber_is_near_the_pace(self):
        """26 calls over 22 weekdays: 1.18 a day, the 4 cents left over on the
        first four days (2-5 March: 1.19). Today 1.18, the week 3.54, the month
        to date 4 x 1.19 + 9 x 1.18 = 15.38: shown as whole calls 1, 4, 15.
        The hunter's 1, 3 and 13 calls are 85% of each pace: amber."""
        hunter_calls = self.plan.line_ids.filtered(
            lambda line: line.user_id == self.user_hunter and line.metric_id == self.calls
        )
        hunter_calls.target = 26
        self.env.invalidate_all()
        self.assertEqual(
            self._cells(self.user_hunter, "calls_made"),
            (["1 / 1", "3 / 4", "13 / 15", "1"], ["amber"] * 3),
        )

    @users("sdo_hunter")
    def test_darwin_weight_and_why(self):
        """North shares leads by last month's attainment: the closer reached
        120% of February's plan and weighs 1.5; the farmer had no plan. The
        row names the person and the team (the form's breadcrumb)."""
        members = self.team_north.sudo().crm_team_member_ids
        closer = members.filtered(lambda member: member.user_id == self.user_closer)
        farmer = members.filtered(lambda member: member.user_id == self.user_farmer)
        closer.write(
            {
                "sales_weight": 1.5,
                "sales_weight_month": date(2026, 2, 1),
                "sales_weight_attainment": 120.0,
                "sales_weight_planned": True,
            }
        )
        farmer.write({"sales_weight_month": date(2026, 2, 1), "sales_weight_planned": False})
        self.team_north.sudo().sales_darwin = True
        rows = {
            row["user_id"][0]: row
            for row in self.env["sales.kpi.board"].search_read(
                [("team_id", "=", self.team_north.id)],
                ["user_id", "display_name", "team_darwin", "sales_weight", "sales_weight_reason"],
            )
        }
        self.assertEqual(
            [
                (row["display_name"], row["team_darwin"], row["sales_weight"])
                for row in (rows[self.user_closer.id], rows[self.user_farmer.id])
            ],
            [("Tomasz Closer · North", True, 1.5), ("Agnieszka Farmer · North", True, 1.0)],
        )
        self.assertEqual(
            rows[self.user_closer.id]["sales_weight_reason"], "120% of plan in February 2026"
        )
        self.assertEqual(
            rows[self.user_farmer.id]["sales_weight_reason"], "no plan in February 2026"
        )

    def test_teams_with_roles(self):
        """Odoo's own teams, whose members have no sales role, are not the
        department's: the board's default filter leaves them out."""
        plain = self.env["res.users"].create({"name": "Plain Seller", "login": "board_plain"})
        default = self.env["crm.team"].create(
            {"name": "Pre-Sales", "member_ids": [Command.set(plain.ids)]}
        )
        teams = (self.team_north | default).ids
        self.assertEqual(
            self.Board.search([("team_id", "in", teams), ("team_has_roles", "=", True)]).team_id,
            self.team_north,
        )
        self.assertEqual(
            self.Board.search([("team_id", "in", teams), ("team_has_roles", "=", False)]).user_id,
            plain,
        )

    def test_a_page_computes_only_the_teams_it_shows(self):
        """Alpha (2 people), North (3), Zulu (2), by name. The second page of
        two rows is North's first two, ranked: only North is computed."""
        extra = self.env["res.users"].create(
            [{"name": f"Paged {n}", "login": f"board_paged_{n}"} for n in range(4)]
        )
        alpha, zulu = self.env["crm.team"].create(
            [
                {"name": "Alpha", "member_ids": [Command.set(extra[:2].ids)]},
                {"name": "Zulu", "member_ids": [Command.set(extra[2:].ids)]},
            ]
        )
        domain = [("team_id", "in", (alpha | self.team_north | zulu).ids)]
        board_class = type(self.Board)
        with patch.object(
            board_class, "_day_figures", autospec=True, side_effect=board_class._day_figures
        ) as figures:
            self.env.invalidate_all()
            page = self.Board.search_fetch(domain, ["rank"], offset=2, limit=2)
        self.assertEqual(page.user_id, self.user_hunter | self.user_closer)
        self.assertEqual(page.mapped("rank"), [1, 2])
        [call] = figures.call_args_list
        self.assertEqual(call.args[1], self.user_hunter | self.user_closer | self.user_farmer)
        # the last page: Zulu's two, and nothing past the end
        self.assertEqual(self.Board.search_fetch(domain, ["rank"], offset=5, limit=5).team_id, zulu)
        self.assertFalse(self.Board.search_fetch(domain, ["rank"], offset=7, limit=5))
        self.assertEqual(len(self.Board.search_fetch(domain, ["rank"])), 7)
