"""The shipped schemes of hunters, farmers and heads move to the article's split
of the target pay, 30% fixed, 10% soft and 60% bonus, the split the closers
and universals already had.

Up to 18.0.1.0.2 hunters were paid 60 / 10 / 30 and farmers and heads
40 / 10 / 50: at plan they earned 1.5 and 2.25 times the fixed + bonus paid
just below the first threshold, not the article's three times
(``engine.pay.three_times``). A role scheme still on its old shipped split is
moved through the ORM, so that the change is tracked in its chatter; a scheme
an administrator changed, or a person's own scheme, is left as it is (the
scheme form warns when it misses the rule).
"""

from odoo import SUPERUSER_ID, api

# role -> (fixed, soft, bonus) shipped up to 18.0.1.0.2
OLD_SHARES = {
    "hunter": (60.0, 10.0, 30.0),
    "farmer": (40.0, 10.0, 50.0),
    "head": (40.0, 10.0, 50.0),
}
NEW_SHARES = {"fixed_share": 30.0, "soft_share": 10.0, "bonus_share": 60.0}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    schemes = (
        env["sales.bonus.scheme"]
        .with_context(active_test=False)
        .search([("employee_id", "=", False), ("sales_role", "in", list(OLD_SHARES))])
    )
    schemes.filtered(
        lambda scheme: (
            (scheme.fixed_share, scheme.soft_share, scheme.bonus_share)
            == OLD_SHARES[scheme.sales_role]
        )
    ).write(NEW_SHARES)
