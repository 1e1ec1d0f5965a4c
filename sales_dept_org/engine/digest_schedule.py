"""When a meeting digest is due: slots are wall-clock times in the company's
time zone; a slot is due from its start for ``grace`` of real time, then it
is missed for good (a digest of 08:30 posted at noon would be stale).

Times are hours as floats (8.5 is 08:30), as Odoo's float_time widget keeps
them. Slots of yesterday are looked at too, so a 23:50 slot run at 00:10 is
still due, dated the day it belongs to. A local time skipped by a spring DST
change is taken with the offset before the change (02:30 becomes 03:30
summer time); a time repeated in autumn counts once, at its first occurrence.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_GRACE = timedelta(minutes=45)
LAST_MINUTE = 23 * 60 + 59


def slot_minutes(hours):
    """Minutes after midnight of a float time; None when outside 00:00-23:59."""
    minutes = round(hours * 60)
    return minutes if 0 <= minutes <= LAST_MINUTE else None


def due_slot(now_utc, tz_name, slots, grace=DEFAULT_GRACE):
    """The slot to post now, as ``(name, local date)``, or None.

    ``now_utc`` is a naive UTC datetime (Odoo's), ``slots`` maps a name to
    hours. When two slots are within the grace time, the later one wins and
    the earlier is not back-filled."""
    zone = ZoneInfo(tz_name or "UTC")
    now = now_utc.replace(tzinfo=UTC)
    today = now.astimezone(zone).date()
    best = None
    for day in (today - timedelta(days=1), today):
        for name, hours in slots.items():
            minutes = slot_minutes(hours)
            if minutes is None:
                continue
            wall = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
            start = wall.astimezone(UTC)
            if timedelta(0) <= now - start < grace and (best is None or start > best[2]):
                best = (name, day, start)
    return best[:2] if best else None
