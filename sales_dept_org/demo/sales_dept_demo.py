"""The demo department: a Polish wholesaler of installation materials.

Two role-split teams (a head with a hunter, a closer and a farmer each) and one
universal team led by the sales director, customers across Poland and leads
over every stage of the last three months, with their activities. Built in
Python rather than XML because the dates follow "today" and the volume would
make XML unreadable; the random draws are seeded, so every build is the same.
Key records get XML ids (``sales_dept_org.demo_*``) that later demo files use.

This file builds the company, the people, the teams and the customers;
``sales_dept_demo_leads.py`` the leads and their activities.
"""

import random

from odoo import api, fields, models

DEMO_SEED = 2024

COMPANY = {
    "name": "Wisła Technika Sp. z o.o.",
    "street": "ul. Przemysłowa 12",
    "city": "Kraków",
    "zip": "30-701",
    "email": "biuro@wisla-technika.example.pl",
    "phone": "+48 12 345 67 00",
    "vat": "PL6790001234",
}

VOIVODESHIPS = [
    ("02", "Dolnośląskie"),
    ("04", "Kujawsko-pomorskie"),
    ("06", "Lubelskie"),
    ("08", "Lubuskie"),
    ("10", "Łódzkie"),
    ("12", "Małopolskie"),
    ("14", "Mazowieckie"),
    ("16", "Opolskie"),
    ("18", "Podkarpackie"),
    ("20", "Podlaskie"),
    ("22", "Pomorskie"),
    ("24", "Śląskie"),
    ("26", "Świętokrzyskie"),
    ("28", "Warmińsko-mazurskie"),
    ("30", "Wielkopolskie"),
    ("32", "Zachodniopomorskie"),
]

# xml id suffix, team, name, login, password, role, department group
PEOPLE = [
    ("director", "mazowsze", "Anna Kowalska", "dyrektor", "dyrektor", "head", "director"),
    ("head_north", "polnoc", "Piotr Nowak", "szef.polnoc", "szef", "head", "head"),
    ("hunter_north", "polnoc", "Jan Wójcik", "jan.wojcik", "handlowiec", "hunter", "salesperson"),
    (
        "closer_north",
        "polnoc",
        "Tomasz Zieliński",
        "tomasz.zielinski",
        "handlowiec",
        "closer",
        "salesperson",
    ),
    (
        "farmer_north",
        "polnoc",
        "Agnieszka Kamińska",
        "agnieszka.kaminska",
        "handlowiec",
        "farmer",
        "salesperson",
    ),
    ("head_south", "poludnie", "Katarzyna Wiśniewska", "szef.poludnie", "szef", "head", "head"),
    (
        "hunter_south",
        "poludnie",
        "Michał Lewandowski",
        "michal.lewandowski",
        "handlowiec",
        "hunter",
        "salesperson",
    ),
    (
        "closer_south",
        "poludnie",
        "Magdalena Dąbrowska",
        "magdalena.dabrowska",
        "handlowiec",
        "closer",
        "salesperson",
    ),
    (
        "farmer_south",
        "poludnie",
        "Paweł Szymański",
        "pawel.szymanski",
        "handlowiec",
        "farmer",
        "salesperson",
    ),
    (
        "universal_1",
        "mazowsze",
        "Ewa Woźniak",
        "ewa.wozniak",
        "handlowiec",
        "universal",
        "salesperson",
    ),
    (
        "universal_2",
        "mazowsze",
        "Krzysztof Kozłowski",
        "krzysztof.kozlowski",
        "handlowiec",
        "universal",
        "salesperson",
    ),
    ("accountant", None, "Barbara Jankowska", "ksiegowa", "ksiegowa", None, "accountant"),
]

TEAMS = [
    # xml id suffix, name, head (PEOPLE key), territory
    ("polnoc", "Północ", "head_north", ("22", "28", "32", "04", "20")),
    ("poludnie", "Południe", "head_south", ("12", "24", "18", "02", "16", "26")),
    ("mazowsze", "Mazowsze (uniwersalny)", "director", ("14", "10", "06", "30", "08")),
]

