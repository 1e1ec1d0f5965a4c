"""A phone system's call event: checked, and its numbers in one form.

``parse_event(body)`` turns the JSON body a PBX posts into clean values or
raises ``EventError`` naming the first thing wrong; ``e164(number,
country_code)`` writes a number as ``+<country><national>`` when the
``phonenumbers`` library (Odoo's ``phone_validation``) is not there to do it,
and ``national(e164, country_code)`` gives the national part back, the form
people type in their own country.
"""

import re
from datetime import UTC, datetime

DIRECTIONS = ("in", "out")
STATUSES = ("answered", "missed", "busy", "failed")
# Asterisk's and FreePBX's dispositions (their CDR's ``disposition``)
STATUS_WORDS = {"no answer": "missed", "noanswer": "missed", "congestion": "failed"}
SEPARATORS = re.compile(r"[\s\\./()\-]")
E164 = re.compile(r"^\+[1-9]\d{5,14}$")
MAX_TEXT = 256


class EventError(ValueError):
    """A body the contract refuses; ``str()`` is the reason told to the PBX."""


def e164(number, country_code):
    """``number`` as ``+<digits>``: ``00`` becomes ``+``, a national number
    gets the country code (a leading trunk ``0`` dropped); None when nothing
    of a number is left.

    >>> e164("601-234 567", "48"), e164("0048 601 234 567", "48")
    ('+48601234567', '+48601234567')
    """
    digits = SEPARATORS.sub("", number or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not digits.startswith("+"):
        if not country_code:
            return None
        digits = f"+{country_code}{digits.removeprefix('0')}"
    return digits if E164.match(digits) else None


def national(number_e164, country_code):
    """The national part of ``number_e164`` when it is of ``country_code``'s
    country, else None."""
    prefix = f"+{country_code}" if country_code else None
    if number_e164 and prefix and number_e164.startswith(prefix):
        return number_e164[len(prefix) :]
    return None


def _text(body, key, required=True):
    value = body.get(key)
    if value is None or value == "":
        if required:
            raise EventError(f"missing field: {key}")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise EventError(f"{key} must be a string")
    value = str(value).strip()
    if len(value) > MAX_TEXT:
        raise EventError(f"{key} is longer than {MAX_TEXT} characters")
    return value


def _start(body):
    text = _text(body, "start")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise EventError("start is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise EventError("start needs a UTC offset (e.g. 2026-03-10T09:15:00+01:00)")
    return moment.astimezone(UTC).replace(tzinfo=None)


def _duration(body):
    value = body.get("duration", 0)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise EventError("duration must be a number of seconds, 0 or more")
    return int(round(value))


def _choice(body, key, words):
    """The contract's value of ``key``: its word, lower case, looked up in
    ``words`` ({word: value})."""
    value = _text(body, key).lower()
    if value not in words:
        raise EventError(f"{key} must be one of: {', '.join(sorted(words))}")
    return words[value]


def direction_words(inbound="", outbound=""):
    """{word: "in"/"out"}: the contract's own words and those an integration
    adds, comma separated (``"inbound, incoming"``)."""
    words = {"in": "in", "out": "out"}
    for text, direction in ((inbound, "in"), (outbound, "out")):
        words.update({word.strip().lower(): direction for word in (text or "").split(",")})
    words.pop("", None)
    return words


def parse_event(body, directions=None):
    """The event's values (``start`` naive UTC, ``duration`` whole seconds),
    or ``EventError`` naming what is wrong. ``directions``: the words of
    ``direction_words``, the contract's own by default."""
    if not isinstance(body, dict):
        raise EventError("the body must be a JSON object")
    recording_url = _text(body, "recording_url", required=False)
    if recording_url and not recording_url.startswith(("http://", "https://")):
        raise EventError("recording_url must be an http(s) URL")
    return {
        "event_id": _text(body, "event_id"),
        "direction": _choice(body, "direction", directions or direction_words()),
        "number_from": _text(body, "from"),
        "number_to": _text(body, "to"),
        "start": _start(body),
        "duration": _duration(body),
        "status": _choice(body, "status", {**{s: s for s in STATUSES}, **STATUS_WORDS}),
        "recording_url": recording_url,
        "agent": _text(body, "agent"),
    }
