"""Activity norms: what a day that ended falls short of.

A person's day is checked against their role's norms (calls a day, calls an
hour, meetings a week) only when it was a working day for them:

- calls a day: the calls made that day;
- calls an hour: the calls of the day divided by the day's working hours;
- meetings a week: the meetings from Monday up to the day, checked on the
  last working day of the week only.

A norm of 0 is not checked.
"""

from collections import namedtuple

Norm = namedtuple("Norm", "calls_per_day calls_per_hour meetings_per_week")
# what fell short: "calls", "calls_per_hour" or "meetings"; done; the norm
Shortfall = namedtuple("Shortfall", "kind done norm")


def last_working_day(week_hours):
    """The last day with working hours of ``week_hours`` ({day: hours}), or None."""
    return max((day for day, hours in week_hours.items() if hours > 0), default=None)


def shortfalls(norm, day, calls, hours, week_meetings, week_last_day):
    """[Shortfall] of ``day``: ``calls`` made on it, ``hours`` worked,
    ``week_meetings`` held from Monday to it, ``week_last_day`` the last
    working day of its week."""
    if hours <= 0:
        return []
    result = []
    if norm.calls_per_day and calls < norm.calls_per_day:
        result.append(Shortfall("calls", calls, norm.calls_per_day))
    if norm.calls_per_hour and calls < norm.calls_per_hour * hours:
        result.append(Shortfall("calls_per_hour", round(calls / hours, 1), norm.calls_per_hour))
    if norm.meetings_per_week and day == week_last_day and week_meetings < norm.meetings_per_week:
        result.append(Shortfall("meetings", week_meetings, norm.meetings_per_week))
    return result
