"""The Darwin principle: who did best last month gets more of this month's
leads. A table of attainment bands gives each member a weight: a band starts
at an attainment (in percent of plan) and holds up to the next one's start;
the hand-off (``handoff.py``) then divides each member's load by it.

The shipped table follows the idea that a plan met earns more leads and a
plan badly missed fewer: from 120% 1.5, from 100% 1.25, from 70% 1.0, below
0.5. A person without a plan keeps the neutral weight 1.
"""

NEUTRAL = 1.0
DEFAULT_BANDS = ((0.0, 0.5), (70.0, 1.0), (100.0, 1.25), (120.0, 1.5))


def check_bands(bands):
    """What is wrong with a table of ``(attainment from, weight)`` bands, as
    ``(problem, values)`` pairs for the caller to word; empty when it is
    sound: it starts at 0%, no two bands start at the same attainment, every
    weight is above 0 and a higher band never weighs less than a lower one
    (named: the heaviest band below it).

    >>> check_bands([(0, 1.0), (100, 0.5)])
    [('decreasing', {'start': 100, 'weight': 0.5, 'below': 0, 'below_weight': 1.0})]
    """
    if not bands:
        return [("empty", {})]
    problems = []
    ordered = sorted(bands)
    if ordered[0][0] != 0:
        problems.append(("no_zero", {"start": ordered[0][0]}))
    problems += [
        ("weight", {"start": start, "weight": weight}) for start, weight in ordered if weight <= 0
    ]
    highest = None  # the heaviest sound band below: (start, weight)
    for (start, weight), (next_start, next_weight) in zip(ordered, ordered[1:], strict=False):
        if weight > 0 and (highest is None or weight >= highest[1]):
            highest = (start, weight)
        if next_start == start:
            problems.append(("twice", {"start": start}))
        elif highest and 0 < next_weight < highest[1]:  # a weight of 0 or less is told already
            problems.append(
                (
                    "decreasing",
                    {
                        "start": next_start,
                        "weight": next_weight,
                        "below": highest[0],
                        "below_weight": highest[1],
                    },
                )
            )
    return problems


def weight_for(bands, attainment):
    """The weight of an attainment in percent (None: no plan, the neutral
    weight) in a sound table of bands."""
    if attainment is None:
        return NEUTRAL
    weight = NEUTRAL
    for start, band_weight in sorted(bands):
        if attainment < start:
            break
        weight = band_weight
    return weight
