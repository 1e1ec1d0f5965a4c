"""Customers: companies in Polish cities, each kept by a farmer of one team.

Customer ``c`` belongs to team ``c % teams`` (its farmer is the partner's
salesperson, ``res.partner.user_id``), so leads of a team pick customers of
their own team by arithmetic.
"""

from odoo.tools import SQL

from ..sizes import HISTORY_DAYS
from . import bulk, step

CITIES = [
    ("Warszawa", "00-001", "14"),
    ("Kraków", "31-001", "12"),
    ("Łódź", "90-001", "10"),
    ("Wrocław", "50-001", "02"),
    ("Poznań", "60-001", "30"),
    ("Gdańsk", "80-001", "22"),
    ("Szczecin", "70-001", "32"),
    ("Bydgoszcz", "85-001", "04"),
    ("Lublin", "20-001", "06"),
    ("Białystok", "15-001", "20"),
    ("Katowice", "40-001", "24"),
    ("Rzeszów", "35-001", "18"),
    ("Kielce", "25-001", "26"),
    ("Olsztyn", "10-001", "28"),
    ("Opole", "45-001", "16"),
    ("Zielona Góra", "65-001", "08"),
]
NAME_STEMS = ["Instal", "Termo", "Hydro", "Bud", "Tech", "Eko", "Sanit", "Energo"]
LEGAL_FORMS = ["Sp. z o.o.", "S.A.", "Sp. j.", "PPHU", "s.c."]


@step("customers")
def customers(gen):
    env, cr, sizes = gen.env, gen.cr, gen.sizes
    poland = env.ref("base.pl")
    states = _polish_states(env, poland)
    template = env["res.partner"].create(
        {
            "name": "Bench template customer",
            "is_company": True,
            "country_id": poland.id,
            "company_id": gen.state["company_ids"][0],
            "customer_rank": 1,
        }
    )
    first = bulk.reserve_ids(cr, "res_partner", sizes.customers)
    gen.state["customers"] = [first, sizes.customers]
    industries = env["res.partner.industry"].search([]).ids or [None]
    city = SQL("(%s)[1 + mod(c, %s)]", [name for name, _zip, _code in CITIES], len(CITIES))
    name = SQL(
        "%s || '-' || %s || ' ' || c || ' ' || %s",
        bulk.pick(SQL("c"), 1, NAME_STEMS),
        city,
        bulk.pick(SQL("c"), 2, LEGAL_FORMS),
    )
    email = SQL("'kontakt.' || c || '@klient.example.pl'")
    bulk.clone(
        cr,
        "res_partner",
        template.id,
        SQL(
            "generate_series(0, %s) AS g(c) JOIN bench_team t ON t.team_idx = mod(c, %s)",
            sizes.customers - 1,
            sizes.teams,
        ),
        {
            "id": SQL("%s + c", first),
            "name": name,
            "complete_name": name,
            "commercial_partner_id": SQL("%s + c", first),
            "company_id": SQL("t.company_id"),
            "user_id": SQL(
                "t.farmers[1 + floor(%s * cardinality(t.farmers))::int]", bulk.rand(SQL("c"), 3)
            ),
            "city": city,
            "zip": SQL(
                "(%s)[1 + mod(c, %s)]", [zip_code for _n, zip_code, _c in CITIES], len(CITIES)
            ),
            "state_id": SQL(
                "(%s::integer[])[1 + mod(c, %s)]",
                [states.get(code) for _n, _z, code in CITIES],
                len(CITIES),
            ),
            "industry_id": bulk.pick(SQL("c"), 4, industries),
            "email": email,
            "email_normalized": email,
            "phone": SQL("'+48 22 ' || lpad(mod(c, 10000000)::text, 7, '0')"),
            "ref": SQL("'K' || c"),
            "create_date": SQL(
                "bench_now() - make_interval(days => %s + %s)",
                30,
                SQL("floor(%s * %s)::int", bulk.rand(SQL("c"), 5), HISTORY_DAYS),
            ),
        },
    )
    template.unlink()
    gen.log(f"{sizes.customers:,} customers")


def _polish_states(env, poland):
    """Voivodeship ids by code (created when the country has none, as in the demo)."""
    states = env["res.country.state"].search([("country_id", "=", poland.id)])
    if not states:
        states = env["res.country.state"].create(
            [
                {"country_id": poland.id, "code": code, "name": f"Województwo {code}"}
                for code in sorted({code for _n, _z, code in CITIES})
            ]
        )
    return {state.code: state.id for state in states}
