"""Planning backwards: from the money a period needs, through the funnel's
own conversion rates, to the calls, meetings and proposals of each person.

The chain, each step rounded up (a deal, a meeting or a call is whole)::

    won       = ceil(target / average order)
    proposals = ceil(won / (proposal -> won))
    meetings  = ceil(proposals / (meeting -> proposal))
    calls     = ceil(meetings / (call -> meeting))

The rates are ratios of the history's counts, kept exact (``Fraction``): 20
won at 8 won of 20 proposals is 50 proposals, not 49.999... rounded up to 51.
A step whose history is empty has no rate: ``ZeroHistory`` names it.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

# the steps of the chain, from the first to the last
CALL_MEETING = "call_meeting"
MEETING_PROPOSAL = "meeting_proposal"
PROPOSAL_WON = "proposal_won"


class ZeroHistory(ValueError):
    """A step of the chain has nothing to convert from (or nothing converted)."""

    def __init__(self, step):
        super().__init__(step)
        self.step = step


@dataclass(frozen=True)
class History:
    """What a team did over the history window."""

    calls: int  # calls made by its people
    meetings: int  # its leads that reached the meeting (qualifying) stage
    proposals: int  # its leads that reached the proposal (closers' first) stage
    won: int  # its leads won


@dataclass(frozen=True)
class Needs:
    """What the period needs, whole numbers."""

    won: int
    proposals: int
    meetings: int
    calls: int


def rates(history):
    """{step: Fraction} of the history; ``ZeroHistory`` for the first step,
    from the last one back, with nothing to convert from or nothing converted.

    >>> rates(History(calls=1000, meetings=100, proposals=50, won=20))[PROPOSAL_WON]
    Fraction(2, 5)
    """
    steps = (
        (PROPOSAL_WON, history.won, history.proposals),
        (MEETING_PROPOSAL, history.proposals, history.meetings),
        (CALL_MEETING, history.meetings, history.calls),
    )
    result = {}
    for step, converted, base in steps:
        if converted <= 0 or base <= 0:
            raise ZeroHistory(step)
        result[step] = Fraction(converted, base)
    return result


def needs(target, average_order, step_rates):
    """The period's needs for ``target`` money at ``average_order`` per deal.

    >>> needs(500000, 25000, rates(History(1000, 100, 50, 20)))
    Needs(won=20, proposals=50, meetings=100, calls=1000)
    """
    if target <= 0 or average_order <= 0:
        raise ValueError(f"Target {target} and average order {average_order} must be positive")
    won = math.ceil(Fraction(str(target)) / Fraction(str(average_order)))
    proposals = math.ceil(won / step_rates[PROPOSAL_WON])
    meetings = math.ceil(proposals / step_rates[MEETING_PROPOSAL])
    calls = math.ceil(meetings / step_rates[CALL_MEETING])
    return Needs(won=won, proposals=proposals, meetings=meetings, calls=calls)


def headcount(amount, per_day, working_days):
    """People needed to do ``amount`` in ``working_days`` at ``per_day`` each.

    >>> headcount(1000, 40, 21)
    2
    """
    if per_day <= 0 or working_days <= 0:
        raise ValueError(f"A norm of {per_day} a day over {working_days} days does nothing")
    return math.ceil(Fraction(amount) / (Fraction(str(per_day)) * working_days))


def weekdays(date_from, date_to):
    """Monday to Friday days from ``date_from`` to ``date_to``, both included."""
    days = (date_to - date_from).days + 1
    return sum(1 for offset in range(max(days, 0)) if (date_from + timedelta(offset)).weekday() < 5)


def history_window(today, months):
    """(first day, last day) of the ``months`` whole months before ``today``'s.

    >>> history_window(date(2027, 1, 15), 3)
    (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    """
    if months < 1:
        raise ValueError(f"The history needs at least one month, not {months}")
    last = today.replace(day=1) - timedelta(days=1)
    year, month = divmod(last.year * 12 + last.month - 1 - (months - 1), 12)
    first = date(year, month + 1, 1)
    return first, last
