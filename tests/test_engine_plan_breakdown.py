"""The plan breakdown's maths, worked by hand.

The article's example: 500,000 zł at 25,000 a deal is 20 deals won. With
40 % of proposals won (20 of 50), 50 % of meetings giving a proposal (50 of
100) and 10 % of calls giving a meeting (100 of 1,000): 50 proposals, 100
meetings and 1,000 calls. Every step rounds up: a deal, a meeting or a call
is whole, and too few is a plan missed.
"""

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_dept_org.engine.plan_breakdown import (
    CALL_MEETING,
    MEETING_PROPOSAL,
    PROPOSAL_WON,
    History,
    Needs,
    ZeroHistory,
    headcount,
    history_window,
    needs,
    rates,
    weekdays,
)

ARTICLE = History(calls=1000, meetings=100, proposals=50, won=20)


def test_the_article_example():
    assert needs(500_000, 25_000, rates(ARTICLE)) == Needs(
        won=20, proposals=50, meetings=100, calls=1000
    )


def test_rates_are_exact_fractions():
    assert rates(ARTICLE) == {
        PROPOSAL_WON: Fraction(2, 5),
        MEETING_PROPOSAL: Fraction(1, 2),
        CALL_MEETING: Fraction(1, 10),
    }


def test_every_step_rounds_up():
    # 510,000 / 25,000 = 20.4 -> 21 won; proposal -> won 5/20: 21 * 4 = 84;
    # meeting -> proposal 20/30: 84 * 3/2 = 126; call -> meeting 30/400:
    # 126 * 40/3 = 1680
    history = History(calls=400, meetings=30, proposals=20, won=5)
    assert needs(510_000, 25_000, rates(history)) == Needs(21, 84, 126, 1680)
    uneven = History(calls=41, meetings=3, proposals=3, won=1)
    # 2 won * 3 = 6 proposals; 6 / 1 = 6 meetings; 6 * 41 / 3 = 82 calls
    assert needs(40_000, 25_000, rates(uneven)) == Needs(2, 6, 6, 82)
    # 7 / (3/7) = 16.33 -> 17
    assert needs(7, 1, rates(History(7, 7, 7, 3))).proposals == 17


def test_money_in_cents_is_not_rounded_by_floats():
    # 0.3 / 0.1 is 2.9999999999999996 in floats: exactly 3 deals
    assert needs(0.3, 0.1, rates(ARTICLE)).won == 3


@pytest.mark.parametrize(
    ("history", "step"),
    [
        (History(1000, 100, 50, 0), PROPOSAL_WON),
        (History(1000, 100, 0, 0), PROPOSAL_WON),
        (History(1000, 0, 50, 20), MEETING_PROPOSAL),
        (History(0, 100, 50, 20), CALL_MEETING),
        (History(0, 0, 0, 0), PROPOSAL_WON),
    ],
)
def test_a_step_without_history_is_named(history, step):
    with pytest.raises(ZeroHistory) as raised:
        rates(history)
    assert raised.value.step == step


@pytest.mark.parametrize(("target", "average"), [(0, 25_000), (500_000, 0), (-1, 10)])
def test_a_target_or_average_order_not_positive_is_refused(target, average):
    with pytest.raises(ValueError):
        needs(target, average, rates(ARTICLE))


def test_headcount():
    # 1,000 calls at 40 a day over 21 days: 840 each, 2 people
    assert headcount(1000, 40, 21) == 2
    assert headcount(840, 40, 21) == 1
    assert headcount(0, 40, 21) == 0
    # 50 proposals at 2.5 a day over 20 days: exactly 1
    assert headcount(50, 2.5, 20) == 1
    with pytest.raises(ValueError):
        headcount(10, 0, 21)


def test_weekdays():
    assert weekdays(date(2027, 1, 1), date(2027, 1, 31)) == 21  # Fri 1st .. Sun 31st
    assert weekdays(date(2026, 2, 1), date(2026, 2, 28)) == 20
    assert weekdays(date(2027, 1, 2), date(2027, 1, 3)) == 0  # a weekend


@pytest.mark.parametrize(
    ("today", "months", "window"),
    [
        (date(2027, 1, 1), 3, (date(2026, 10, 1), date(2026, 12, 31))),
        (date(2027, 1, 15), 3, (date(2026, 10, 1), date(2026, 12, 31))),
        (date(2027, 1, 31), 3, (date(2026, 10, 1), date(2026, 12, 31))),
        (date(2026, 3, 31), 1, (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2026, 12, 15), 12, (date(2025, 12, 1), date(2026, 11, 30))),
    ],
)
def test_history_window_is_whole_months_before_this_one(today, months, window):
    assert history_window(today, months) == window


def test_history_window_needs_a_month():
    with pytest.raises(ValueError):
        history_window(date(2027, 1, 15), 0)


@given(
    st.integers(1, 10**7),
    st.integers(1, 10**5),
    st.integers(1, 500).flatmap(
        lambda won: st.tuples(
            st.just(won),
            st.integers(won, 2000).flatmap(
                lambda proposals: st.tuples(
                    st.just(proposals),
                    st.integers(proposals, 5000).flatmap(
                        lambda meetings: st.tuples(st.just(meetings), st.integers(1, 10**5))
                    ),
                )
            ),
        )
    ),
)
def test_the_needs_are_the_least_that_reach_the_target(target, average, counts):
    won, (proposals, (meetings, calls)) = counts
    history = History(calls=calls, meetings=meetings, proposals=proposals, won=won)
    step = rates(history)
    got = needs(target, average, step)
    # enough at each step, and one less would not be
    assert got.won * average >= target > (got.won - 1) * average
    assert got.proposals * step[PROPOSAL_WON] >= got.won > (got.proposals - 1) * step[PROPOSAL_WON]
    assert got.meetings * step[MEETING_PROPOSAL] >= got.proposals
    assert (got.meetings - 1) * step[MEETING_PROPOSAL] < got.proposals
    assert got.calls * step[CALL_MEETING] >= got.meetings > (got.calls - 1) * step[CALL_MEETING]
