from datetime import datetime

from sales_dept_org.engine.stage_moves import classify_move, days_between

# new=1, qualified=2, proposal=3, negotiation=4, won=5
PIPELINE = [1, 2, 3, 4, 5]


def test_next_stage_is_forward_without_skip():
    move = classify_move(PIPELINE, 1, 2)
    assert (move.direction, move.skipped) == ("forward", ())


def test_jump_names_every_stage_between():
    # new → won jumps over qualified, proposal and negotiation
    move = classify_move(PIPELINE, 1, 5)
    assert (move.direction, move.skipped) == ("forward", (2, 3, 4))


def test_back_move_skips_nothing():
    move = classify_move(PIPELINE, 4, 1)
    assert (move.direction, move.skipped) == ("back", ())


def test_same_and_foreign_stages():
    assert classify_move(PIPELINE, 3, 3).direction == "same"
    # stage 9 belongs to another team's pipeline
    assert classify_move(PIPELINE, 3, 9).direction == "unknown"
    assert classify_move(PIPELINE, 9, 3).direction == "unknown"


def test_days_between_counts_fractions_and_never_goes_negative():
    # 2 days and 12 hours = 2.5 days
    assert days_between(datetime(2026, 1, 1, 0), datetime(2026, 1, 3, 12)) == 2.5
    assert days_between(datetime(2026, 1, 3), datetime(2026, 1, 1)) == 0.0
