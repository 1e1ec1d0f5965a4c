"""Companies, salespeople (users + employees with sales roles) and teams.

Team ``t`` has a head and six members (two hunters, two closers, two farmers;
every fifth team six universals); every fourth team belongs to the second
company. ``bench_person`` keeps who is who for the later steps.
"""

from odoo import Command
from odoo.tools import SQL

from ..sizes import team_company, team_roles
from . import bulk, step

FIRST_NAMES = [
    "Anna",
    "Piotr",
    "Katarzyna",
    "Tomasz",
    "Agnieszka",
    "Michał",
    "Magdalena",
    "Paweł",
    "Ewa",
    "Krzysztof",
    "Joanna",
    "Marek",
    "Beata",
    "Rafał",
    "Monika",
]
LAST_NAMES = [
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
]


@step("people", version=2)
def people(gen):
    companies = _companies(gen)
    gen.state["company_ids"] = companies.ids
    _person_table(gen, companies)
    templates = _templates(gen, companies)
    _clone_people(gen, templates)
    teams = _teams(gen)
    _members(gen, teams)
    _team_table(gen)
    _directors(gen, companies)
    templates["employee"].unlink()
    users = gen.env["res.users"].browse(templates["users"])
    partners = users.partner_id
    users.unlink()
    partners.unlink()
    gen.log(
        f"{gen.sizes.salespeople:,} salespeople and {gen.sizes.teams:,} heads in "
        f"{gen.sizes.teams:,} teams, {len(companies)} companies"
    )


def _companies(gen):
    env = gen.env
    pln = env.ref("base.PLN")
    pln.active = True
    # no country: with one, Odoo installs the country's localisation modules
    companies = env["res.company"].create(
        [
            {"name": f"Bench Sales {index + 1} Sp. z o.o.", "currency_id": pln.id}
            for index in range(gen.sizes.companies)
        ]
    )
    for company in companies:
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        company.currency_id = pln  # the generic chart brings its own currency
    return companies


def _person_table(gen, companies):
    rows = []
    for team in range(gen.sizes.teams):
        company_id = companies[team_company(team, gen.sizes.companies)].id
        roles = ("head", *team_roles(team))
        for position, role in enumerate(roles):
            idx = len(rows)
            name = (
                f"{FIRST_NAMES[idx % len(FIRST_NAMES)]} "
                f"{LAST_NAMES[idx // len(FIRST_NAMES) % len(LAST_NAMES)]} {idx}"
            )
            rank = sum(1 for other in roles[:position] if other == role)
            rows.append(SQL("(%s, %s, %s, %s, %s, %s)", idx, team, company_id, role, rank, name))
    gen.cr.execute(
        SQL(
            """CREATE TABLE bench_person (
                   idx integer PRIMARY KEY, team_idx integer NOT NULL,
                   company_id integer NOT NULL, role varchar NOT NULL,
                   role_rank integer NOT NULL, name varchar NOT NULL,
                   partner_id integer, user_id integer, resource_id integer,
                   employee_id integer, team_id integer)"""
        )
    )
    gen.cr.execute(
        SQL(
            "INSERT INTO bench_person (idx, team_idx, company_id, role, role_rank, name) VALUES %s",
            SQL(", ").join(rows),
        )
    )


def _templates(gen, companies):
    env = gen.env
    group = {
        "salesperson": env.ref("sales_dept_org.group_sales_dept_salesperson"),
        "head": env.ref("sales_dept_org.group_sales_dept_head"),
    }
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nosubscribe=True)
        .create(
            [
                {
                    "name": f"Bench template {kind}",
                    "login": f"bench.template.{kind}",
                    "company_id": companies[0].id,
                    "company_ids": [Command.set(companies[:1].ids)],
                    "groups_id": [Command.set(group[kind].ids)],
                    "tz": "Europe/Warsaw",
                }
                for kind in ("salesperson", "head")
            ]
        )
    )
    employee = env["hr.employee"].create(
        {
            "name": "Bench template",
            "user_id": users[0].id,
            "company_id": companies[0].id,
            "sales_role": "hunter",
        }
    )
    return {"users": users.ids, "salesperson": users[0], "head": users[1], "employee": employee}


