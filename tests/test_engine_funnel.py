import pytest

from sales_dept_org.engine.funnel import funnel_stages, funnel_steps, reached_counts


def test_reached_counts_accumulate_from_the_end():
    # 4 stopped at new, 3 at qualified, 2 at proposal, 1 won
    assert reached_counts([4, 3, 2, 1]) == [10, 6, 3, 1]


def test_funnel_steps_worked_by_hand():
    steps = funnel_steps([4, 3, 2, 1])
    assert [step.reached for step in steps] == [10, 6, 3, 1]
    assert [step.to_next for step in steps] == [0.6, 0.5, pytest.approx(1 / 3), None]
    assert [step.to_won for step in steps] == [0.1, pytest.approx(1 / 6), pytest.approx(1 / 3), 1.0]


def test_empty_stage_has_no_conversion():
    steps = funnel_steps([0, 0, 0])
    assert [(step.to_next, step.to_won) for step in steps] == [(None, None)] * 3


def test_negative_count_is_refused_with_the_counts():
    with pytest.raises(ValueError, match=r"\[3, -1\]"):
        funnel_steps([3, -1])


def test_doctest_example_holds():
    steps = funnel_steps([5, 3, 2])
    assert [(s.reached, s.to_next, s.to_won) for s in steps] == [
        (10, 0.5, 0.2),
        (5, 0.4, 0.4),
        (2, None, 1.0),
    ]


def test_funnel_stages_reached_passed_lost_by_hand():
    # furthest stage: 4 at new (2 of them lost), 3 at qualified (1 lost), 2 at proposal, 1 won
    stages = funnel_stages([4, 3, 2, 1], [2, 1, 0, 0])
    # reached 10, 6, 3, 1; passed = reached - stopped there: 6, 3, 1, 0
    assert [(s.reached, s.passed, s.lost_there) for s in stages] == [
        (10, 6, 2),
        (6, 3, 1),
        (3, 1, 0),
        (1, 0, 0),
    ]
    assert [s.to_next for s in stages] == [0.6, 0.5, pytest.approx(1 / 3), None]


def test_funnel_stages_refuse_more_lost_than_stopped():
    with pytest.raises(ValueError, match=r"\[3, 0\]"):
        funnel_stages([2, 1], [3, 0])
    with pytest.raises(ValueError):
        funnel_stages([2, 1], [0])
