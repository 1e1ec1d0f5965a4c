from datetime import date, timedelta

from sales_dept_org.engine.norms import Norm, Shortfall, last_working_day, shortfalls
from sales_dept_org.engine.pay import discipline_score

CLOSER = Norm(calls_per_day=40, calls_per_hour=5, meetings_per_week=3)
MONDAY = date(2026, 3, 30)  # its week ends on Sunday 5 April
FRIDAY = MONDAY + timedelta(days=4)
WEEK = {MONDAY + timedelta(days=offset): 8.0 if offset < 5 else 0.0 for offset in range(7)}


def test_a_full_day_short_of_both_call_norms():
    # 32 calls in 8 hours: 32 of 40, 4.0 an hour of 5
    assert shortfalls(CLOSER, MONDAY, 32, 8.0, 0, FRIDAY) == [
        Shortfall("calls", 32, 40),
        Shortfall("calls_per_hour", 4.0, 5),
    ]


def test_exactly_the_norm_is_enough():
    assert shortfalls(CLOSER, MONDAY, 40, 8.0, 0, FRIDAY) == []


def test_a_half_day_is_held_to_the_hourly_norm_too():
    # 4 hours, 30 calls: 7.5 an hour is over 5, 30 is under 40
    assert shortfalls(CLOSER, MONDAY, 30, 4.0, 0, FRIDAY) == [Shortfall("calls", 30, 40)]
    # 18 calls in 4 hours: 4.5 an hour
    assert shortfalls(CLOSER, MONDAY, 18, 4.0, 0, FRIDAY)[1] == Shortfall("calls_per_hour", 4.5, 5)


def test_no_working_hours_no_check():
    assert shortfalls(CLOSER, MONDAY + timedelta(days=6), 0, 0.0, 0, FRIDAY) == []


def test_meetings_only_on_the_last_working_day_of_the_week():
    assert last_working_day(WEEK) == FRIDAY
    assert shortfalls(CLOSER, MONDAY + timedelta(days=3), 40, 8.0, 2, FRIDAY) == []
    assert shortfalls(CLOSER, FRIDAY, 40, 8.0, 2, FRIDAY) == [Shortfall("meetings", 2, 3)]
    assert shortfalls(CLOSER, FRIDAY, 40, 8.0, 3, FRIDAY) == []
    # Friday off: Thursday closes the week
    assert last_working_day(WEEK | {FRIDAY: 0.0}) == FRIDAY - timedelta(days=1)
    assert last_working_day({MONDAY: 0.0}) is None


def test_a_norm_of_zero_is_not_checked():
    assert shortfalls(Norm(0, 0, 0), FRIDAY, 0, 8.0, 0, FRIDAY) == []


def test_each_norm_missed_costs_five_points_a_day():
    # 10 days counted, 4 norms missed in them: 100 - 5 * 4 / 10 = 98
    assert discipline_score({"activity_shortfalls": 4}, 10) == 98