def _clone_people(gen, templates):
    cr, count = gen.cr, gen.sizes.teams * 7
    first = {
        table: bulk.reserve_ids(cr, table, count)
        for table in ("res_partner", "res_users", "resource_resource", "hr_employee")
    }
    cr.execute(
        SQL(
            """UPDATE bench_person SET partner_id = %s + idx, user_id = %s + idx,
                      resource_id = %s + idx, employee_id = %s + idx""",
            first["res_partner"],
            first["res_users"],
            first["resource_resource"],
            first["hr_employee"],
        )
    )
    login = SQL("'bench.' || p.idx")
    email = SQL("'bench.' || p.idx || '@bench.example.com'")
    template_user = templates["salesperson"]
    bulk.clone(
        cr,
        "res_partner",
        template_user.partner_id.id,
        SQL("bench_person p"),
        {
            "id": SQL("p.partner_id"),
            "name": SQL("p.name"),
            "complete_name": SQL("p.name"),
            "email": email,
            "email_normalized": email,
            "company_id": SQL("p.company_id"),
            "commercial_partner_id": SQL("p.partner_id"),
        },
    )
    bulk.clone(
        cr,
        "res_users",
        template_user.id,
        SQL("bench_person p"),
        {
            "id": SQL("p.user_id"),
            "partner_id": SQL("p.partner_id"),
            "login": login,
            "company_id": SQL("p.company_id"),
        },
    )
    for kind, heads in (("salesperson", False), ("head", True)):
        cr.execute(
            SQL(
                """INSERT INTO res_groups_users_rel (gid, uid)
                   SELECT rel.gid, p.user_id FROM res_groups_users_rel rel, bench_person p
                    WHERE rel.uid = %s AND (p.role = 'head') = %s""",
                templates[kind].id,
                heads,
            )
        )
    cr.execute(
        SQL(
            """INSERT INTO res_company_users_rel (cid, user_id)
               SELECT company_id, user_id FROM bench_person"""
        )
    )
    employee = templates["employee"]
    bulk.clone(
        cr,
        "resource_resource",
        employee.resource_id.id,
        SQL("bench_person p"),
        {
            "id": SQL("p.resource_id"),
            "name": SQL("p.name"),
            "user_id": SQL("p.user_id"),
            "company_id": SQL("p.company_id"),
        },
    )
    bulk.clone(
        cr,
        "hr_employee",
        employee.id,
        SQL("bench_person p"),
        {
            "id": SQL("p.employee_id"),
            "name": SQL("p.name"),
            "resource_id": SQL("p.resource_id"),
            "user_id": SQL("p.user_id"),
            "work_contact_id": SQL("p.partner_id"),
            "company_id": SQL("p.company_id"),
            "work_email": email,
            "sales_role": SQL("p.role"),
            "parent_id": SQL(
                "CASE WHEN p.role = 'head' THEN NULL ELSE "
                "(SELECT h.employee_id FROM bench_person h "
                "WHERE h.team_idx = p.team_idx AND h.role = 'head') END"
            ),
        },
    )


def _teams(gen):
    cr = gen.cr
    cr.execute(
        SQL(
            """SELECT team_idx, company_id, user_id FROM bench_person
                WHERE role = 'head' ORDER BY team_idx"""
        )
    )
    heads = cr.fetchall()
    teams = gen.env["crm.team"].create(
        [
            {
                "name": f"Bench team {team_idx + 1}",
                "company_id": company_id,
                "user_id": user_id,
                "sequence": team_idx,
            }
            for team_idx, company_id, user_id in heads
        ]
    )
    cr.execute(
        SQL(
            """UPDATE bench_person p SET team_id = t.team_id
                 FROM (SELECT unnest(%s::integer[]) AS team_idx,
                              unnest(%s::integer[]) AS team_id) t
                WHERE t.team_idx = p.team_idx""",
            [team_idx for team_idx, _company, _user in heads],
            teams.ids,
        )
    )
    return teams


def _members(gen, teams):
    cr = gen.cr
    cr.execute(SQL("SELECT user_id FROM bench_person WHERE role <> 'head' ORDER BY idx LIMIT 1"))
    first_user = cr.fetchone()[0]
    template = gen.env["crm.team.member"].create(
        {"crm_team_id": teams[0].id, "user_id": first_user}
    )
    count = gen.sizes.salespeople - 1
    first = bulk.reserve_ids(cr, "crm_team_member", count)
    bulk.clone(
        cr,
        "crm_team_member",
        template.id,
        SQL(
            "(SELECT p.*, row_number() OVER (ORDER BY idx) - 1 AS n FROM bench_person p"
            " WHERE role <> 'head' AND user_id <> %s) p",
            first_user,
        ),
        {
            "id": SQL("%s + p.n", first),
            "crm_team_id": SQL("p.team_id"),
            "user_id": SQL("p.user_id"),
        },
    )
    cr.execute(
        SQL(
            # a head leads the team without being its member (no sales team of their own)
            "UPDATE res_users u SET sale_team_id = p.team_id FROM bench_person p "
            "WHERE p.user_id = u.id AND p.role <> 'head'"
        )
    )
    gen.env.invalidate_all()


def _team_table(gen):
    """``bench_team``: per team the user ids able to play each role (a universal
    plays them all), so later steps pick an owner with one array lookup."""
    gen.cr.execute(
        SQL(
            """CREATE TABLE bench_team AS
               SELECT team_idx, team_id, company_id,
                      max(user_id) FILTER (WHERE role = 'head') AS head_user_id,
                      array_agg(user_id ORDER BY idx)
                          FILTER (WHERE role IN ('hunter', 'universal')) AS hunters,
                      array_agg(user_id ORDER BY idx)
                          FILTER (WHERE role IN ('closer', 'universal')) AS closers,
                      array_agg(user_id ORDER BY idx)
                          FILTER (WHERE role IN ('farmer', 'universal')) AS farmers
                 FROM bench_person GROUP BY team_idx, team_id, company_id"""
        )
    )
    gen.cr.execute(SQL("ALTER TABLE bench_team ADD PRIMARY KEY (team_idx)"))


def _directors(gen, companies):
    """One sales director per company (through the ORM: only a handful)."""
    env = gen.env
    director = env.ref("sales_dept_org.group_sales_dept_director")
    for index, company in enumerate(companies):
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": f"Bench Director {index + 1}",
                    "login": f"bench.director.{index + 1}",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.set(director.ids)],
                }
            )
        )
        env["hr.employee"].create(
            {"name": user.name, "user_id": user.id, "company_id": company.id, "sales_role": "head"}
        )