# name, city, zip, voivodeship code, industry letter
CUSTOMERS = [
    ("Instal-Bud Gdańsk Sp. z o.o.", "Gdańsk", "80-001", "22", "F"),
    ("Termo-Serwis Olsztyn", "Olsztyn", "10-001", "28", "F"),
    ("Hydro-Tech Szczecin S.A.", "Szczecin", "70-001", "32", "C"),
    ("PPHU Wodociąg Bydgoszcz", "Bydgoszcz", "85-001", "04", "E"),
    ("Ciepło Podlasia Sp. j.", "Białystok", "15-001", "20", "D"),
    ("Bałtyk Instalacje", "Gdynia", "81-001", "22", "F"),
    ("Mazur-Grzewanie", "Elbląg", "82-300", "28", "G"),
    ("Pomorskie Hurtownie Techniczne", "Słupsk", "76-200", "22", "G"),
    ("Krak-Instal S.A.", "Kraków", "31-001", "12", "F"),
    ("Śląskie Centrum Hydrauliki", "Katowice", "40-001", "24", "G"),
    ("Rzeszowska Grupa Budowlana", "Rzeszów", "35-001", "18", "F"),
    ("Odra-Term Wrocław", "Wrocław", "50-001", "02", "C"),
    ("Opolskie Zakłady Grzewcze", "Opole", "45-001", "16", "D"),
    ("Kielecka Spółdzielnia Mieszkaniowa", "Kielce", "25-001", "26", "L"),
    ("Tatra-Bud Zakopane", "Zakopane", "34-500", "12", "F"),
    ("Gliwickie Instalacje Przemysłowe", "Gliwice", "44-100", "24", "C"),
    ("Stal-Rur Częstochowa", "Częstochowa", "42-200", "24", "C"),
    ("Hotel Pod Wawelem", "Kraków", "31-002", "12", "I"),
    ("Warszawskie Sieci Cieplne Serwis", "Warszawa", "00-001", "14", "D"),
    ("Mazowiecki Dom Instalacyjny", "Radom", "26-600", "14", "G"),
    ("Łódzka Fabryka Armatury", "Łódź", "90-001", "10", "C"),
    ("Lubelskie Centrum Budowy", "Lublin", "20-001", "06", "F"),
    ("Poznańskie Hurtownie Sanitarne", "Poznań", "60-001", "30", "G"),
    ("Zielonogórska Energetyka Cieplna", "Zielona Góra", "65-001", "08", "D"),
    ("Szpital Miejski w Płocku", "Płock", "09-400", "14", "Q"),
    ("Deweloper Vistula Residence", "Warszawa", "02-001", "14", "L"),
    ("Uniwersytet Techniczny Logistyka", "Łódź", "90-002", "10", "P"),
    ("Kalisz-Term Sp. z o.o.", "Kalisz", "62-800", "30", "F"),
]

# The responsible role of the first open stages (New, Qualified, Proposition).
DEMO_STAGE_ROLES = ["hunter", "hunter", "closer"]


