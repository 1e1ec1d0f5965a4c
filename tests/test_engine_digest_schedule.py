from datetime import datetime, timedelta

from sales_dept_org.engine.digest_schedule import due_slot, slot_minutes

SLOTS = {"morning": 8.5, "checkin_1": 11.0, "checkin_2": 14.0, "checkin_3": 16.0}
WARSAW = "Europe/Warsaw"


def test_slot_minutes_bounds():
    assert slot_minutes(8.5) == 510
    assert slot_minutes(0) == 0
    assert slot_minutes(23 + 59 / 60) == 1439
    assert slot_minutes(24) is None
    assert slot_minutes(-0.1) is None


def test_winter_morning_in_warsaw():
    # January: Warsaw is UTC+1, so 08:30 local is 07:30 UTC
    assert due_slot(datetime(2026, 1, 12, 7, 29), WARSAW, SLOTS) is None
    assert due_slot(datetime(2026, 1, 12, 7, 30), WARSAW, SLOTS) == (
        "morning",
        datetime(2026, 1, 12).date(),
    )
    # 44 minutes late is still due; 45 is missed and not back-filled
    assert due_slot(datetime(2026, 1, 12, 8, 14), WARSAW, SLOTS)[0] == "morning"
    assert due_slot(datetime(2026, 1, 12, 8, 15), WARSAW, SLOTS) is None


def test_summer_uses_the_summer_offset():
    # July: UTC+2, 14:00 local is 12:00 UTC
    assert due_slot(datetime(2026, 7, 1, 12, 0), WARSAW, SLOTS)[0] == "checkin_2"
    assert due_slot(datetime(2026, 7, 1, 13, 0), WARSAW, SLOTS) is None


def test_dst_change_days():
    # 29 March 2026, clocks go 02:00 -> 03:00: 08:30 local is 06:30 UTC that day
    assert due_slot(datetime(2026, 3, 29, 6, 30), WARSAW, SLOTS)[0] == "morning"
    assert due_slot(datetime(2026, 3, 29, 7, 30), WARSAW, SLOTS) is None
    # 25 October 2026, back to winter time: 08:30 local is 07:30 UTC
    assert due_slot(datetime(2026, 10, 25, 6, 30), WARSAW, SLOTS) is None
    assert due_slot(datetime(2026, 10, 25, 7, 30), WARSAW, SLOTS)[0] == "morning"


def test_slot_skipped_by_spring_change_still_posts_once():
    # 02:30 does not exist on 29 March 2026; it is taken as 02:30 CET = 01:30 UTC
    slots = {"night": 2.5}
    assert due_slot(datetime(2026, 3, 29, 1, 30), WARSAW, slots) == (
        "night",
        datetime(2026, 3, 29).date(),
    )


def test_around_midnight_the_slot_keeps_its_day():
    slots = {"late": 23 + 50 / 60}
    # 23:50 Warsaw on 14 Jan = 22:50 UTC; at 00:10 local (23:10 UTC) it is still due,
    # dated the 14th although the local date is already the 15th
    assert due_slot(datetime(2026, 1, 14, 23, 10), WARSAW, slots) == (
        "late",
        datetime(2026, 1, 14).date(),
    )
    # 00:05 local on the 15th is 23:05 UTC on the 14th: the UTC date is not the slot date
    early = {"early": 5 / 60}
    assert due_slot(datetime(2026, 1, 14, 23, 5), WARSAW, early) == (
        "early",
        datetime(2026, 1, 15).date(),
    )


def test_two_slots_in_the_grace_time_only_the_later_posts():
    slots = {"a": 11.0, "b": 11.25}
    assert due_slot(datetime(2026, 1, 12, 10, 20), WARSAW, slots)[0] == "b"


def test_utc_default_and_custom_grace():
    assert due_slot(datetime(2026, 1, 12, 16, 5), False, SLOTS)[0] == "checkin_3"
    assert due_slot(datetime(2026, 1, 12, 16, 5), "UTC", SLOTS, grace=timedelta(minutes=5)) is None
