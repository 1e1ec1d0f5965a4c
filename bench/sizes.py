"""The shape of a generated department, scaled from the number of leads.

Pure Python (no Odoo), so the plain pytest suite checks it. At 1,000,000
leads: 1,000 salespeople in 167 teams of six plus their heads, two companies,
100,000 customers; the sales and invoice steps scale the same way.
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


def department_sizes(leads):
    if leads < 1:
        raise ValueError("a department needs at least one lead")
    teams = max(1, math.ceil(leads / LEADS_PER_SALESPERSON / TEAM_MEMBERS))
    return Sizes(
        leads=leads,
        teams=teams,
        companies=2 if teams >= SECOND_COMPANY_EVERY else 1,
        # every team keeps a few customers of its own even in a tiny department
        customers=max(teams * 5, leads // LEADS_PER_CUSTOMER),
    )


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
