"""ABC-XYZ maths: customers in 9 classes by size and regularity of purchases.

ABC (size): customers are ranked by revenue, largest first. A customer is A
when the customers *strictly larger* than it bring less than ``a_limit``
percent of the revenue, B when they bring less than ``b_limit`` percent, C
otherwise. So the customer that crosses the A limit is still A (a single
customer with 90% of revenue is A, not B), and customers with the same
revenue always share a class whatever their order: a tie at a threshold is
decided by the revenue above the tied block, never by ids. A customer with no
positive revenue (refunds only) is C. Money is compared in integer cents, so
a share exactly on a threshold is not at the mercy of float rounding.

XYZ (regularity): the coefficient of variation (population standard deviation
divided by the mean) of the customer's revenue per month over the window,
months without purchases counting as 0. X when CV <= ``x_limit``, Y when CV <=
``y_limit``, Z otherwise; CV is rounded to 6 decimals before the comparison so
a hand-computed value on a threshold lands on the documented side. A customer
with one purchase (or none) in the window is Z, whatever the CV says.
"""

import math
from dataclasses import dataclass

DEFAULT_A_LIMIT = 80.0
DEFAULT_B_LIMIT = 95.0
DEFAULT_X_LIMIT = 0.5
DEFAULT_Y_LIMIT = 1.0
CV_DIGITS = 6


@dataclass(frozen=True)
class CustomerClass:
    key: object
    revenue: float
    share: float  # percent of the total revenue
    cumulative_share: float  # percent brought by this customer and all larger ones
    cv: float | None  # None when the window has no revenue
    purchases: int
    abc: str
    xyz: str


def check_limits(a_limit, b_limit, x_limit, y_limit, window_months):
    """Every problem with the settings, as readable sentences (empty: valid)."""
    problems = []
    if not 0 < a_limit < b_limit <= 100:
        problems.append(f"ABC limits must satisfy 0 < A < B <= 100 (got A={a_limit}, B={b_limit}).")
    if not 0 <= x_limit < y_limit:
        problems.append(f"XYZ limits must satisfy 0 <= X < Y (got X={x_limit}, Y={y_limit}).")
    if window_months < 1:
        problems.append(f"The window must be at least 1 month (got {window_months}).")
    return problems


def coefficient_of_variation(monthly_amounts, months=None):
    """Population CV of a monthly series; None when its mean is not positive.

    ``months`` is the length of the window when ``monthly_amounts`` holds only
    the months with purchases (the others count as 0): a customer buying in 3
    months of 24 costs 3 steps, not 24."""
    amounts = list(monthly_amounts)
    count = len(amounts) if months is None else months
    if not count:
        return None
    mean = sum(amounts) / count
    if mean <= 0:
        return None
    squares = sum((amount - mean) ** 2 for amount in amounts)
    variance = (squares + (count - len(amounts)) * mean**2) / count
    return round(math.sqrt(variance) / mean, CV_DIGITS)


def xyz_class(cv, purchases, x_limit=DEFAULT_X_LIMIT, y_limit=DEFAULT_Y_LIMIT):
    if purchases <= 1 or cv is None:
        return "z"
    if cv <= x_limit:
        return "x"
    if cv <= y_limit:
        return "y"
    return "z"


def classify(
    customers,
    months,
    a_limit=DEFAULT_A_LIMIT,
    b_limit=DEFAULT_B_LIMIT,
    x_limit=DEFAULT_X_LIMIT,
    y_limit=DEFAULT_Y_LIMIT,
):
    """Classes of every customer.

    ``customers`` maps a key to ``(monthly, purchases)``: ``monthly`` maps a
    month index (0 .. months-1) to revenue, ``purchases`` is the number of
    invoices. Returns ``CustomerClass`` items, largest revenue first, ties by
    key (only the order of the list; a tie never changes a class).
    """
    problems = check_limits(a_limit, b_limit, x_limit, y_limit, months)
    if problems:
        raise ValueError(" ".join(problems))
    cents = {key: round(sum(monthly.values()) * 100) for key, (monthly, _n) in customers.items()}
    total = sum(amount for amount in cents.values() if amount > 0)
    ordered = sorted(customers, key=lambda key: (-cents[key], key))
    above_by_amount, running = {}, 0
    for key in ordered:
        # the revenue of customers strictly larger: same for every tied customer
        above_by_amount.setdefault(cents[key], running)
        running += max(cents[key], 0)
    result, cumulative = [], 0
    for key in ordered:
        monthly, purchases = customers[key]
        amount = cents[key]
        cumulative += max(amount, 0)
        cv = coefficient_of_variation(monthly.values(), months)
        result.append(
            CustomerClass(
                key=key,
                revenue=amount / 100,
                share=100 * max(amount, 0) / total if total else 0.0,
                cumulative_share=100 * cumulative / total if total else 0.0,
                cv=cv,
                purchases=purchases,
                abc=_abc_class(amount, above_by_amount[amount], total, a_limit, b_limit),
                xyz=xyz_class(cv, purchases, x_limit, y_limit),
            )
        )
    return result


def _abc_class(amount, above, total, a_limit, b_limit):
    if amount <= 0 or not total:
        return "c"
    # above / total < limit / 100, kept in integers where the limit allows
    if above * 100 < a_limit * total:
        return "a"
    if above * 100 < b_limit * total:
        return "b"
    return "c"