class SalesDeptDemo(models.AbstractModel):
    _name = "sales.dept.demo"
    _description = "Sales Department Demo Builder"

    @api.model
    def _load_demo_department(self):
        """Builds the demo department once; a second call changes nothing."""
        if self.env.ref("sales_dept_org.demo_company", raise_if_not_found=False):
            return False
        rng = random.Random(DEMO_SEED)
        company = self._demo_company()
        users = self._demo_people(company)
        teams = self._demo_teams(company, users)
        customers = self._demo_customers(company)
        self._demo_organisation(teams)
        self._demo_leads(rng, company, users, teams, customers)
        return True

    # ------------------------------------------------------------------
    # company, people, teams, customers
    # ------------------------------------------------------------------
    def _demo_company(self):
        poland = self.env.ref("base.pl")
        pln = self.env.ref("base.PLN")
        pln.active = True
        values = dict(COMPANY, country_id=poland.id, currency_id=pln.id)
        if "iap_enrich_auto_done" in self.env["res.company"]._fields:
            # partner_autocomplete would call its web service for a made-up company
            values["iap_enrich_auto_done"] = True
        company = self.env["res.company"].create(values)
        self._demo_xmlids({"demo_company": company})
        self.env["account.chart.template"].try_loading("generic_coa", company)
        company.currency_id = pln  # the generic chart brings its own currency
        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [fields.Command.link(company.id)], "company_id": company.id})
        return company

    def _demo_people(self, company):
        groups = {
            "salesperson": self.env.ref("sales_dept_org.group_sales_dept_salesperson"),
            "head": self.env.ref("sales_dept_org.group_sales_dept_head"),
            "director": self.env.ref("sales_dept_org.group_sales_dept_director"),
            "accountant": self.env.ref("sales_dept_org.group_sales_dept_accountant"),
        }
        lang = "pl_PL" if self.env["res.lang"]._lang_get("pl_PL") else "en_US"
        users = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": name,
                        "login": login,
                        "password": password,
                        "email": f"{login}@wisla-technika.example.pl",
                        "company_id": company.id,
                        "company_ids": [fields.Command.set(company.ids)],
                        "groups_id": [fields.Command.set(groups[group].ids)],
                        "lang": lang,
                        "tz": "Europe/Warsaw",
                    }
                    for _key, _team, name, login, password, _role, group in PEOPLE
                ]
            )
        )
        by_key = {person[0]: user for person, user in zip(PEOPLE, users, strict=True)}
        employees = self.env["hr.employee"].create(
            [
                {
                    "name": user.name,
                    "user_id": user.id,
                    "company_id": company.id,
                    "work_email": user.email,
                    "sales_role": role,
                }
                for (_key, _team, _name, _login, _pw, role, _group), user in zip(
                    PEOPLE, users, strict=True
                )
            ]
        )
        employee_by_key = dict(zip(by_key, employees, strict=True))
        heads = {team_key: head_key for team_key, _name, head_key, _states in TEAMS}
        for key, team_key, *_rest in PEOPLE:
            head_key = heads.get(team_key)
            if head_key and head_key != key:
                employee_by_key[key].parent_id = employee_by_key[head_key]
        self._demo_xmlids({f"demo_user_{key}": user for key, user in by_key.items()})
        self._demo_xmlids({f"demo_employee_{key}": emp for key, emp in employee_by_key.items()})
        return by_key

    def _demo_teams(self, company, users):
        teams = {}
        for key, name, head_key, _states in TEAMS:
            members = [
                users[person[0]].id
                for person in PEOPLE
                if person[1] == key and person[0] != head_key
            ]
            teams[key] = self.env["crm.team"].create(
                {
                    "name": name,
                    "company_id": company.id,
                    "user_id": users[head_key].id,
                    "member_ids": [fields.Command.set(members)],
                }
            )
        self._demo_xmlids({f"demo_team_{key}": team for key, team in teams.items()})
        return teams

    def _demo_organisation(self, teams):
        """Role-split North and South hand leads over by stage and territory;
        Mazowsze stays universal. Stages keep any role already given them."""
        states = self.env["res.country.state"].search(
            [("country_id", "=", self.env.ref("base.pl").id)]
        )
        for key, _name, _head, codes in TEAMS:
            teams[key].write(
                {
                    "sales_structure": "universal" if key == "mazowsze" else "split",
                    "sales_state_ids": [
                        fields.Command.set(
                            states.filtered(lambda state, codes=codes: state.code in codes).ids
                        )
                    ],
                }
            )
        # Closers carry the deals: a limit keeps the hand-off honest.
        teams["polnoc"].crm_team_member_ids.filtered(
            lambda member: member.sales_role == "closer"
        ).sales_capacity = 60
        stages = self.env["crm.stage"].search(
            [("team_id", "=", False), ("is_won", "=", False)], order="sequence, id"
        )
        for stage, role in zip(stages, DEMO_STAGE_ROLES, strict=False):
            if not stage.responsible_role:
                stage.responsible_role = role

    def _demo_customers(self, company):
        poland = self.env.ref("base.pl")
        states = self.env["res.country.state"].search([("country_id", "=", poland.id)])
        if not states:
            states = self.env["res.country.state"].create(
                [
                    {"country_id": poland.id, "code": code, "name": name}
                    for code, name in VOIVODESHIPS
                ]
            )
        state_by_code = {state.code: state for state in states}
        customers = self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "city": city,
                    "zip": zip_code,
                    "state_id": state_by_code.get(code, states[:1]).id,
                    "country_id": poland.id,
                    "industry_id": self.env.ref(f"base.res_partner_industry_{industry}").id,
                    "company_id": company.id,
                    "email": f"kontakt{index}@klient.example.pl",
                    "phone": f"+48 500 100 {index:03d}",
                }
                for index, (name, city, zip_code, code, industry) in enumerate(CUSTOMERS)
            ]
        )
        return customers

    def _demo_xmlids(self, records_by_name):
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"sales_dept_org.{name}", "record": record, "noupdate": True}
                for name, record in records_by_name.items()
            ]
        )
