from contextlib import contextmanager

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged, users

from .handoff_common import HandoffCommon


@tagged("post_install", "-at_install")
class TestOrganisation(HandoffCommon):
    @contextmanager
    def assertRefused(self, pattern):
        """A ValidationError matching ``pattern``, rolled back, cache cleared."""
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)
        self.env.invalidate_all()

    # ------------------------------------------------------------------
    # employee ↔ user ↔ team, roles on the team
    # ------------------------------------------------------------------
    def test_employee_user_team_link(self):
        self.assertEqual(self.employee_hunter.sales_team_id, self.team_north)
        self.assertEqual(self.employee_head.sales_team_id, self.team_north, "the team she leads")
        # moving the farmer to East (one team per person): her employee follows
        self.team_east.member_ids = [(4, self.user_farmer.id)]
        self.assertEqual(self.employee_farmer.sales_team_id, self.team_east)
        members = self._members(self.team_east)
        self.assertEqual(members[self.user_farmer].sales_role, "farmer")
        self.assertEqual(members[self.user_closers[0]].sales_role, "closer")

    def test_a_persons_team_in_several_teams(self):
        """res.users._sales_team_by_user, the one definition of a person's team:
        the team led first (sequence, then id), else the oldest membership; only
        the company's teams; archived memberships never; one query for all."""
        self.env["ir.config_parameter"].set_param("sales_team.membership_multi", True)
        company = self.env.company
        west, central = self.env["crm.team"].create(
            [
                {"name": "West", "sequence": 1, "company_id": company.id},
                {"name": "Central", "sequence": 1, "company_id": company.id},
            ]
        )
        # the hunter joins West after North: West comes first in the teams'
        # order, but North is the older membership
        west.member_ids = [(4, self.user_hunter.id)]
        # Piotr leads North (sequence 10) and Central (1) and sits in West: the
        # team he leads first in the teams' order. North has no company: it
        # counts in every company; abroad, Piotr leads Abroad (sequence 5) first
        west.member_ids = [(4, self.user_head.id)]
        central.user_id = self.user_head
        abroad = self.env["res.company"].create({"name": "Abroad Ltd"})
        self.user_head.company_ids |= abroad
        team_abroad = self.env["crm.team"].create(
            {"name": "Abroad", "sequence": 5, "company_id": abroad.id, "user_id": self.user_head.id}
        )
        # the closer's only membership is archived
        self.team_north.crm_team_member_ids.filtered(
            lambda member: member.user_id == self.user_closer
        ).active = False
        people = self.user_hunter | self.user_head | self.user_closer | self.user_farmer
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            teams = people._sales_team_by_user(company)
        self.assertEqual(
            teams,
            {
                self.user_hunter.id: self.team_north,
                self.user_head.id: central,
                self.user_farmer.id: self.team_north,
            },
        )
        self.assertEqual(
            people._sales_team_by_user(abroad),
            {
                self.user_hunter.id: self.team_north,
                self.user_head.id: team_abroad,
                self.user_farmer.id: self.team_north,
            },
        )
        # the employee's team is the same definition, in the employee's company
        self.assertEqual(self.employee_hunter.sales_team_id, self.team_north)
        self.assertEqual(self.employee_head.sales_team_id, central)
        self.assertFalse(self.employee_closer.sales_team_id)

    @users("sdo_hunter")
    def test_colleagues_role_and_team_readable_without_hr_rights(self):
        public = self.env["hr.employee.public"].browse(self.employee_closer.id)
        self.assertEqual((public.sales_role, public.sales_team_id.name), ("closer", "North"))
        team = self.env["crm.team"].browse(self.team_north.id)
        self.assertEqual(team.sales_member_ids.mapped("sales_role"), ["hunter", "closer", "farmer"])

    def test_team_lists_members_by_role_with_open_load(self):
        """Open load = active leads not in a won stage: the hunter owns 3 open,
        the closer 2 open plus 1 won and 1 lost (neither counts), the farmer 0."""
        self._leads(self.team_north, self.user_hunter, 3)
        self._leads(self.team_north, self.user_closer, 2, stage=self.stage_proposal)
        self._leads(self.team_north, self.user_closer, 1, stage=self.stage_closed)
        self._leads(self.team_north, self.user_closer, 1).action_archive()
        rows = [
            (member.sales_role, member.user_id, member.sales_open_lead_count)
            for member in self.team_north.sales_member_ids
        ]
        self.assertEqual(
            rows,
            [
                ("hunter", self.user_hunter, 3),
                ("closer", self.user_closer, 2),
                ("farmer", self.user_farmer, 0),
            ],
        )

    # ------------------------------------------------------------------
    # span of control
    # ------------------------------------------------------------------
    def _new_salesperson(self, login, role="closer"):
        user = self._sales_user(login, login.title(), "sales_dept_org.group_sales_dept_salesperson")
        self.env["hr.employee"].create({"name": user.name, "user_id": user.id, "sales_role": role})
        return user

    def test_span_refused_names_head_count_and_limit(self):
        self.env.company.sales_span_limit = 3  # North: head + 3, full
        newcomer = self._new_salesperson("sdo_newcomer")
        with self.assertRefused(
            r"Piotr Head leads 4 salespeople \(teams: North\); the span of control is 3\.",
        ):
            self.team_north.member_ids = [(4, newcomer.id)]
        self.assertEqual(len(self.team_north.crm_team_member_ids), 3, "nothing written")

    def test_span_refused_when_a_head_takes_a_second_team(self):
        """Piotr leads North (3); leading East too (4 more) makes 7 > 5."""
        self.env.company.sales_span_limit = 5
        with self.assertRefused("Piotr Head leads 7 salespeople"):
            self.team_east.user_id = self.user_head
        self.assertEqual(self.team_east.user_id, self.user_head_east)

    def test_span_warn_mode_allows_and_logs(self):
        self.env.company.write({"sales_span_limit": 3, "sales_span_mode": "warn"})
        newcomer = self._new_salesperson("sdo_newcomer")
        self.team_north.member_ids = [(4, newcomer.id)]
        self.assertEqual(len(self.team_north.crm_team_member_ids), 4)
        self.assertIn(
            "Piotr Head leads 4 salespeople (teams: North); the span of control is 3.",
            self.team_north.message_ids[0].body,
        )

    # ------------------------------------------------------------------
    # organisation check
    # ------------------------------------------------------------------
    def test_organisation_check_lists_every_violation(self):
        """East's head leads 4 with a limit of 3 (warn); a closer has no team;
        Solo takes a member without an employee; team Orphan has no head."""
        self.env.company.write({"sales_span_limit": 3, "sales_span_mode": "warn"})
        loner = self._new_salesperson("sdo_loner")
        roleless = self._sales_user(
            "sdo_roleless", "Rafał Roleless", "sales_dept_org.group_sales_dept_salesperson"
        )
        self.team_solo.member_ids = [(4, roleless.id)]
        orphan = self.env["crm.team"].create({"name": "Orphan"})
        check = (
            self.env["sales.organisation.check"]
            .with_user(self.user_head)
            .browse(
                self.env["sales.organisation.check"]
                .with_user(self.user_head)
                .action_run()["res_id"]
            )
        )
        ours = self.team_north | self.team_east | self.team_solo | orphan
        found = {
            (line.kind, line.user_id, line.team_id)
            for line in check.line_ids
            if line.team_id in ours or line.user_id == loner
        }
        self.assertEqual(
            found,
            {
                ("span", self.user_head_east, self.team_east),
                ("no_team", loner, self.env["crm.team"]),
                ("no_role", roleless, self.team_solo),
                ("no_head", self.env["res.users"], orphan),
            },
        )
        span = check.line_ids.filtered(lambda line: line.kind == "span")
        self.assertEqual(
            span.message,
            "Ewa Head East leads 4 salespeople (teams: East); the span of control is 3.",
        )

    # ------------------------------------------------------------------
    # bad input: a clear error, nothing written
    # ------------------------------------------------------------------
    def test_role_without_user_refused(self):
        count = self.env["hr.employee"].search_count([])
        with self.assertRefused(r"Ghost One has a sales role but no user\.\nGhost Two"):
            self.env["hr.employee"].create(
                [
                    {"name": "Ghost One", "sales_role": "hunter"},
                    {"name": "Ghost Two", "sales_role": "closer"},
                ]
            )
        self.assertEqual(self.env["hr.employee"].search_count([]), count)

    def test_team_head_must_be_a_head(self):
        with self.assertRefused(
            "Team South: its leader Jan Hunter is a hunter, not a head of sales."
        ):
            self.env["crm.team"].create({"name": "South", "user_id": self.user_hunter.id})
        self.assertFalse(self.env["crm.team"].search([("name", "=", "South")]))
        with self.assertRefused("must stay a head of sales"):
            self.employee_head.sales_role = "closer"
        self.assertEqual(self.employee_head.sales_role, "head")

    def test_negative_capacity_refused(self):
        member = self._members(self.team_north)[self.user_closer]
        with self.assertRefused(r"A capacity cannot be below 0.*Tomasz Closer \(North: -1\)"):
            member.sales_capacity = -1
        self.assertEqual(member.sales_capacity, 0)

    def test_span_limit_below_one_refused(self):
        with self.assertRefused("at least 1"):
            self.env.company.sales_span_limit = 0
        self.assertEqual(self.env.company.sales_span_limit, 7)

    # ------------------------------------------------------------------
    # access
    # ------------------------------------------------------------------
    def test_hunter_cannot_reassign_another_teams_lead(self):
        east_lead = self._leads(self.team_east, self.user_hunter_east, 1)
        with self.with_user("sdo_hunter"), self.assertRaises(AccessError):
            self.env["crm.lead"].browse(east_lead.id).write({"user_id": self.user_hunter.id})
        self.env.invalidate_all()
        self.assertEqual(east_lead.user_id, self.user_hunter_east)

    @users("sdo_hunter")
    def test_salesperson_cannot_change_roles_or_capacity(self):
        with self.assertRaises(AccessError):
            self.env["hr.employee"].browse(self.employee_closer.id).sales_role = "hunter"
        with self.assertRaises(AccessError):
            self.env["hr.employee"].browse(self.employee_hunter.id).sales_role = "head"
        member = self.env["crm.team.member"].browse(
            self._members(self.team_north)[self.user_hunter].id
        )
        with self.assertRaises(AccessError):
            member.sales_capacity = 99
        with self.assertRaises(AccessError):
            self.env["sales.organisation.check"].action_run()

    # ------------------------------------------------------------------
    # team cuts
    # ------------------------------------------------------------------
    def test_new_leads_go_to_the_matching_team(self):
        poland = self.env.ref("base.pl")
        pomorskie, slaskie = self.env["res.country.state"].create(
            [
                {"name": "Test Pomorskie", "code": "XP", "country_id": poland.id},
                {"name": "Test Śląskie", "code": "XS", "country_id": poland.id},
            ]
        )
        phone = self.env["utm.medium"].create({"name": "Test phone"})
        developers = self.env["crm.tag"].create({"name": "Developers"})
        pumps = self.env["product.category"].create({"name": "Pumps"})
        heat_pumps = self.env["product.category"].create({"name": "Heat", "parent_id": pumps.id})
        self.team_north.sales_state_ids = pomorskie
        self.team_east.sales_tag_ids = developers
        self.team_solo.sales_product_category_ids = pumps
        phone_desk = self.env["crm.team"].create(
            {"name": "Phone desk", "sales_state_ids": pomorskie.ids, "sales_medium_ids": phone.ids}
        )
        leads = self.env["crm.lead"].create(
            [
                {"name": "Gdańsk", "country_id": poland.id, "state_id": pomorskie.id},
                {"name": "Developer", "tag_ids": developers.ids, "state_id": slaskie.id},
                {"name": "Heat pump", "sales_product_category_id": heat_pumps.id},
                # two teams match: the more specific one (2 axes) wins
                {"name": "Gdańsk call", "state_id": pomorskie.id, "medium_id": phone.id},
                {"name": "Katowice", "state_id": slaskie.id},
                {"name": "Chosen team", "state_id": pomorskie.id, "team_id": self.team_east.id},
            ]
        )
        teams = [lead.team_id for lead in leads]
        self.assertEqual(teams[:4], [self.team_north, self.team_east, self.team_solo, phone_desk])
        self.assertNotIn(teams[4], self.team_north | self.team_east | self.team_solo | phone_desk)
        self.assertEqual(teams[5], self.team_east, "a team given is kept")
        # a role-split team gives its new lead to a hunter (the first stage's role)
        self.assertEqual(leads[0].user_id, self.user_hunter)
        self.assertEqual(leads[0].hunter_user_id, self.user_hunter)
        self.assertEqual(leads[1].user_id, self.user_hunter_east)
