"""A company's day: which local date a moment falls on, and when a local
date starts in UTC. Odoo keeps moments as naive UTC datetimes; the time zone
is the company's (``res.company._sales_tz`` chooses it), this is only the
arithmetic, so that a fact, a digest, a discipline count and the money of the
day fall on the same date for the same moment.

A local midnight skipped by a daylight-saving change is taken with the offset
before the change.
"""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo


def local_date(moment_utc, tz_name):
    """The date ``moment_utc`` (naive UTC) falls on in ``tz_name``.

    >>> local_date(datetime(2026, 3, 10, 23, 30), "Europe/Warsaw")
    datetime.date(2026, 3, 11)
    """
    return moment_utc.replace(tzinfo=UTC).astimezone(ZoneInfo(tz_name or "UTC")).date()


def day_start_utc(day, tz_name):
    """The naive UTC moment at which ``day`` starts in ``tz_name``.

    >>> day_start_utc(date(2026, 3, 11), "Europe/Warsaw")
    datetime.datetime(2026, 3, 10, 23, 0)
    """
    local = datetime.combine(day, time.min, tzinfo=ZoneInfo(tz_name or "UTC"))
    return local.astimezone(UTC).replace(tzinfo=None)
