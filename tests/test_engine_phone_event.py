from datetime import datetime

import pytest

from sales_dept_org.engine.phone_event import (
    EventError,
    direction_words,
    e164,
    national,
    parse_event,
)

EVENT = {
    "event_id": "evt-1",
    "direction": "in",
    "from": "+48 601 234 567",
    "to": "101",
    "start": "2026-03-29T03:30:00+02:00",
    "duration": 61.6,
    "status": "answered",
    "agent": "101",
}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("+48 601 234 567", "+48601234567"),
        ("601-234-567", "+48601234567"),
        ("0048 601 234 567", "+48601234567"),
        ("(22) 555.01.02", "+48225550102"),
        ("0 22 555 01 02", "+48225550102"),  # a trunk 0 is dropped
        ("+44 20 7946 0018", "+442079460018"),  # another country's number kept
        ("101", None),  # an extension is no phone number
        ("anonymous", None),
        ("", None),
    ],
)
def test_e164_worked_by_hand(typed, expected):
    assert e164(typed, "48") == expected


def test_a_national_number_needs_a_country():
    assert e164("601 234 567", None) is None
    assert e164("+48 601 234 567", None) == "+48601234567"


def test_national_part():
    assert national("+48601234567", "48") == "601234567"
    assert national("+442079460018", "48") is None
    assert national(None, "48") is None


def test_a_valid_event():
    values = parse_event(EVENT)
    # 03:30 at +02:00 (Warsaw's first summer night) is 01:30 UTC
    assert values["start"] == datetime(2026, 3, 29, 1, 30)
    assert values["duration"] == 62
    assert (values["number_from"], values["number_to"]) == ("+48 601 234 567", "101")
    assert values["recording_url"] is None


def test_words_of_a_pbx():
    words = direction_words("inbound, From-PSTN", "")
    assert parse_event(dict(EVENT, direction="FROM-PSTN"), words)["direction"] == "in"
    assert parse_event(dict(EVENT, status="NO ANSWER"))["status"] == "missed"
    assert parse_event(dict(EVENT, status="CONGESTION"))["status"] == "failed"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"event_id": None}, "missing field: event_id"),
        ({"agent": ["101"]}, "agent must be a string"),
        ({"event_id": "x" * 257}, "event_id is longer than 256 characters"),
        ({"duration": "90"}, "duration must be a number of seconds, 0 or more"),
        ({"duration": True}, "duration must be a number of seconds, 0 or more"),
        (
            {"start": "2026-03-29 03:30"},
            "start needs a UTC offset (e.g. 2026-03-10T09:15:00+01:00)",
        ),
        ({"recording_url": "javascript:alert(1)"}, "recording_url must be an http(s) URL"),
    ],
)
def test_refused_events_name_the_reason(change, reason):
    with pytest.raises(EventError) as error:
        parse_event(dict(EVENT, **change))
    assert str(error.value) == reason


def test_the_body_must_be_an_object():
    with pytest.raises(EventError, match="the body must be a JSON object"):
        parse_event(["evt-1"])
