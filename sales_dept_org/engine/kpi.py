"""KPI maths: splitting targets by weights, spreading them over working days,
trainee scaling, attainment and the board's ranking.

``attainment`` is the one definition of how much of a plan a fact reaches:
the board ranks by it, pay (``pay.attainment_percent``) pays by it.

Targets are money or counts kept to a number of decimals ("cents"); every
split or spread returns amounts that sum exactly to the amount given, the
remainder cents going to the largest fractional parts, ties to the earliest
position, so the same input always gives the same output.
"""

from datetime import timedelta
from decimal import Decimal
from functools import lru_cache

# The board caps each metric's attainment so that one metric cannot carry the
# ranking: 200% unless the company sets another cap, or none
# (``res.company.sales_board_attainment_cap``). Pay is never capped here (a
# scheme caps its bonus itself).
RANKING_CAP = 2.0


def _cents(value, digits):
    return int((Decimal(str(value)) * 10**digits).to_integral_value())


@lru_cache(maxsize=512)
def _whole_units(values):
    """Integers in the proportions of ``values`` read as written (0.1 is
    exactly a tenth): a plan spreads the same working hours over every
    metric, so the conversion is cached."""
    decimals = [Decimal(str(value)) for value in values]
    places = max(0, max(-number.as_tuple().exponent for number in decimals))
    return tuple(int(number.scaleb(places)) for number in decimals)


def split_by_weights(total, weights, digits=2):
    """Splits ``total`` into parts proportional to ``weights``.

    >>> split_by_weights(100, [1, 1, 1])
    [33.34, 33.33, 33.33]
    """
    weights = tuple(weights)
    if any(weight < 0 for weight in weights):
        raise ValueError(f"Weights cannot be negative: {list(weights)}")
    if not sum(weights):
        raise ValueError(f"Weights sum to zero: {list(weights)}")
    total_cents = _cents(total, digits)
    units = _whole_units(weights)
    unit_sum = sum(units)
    # exact integer shares: floor and fractional part of total * unit / sum
    shares = [divmod(total_cents * unit, unit_sum) for unit in units]
    cents = [floor for floor, _rest in shares]
    # the largest fractional parts take the remaining cents; ties: earliest first
    order = sorted(range(len(units)), key=lambda i: (-shares[i][1], i))
    for index in order[: total_cents - sum(cents)]:
        cents[index] += 1
    return [amount / 10**digits for amount in cents]


def days_between(date_from, date_to):
    """Every day from ``date_from`` to ``date_to``, both included."""
    return [date_from + timedelta(days=n) for n in range((date_to - date_from).days + 1)]


def intersect_days(item_from, item_to, date_from, date_to):
    """Days of the item period that fall in the query period, and the item's days
    (the idea of OCA mis_builder's ``intersect_days``).

    >>> intersect_days(date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 25), date(2026, 2, 5))
    (7, 31)
    """
    start, end = max(item_from, date_from), min(item_to, date_to)
    item_days = (item_to - item_from).days + 1
    return max(0, (end - start).days + 1), item_days


def spread(total, capacity, digits=2):
    """Spreads ``total`` over days in proportion to each day's capacity (working
    hours). Days without capacity get nothing; when no day has any (a month of
    leave), the total goes evenly over all the days so that it is never lost.

    ``capacity``: {day: hours}. Returns {day: amount}, summing exactly to total.
    """
    days = sorted(capacity)
    weights = [capacity[day] for day in days]
    if not sum(weights):
        weights = [1] * len(days)
    if not days:
        return {}
    return dict(zip(days, split_by_weights(total, weights, digits), strict=True))


def trainee_capacity(capacity, adaptation_end, factor):
    """Scales the capacity of the days up to the end of the adaptation period."""
    if not adaptation_end:
        return dict(capacity)
    return {
        day: hours * factor if day <= adaptation_end else hours for day, hours in capacity.items()
    }


def trainee_target(total, capacity, adaptation_end, factor, digits=2):
    """A trainee's month target: the full target times the share of the month's
    capacity they bring once adaptation days count ``factor`` each.

    20 working days of 8 h, 10 of them in adaptation at 0.5:
    (10*4 + 10*8) / (20*8) = 0.75 of the full target.
    """
    full = sum(capacity.values())
    if not full or not adaptation_end:
        return round(total, digits)
    scaled = sum(trainee_capacity(capacity, adaptation_end, factor).values())
    return round(total * scaled / full, digits)


def fact_value(amount, count, average=False):
    """A fact from its summed parts: the amount, or for an average amount/count."""
    if average:
        return amount / count if count else 0.0
    return amount


def attainment(plan, fact, higher_is_better=True, cap=None):
    """Share of the plan reached: 1 is the plan, None when there is no plan
    (zero or less) to compare to. Never below 0; never above ``cap`` when one
    is given. Works on floats and on Decimals alike.

    When more is better, fact / plan. When less is better (overdue tasks),
    staying at or under the plan is 1 and each unit over it takes a plan's
    worth off: plan / fact.

    >>> attainment(100, 50), attainment(4, 8, higher_is_better=False)
    (0.5, 0.5)
    """
    if plan <= 0:
        return None
    value = max(fact / plan if higher_is_better else plan / max(fact, plan), 0)
    return value if cap is None else min(cap, value)


# at or over the pace: green; from 80% of it: amber; under: red
PACE_AMBER = 0.8


def pace(reached):
    """The colour of an attainment against the plan to date (the day's, the
    week's or the month's pace): "green", "amber" or "red", None without a
    plan.

    >>> pace(1.0), pace(0.8), pace(0.79), pace(None)
    ('green', 'amber', 'red', None)
    """
    if reached is None:
        return None
    if reached >= 1:
        return "green"
    return "amber" if reached >= PACE_AMBER else "red"


def week_start(day):
    """The Monday of ``day``'s week: the board's week to date starts there."""
    return day - timedelta(days=day.weekday())


def weighted_attainment(items):
    """``items``: (weight, attainment or None). Metrics without a plan do not count."""
    counted = [(weight, value) for weight, value in items if value is not None and weight > 0]
    weight_sum = sum(weight for weight, _value in counted)
    if not weight_sum:
        return None
    return sum(weight * value for weight, value in counted) / weight_sum


def overall_attainment(items, cap=None):
    """A person's attainment over all their metrics, as the board ranks it:
    ``items`` are (weight, plan, fact, higher_is_better); each metric counts up
    to ``cap``. Returns ``(attainment or None without any plan, capped)``."""
    weighted, capped = [], False
    for weight, plan, fact, higher_is_better in items:
        reached = attainment(plan, fact, higher_is_better)
        if cap is not None and reached is not None and reached > cap:
            reached, capped = cap, True
        weighted.append((weight, reached))
    return weighted_attainment(weighted), capped


def rank(rows):
    """Ranks ``rows`` of (key, attainment or None, name): best attainment first;
    equal attainments (to 4 decimals) by name, then by key; no plan last.
    Returns {key: rank}, ranks 1..n without gaps.
    """
    ordered = sorted(
        rows,
        key=lambda row: (
            row[1] is None,
            -round(row[1] or 0.0, 4),
            row[2] or "",
            row[0],
        ),
    )
    return {row[0]: position for position, row in enumerate(ordered, start=1)}
