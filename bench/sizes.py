"""The shape of a generated department, scaled from the number of leads.

Pure Python (no Odoo), so the plain pytest suite checks it. At 1,000,000
leads: 1,000 salespeople in 167 teams of six plus their heads, two companies,
100,000 customers; the sales and invoice steps scale the same way.

``BENCH_TEAMS`` sets the number of teams apart from the leads: a department
of 167 teams with 100,000 leads has the people of the 1,000,000-lead one with
a tenth of the leads each.
"""

import math
from dataclasses import dataclass

LEADS_PER_SALESPERSON = 1_000
TEAM_MEMBERS = 6  # plus the head: the article's span of control is 6 to 7
ROLE_SPLIT_TEAM = ("hunter", "hunter", "closer", "closer", "farmer", "farmer")
UNIVERSAL_TEAM = ("universal",) * TEAM_MEMBERS
UNIVERSAL_EVERY = 5  # every fifth team runs the whole cycle with universals
SECOND_COMPANY_EVERY = 4  # every fourth team belongs to the second company
LEADS_PER_CUSTOMER = 10
HISTORY_DAYS = 730  # about 24 months of history


@dataclass(frozen=True)
class Sizes:
    leads: int
    teams: int
    companies: int
    customers: int

    @property
    def salespeople(self):
        return self.teams * TEAM_MEMBERS


def department_sizes(leads, teams=None):
    """The department of ``leads`` leads; ``teams`` teams when given, otherwise
    as many as give each salesperson about ``LEADS_PER_SALESPERSON`` leads."""
    if leads < 1:
        raise ValueError("a department needs at least one lead")
    if teams is None:
        teams = max(1, math.ceil(leads / LEADS_PER_SALESPERSON / TEAM_MEMBERS))
    elif teams < 1:
        raise ValueError("a department needs at least one team")
    elif teams > leads:
        raise ValueError(f"{teams:,} teams need at least as many leads, not {leads:,}")
    return Sizes(
        leads=leads,
        teams=teams,
        companies=2 if teams >= SECOND_COMPANY_EVERY else 1,
        # every team keeps a few customers of its own even in a tiny department
        customers=max(teams * 5, leads // LEADS_PER_CUSTOMER),
    )


def teams_from_env(environ):
    """The number of teams ``BENCH_TEAMS`` asks for, or None when it is unset or empty."""
    value = environ.get("BENCH_TEAMS", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"BENCH_TEAMS must be a whole number of teams above zero, not {value!r}")
    return int(value)


def team_roles(team_index):
    """Sales roles of the members of a team (its head apart)."""
    if team_index % UNIVERSAL_EVERY == UNIVERSAL_EVERY - 1:
        return UNIVERSAL_TEAM
    return ROLE_SPLIT_TEAM


def team_company(team_index, companies):
    """Index (0-based) of the company a team belongs to."""
    if companies > 1 and team_index % SECOND_COMPANY_EVERY == SECOND_COMPANY_EVERY - 1:
        return 1
    return 0
