from datetime import date
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_dept_org.engine.kpi import (
    RANKING_CAP,
    attainment,
    days_between,
    intersect_days,
    overall_attainment,
    pace,
    rank,
    split_by_weights,
    spread,
    trainee_capacity,
    trainee_target,
    week_start,
    weighted_attainment,
)


def test_split_sums_to_the_cent_remainder_to_earliest():
    # 100.00 / 3 = 33.333..: 3 x 33.33 = 99.99, the spare cent to the first (all tie)
    assert split_by_weights(100, [1, 1, 1]) == [33.34, 33.33, 33.33]
    # 10.00 by 1:2:3 -> 1.666.., 3.333.., 5.0: floors 1.66 + 3.33 + 5.00 = 9.99;
    # largest fraction: 1.666 (0.6) vs 3.333 (0.3) -> first gets the cent
    assert split_by_weights(10, [1, 2, 3]) == [1.67, 3.33, 5.0]
    parts = split_by_weights(1234.57, [0.7, 1.3, 2, 0.01])
    assert round(sum(parts), 2) == 1234.57


def exact_split(total, weights, digits=2):
    """The split by the definition, in fractions: each part's exact share of
    the cents floored, the spare cents to the largest remainders, earliest first."""
    cents = round(Fraction(str(total)) * 10**digits)
    units = [Fraction(str(weight)) for weight in weights]
    shares = [cents * unit / sum(units) for unit in units]
    floors = [share.numerator // share.denominator for share in shares]
    order = sorted(range(len(shares)), key=lambda i: (floors[i] - shares[i], i))
    for index in order[: cents - sum(floors)]:
        floors[index] += 1
    return [float(Fraction(part, 10**digits)) for part in floors]


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    st.lists(
        st.one_of(
            st.integers(min_value=0, max_value=1000),
            st.floats(min_value=0, max_value=24, allow_nan=False),
        ),
        min_size=1,
        max_size=31,
    ).filter(any),
)
def test_split_is_the_exact_proportional_split(total, weights):
    parts = split_by_weights(float(total), weights)
    assert parts == exact_split(float(total), weights)
    assert sum(Fraction(str(part)) for part in parts) == Fraction(str(float(total)))


def test_split_refuses_zero_and_negative_weights():
    with pytest.raises(ValueError, match="sum to zero"):
        split_by_weights(10, [0, 0])
    with pytest.raises(ValueError, match="negative"):
        split_by_weights(10, [1, -1])


def test_intersect_days():
    jan = (date(2026, 1, 1), date(2026, 1, 31))
    assert intersect_days(*jan, date(2026, 1, 25), date(2026, 2, 5)) == (7, 31)
    assert intersect_days(*jan, date(2026, 2, 1), date(2026, 2, 5)) == (0, 31)


def test_spread_follows_capacity_and_sums_exactly():
    days = days_between(date(2026, 1, 5), date(2026, 1, 9))  # Mon..Fri
    capacity = dict.fromkeys(days, 8.0)
    capacity[date(2026, 1, 6)] = 0.0  # a holiday
    spreaded = spread(100, capacity)
    # 4 working days: 25 each, the holiday nothing
    assert spreaded == {
        date(2026, 1, 5): 25.0,
        date(2026, 1, 6): 0.0,
        date(2026, 1, 7): 25.0,
        date(2026, 1, 8): 25.0,
        date(2026, 1, 9): 25.0,
    }
    # 10 over 3 equal days: 3.34 + 3.33 + 3.33
    three = spread(10, dict.fromkeys(days[:3], 1.0))
    assert list(three.values()) == [3.34, 3.33, 3.33]


def test_spread_without_any_capacity_keeps_the_total():
    days = days_between(date(2026, 1, 1), date(2026, 1, 4))
    assert spread(10, dict.fromkeys(days, 0.0)) == dict(zip(days, [2.5] * 4, strict=True))


def test_trainee_scaling():
    days = days_between(date(2026, 1, 1), date(2026, 1, 20))
    capacity = dict.fromkeys(days, 8.0)
    # 10 days at half (4 h) + 10 days full (8 h) = 120 of 160 h -> 0.75 of 1000
    assert trainee_target(1000, capacity, date(2026, 1, 10), 0.5) == 750.0
    scaled = trainee_capacity(capacity, date(2026, 1, 10), 0.5)
    assert scaled[date(2026, 1, 10)] == 4.0 and scaled[date(2026, 1, 11)] == 8.0
    assert trainee_target(1000, capacity, None, 0.5) == 1000.0


def test_attainment_and_weights():
    assert attainment(100, 50) == 0.5
    assert attainment(100, 500) == 5.0  # no cap unless asked
    assert attainment(100, 500, cap=RANKING_CAP) == 2.0  # the board's ranking cap
    assert attainment(100, -20) == 0  # refunds beyond sales: never below 0
    assert attainment(0, 5) is None
    assert attainment(-10, 5) is None
    assert attainment(D(200), D(50)) == D("0.25")  # Decimals stay Decimals (pay)
    assert attainment(4, 2, higher_is_better=False) == 1.0
    assert attainment(4, 8, higher_is_better=False) == 0.5
    # (2 * 0.5 + 1 * 1.0) / 3
    assert weighted_attainment([(2, 0.5), (1, 1.0), (5, None)]) == pytest.approx(2 / 3)
    assert weighted_attainment([(1, None)]) is None


def test_rank_ties_by_name_then_key():
    ranks = rank(
        [(3, 0.5, "Bob"), (1, 0.8, "Zoe"), (2, 0.5, "Ann"), (4, None, "Al"), (5, 0.5, "Bob")]
    )
    assert ranks == {1: 1, 2: 2, 3: 3, 5: 4, 4: 5}


def test_pace_colours_against_the_plan_to_date():
    # on or over the pace green, from 80% of it amber, under red, no plan none
    assert [pace(value) for value in (1.5, 1.0, 0.999, 0.8, 0.7999, 0.0, None)] == [
        "green",
        "green",
        "amber",
        "amber",
        "red",
        "red",
        None,
    ]
    # less is better: 6 overdue tasks for a plan of 4 is 4 / 6 = 67% of the pace
    assert pace(attainment(4, 6, higher_is_better=False)) == "red"
    assert pace(attainment(4, 3, higher_is_better=False)) == "green"


def test_the_week_starts_on_monday():
    # Wednesday 18 March 2026 -> Monday 16; a Monday is its own week's start;
    # Sunday 1 March belongs to the week of Monday 23 February
    assert week_start(date(2026, 3, 18)) == date(2026, 3, 16)
    assert week_start(date(2026, 3, 16)) == date(2026, 3, 16)
    assert week_start(date(2026, 3, 1)) == date(2026, 2, 23)


def test_overall_attainment_weights_and_caps_each_metric():
    # revenue 30,000 of 20,000 = 150%, capped at 120%, weight 2; calls 80 of
    # 100 = 80%, weight 1; overdue tasks 4 against a plan of 2 = 50%, weight 1;
    # a metric without plan does not count: (2 * 1.2 + 0.8 + 0.5) / 4 = 0.925
    items = [
        (2, 20_000, 30_000, True),
        (1, 100, 80, True),
        (1, 2, 4, False),
        (5, 0, 7, True),
    ]
    value, capped = overall_attainment(items, cap=1.2)
    assert value == pytest.approx(0.925)
    assert capped
    # uncapped: (2 * 1.5 + 0.8 + 0.5) / 4 = 1.075
    assert overall_attainment(items) == (pytest.approx(1.075), False)
    assert overall_attainment([(1, 0, 5, True)]) == (None, False)
