"""Funnel maths: how many leads reached each stage and how many went on.

A lead "reached" a stage when its furthest stage is that one or a later one;
conversion is a ratio of reached counts, so skipping a stage never makes a
later conversion exceed 100%.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FunnelStep:
    reached: int
    to_next: float | None  # share of this stage's leads that reached the next one
    to_won: float | None  # share that reached the last (won) stage


def reached_counts(furthest_counts):
    """Turns "leads whose furthest stage is i" into "leads that reached stage i"."""
    if any(count < 0 for count in furthest_counts):
        raise ValueError(f"Stage counts cannot be negative: {list(furthest_counts)}")
    reached, running = [], 0
    for count in reversed(furthest_counts):
        running += count
        reached.append(running)
    return reached[::-1]


def funnel_steps(furthest_counts):
    """Steps of an ordered funnel whose last stage is won.

    >>> [(s.reached, s.to_next, s.to_won) for s in funnel_steps([5, 3, 2])]
    [(10, 0.5, 0.2), (5, 0.4, 0.4), (2, None, 1.0)]
    """
    reached = reached_counts(furthest_counts)
    won = reached[-1] if reached else 0
    steps = []
    for index, count in enumerate(reached):
        following = reached[index + 1] if index + 1 < len(reached) else None
        steps.append(
            FunnelStep(
                reached=count,
                to_next=_share(following, count) if following is not None else None,
                to_won=_share(won, count),
            )
        )
    return steps


@dataclass(frozen=True)
class FunnelStage:
    reached: int  # leads whose furthest stage is this one or later
    passed: int  # leads that went on to a later stage
    lost_there: int  # lost leads whose furthest stage is this one
    to_next: float | None
    to_won: float | None


def funnel_stages(furthest_counts, lost_counts):
    """Per stage of an ordered funnel whose last stage is won: reached, passed,
    lost there and the conversions.

    ``furthest_counts[i]``: leads whose furthest stage is i (lost ones
    included); ``lost_counts[i]``: the lost ones among them. A lead lost at a
    stage reached it but did not pass it.

    >>> [(s.reached, s.passed, s.lost_there) for s in funnel_stages([5, 3, 2], [1, 2, 0])]
    [(10, 5, 1), (5, 2, 2), (2, 0, 0)]
    """
    if len(lost_counts) != len(furthest_counts) or any(
        lost > count for lost, count in zip(lost_counts, furthest_counts, strict=True)
    ):
        raise ValueError(
            f"Lost counts {list(lost_counts)} must pair with stage counts "
            f"{list(furthest_counts)} and never exceed them"
        )
    steps = funnel_steps(furthest_counts)
    return [
        FunnelStage(
            reached=step.reached,
            passed=step.reached - furthest,
            lost_there=lost,
            to_next=step.to_next,
            to_won=step.to_won,
        )
        for step, furthest, lost in zip(steps, furthest_counts, lost_counts, strict=True)
    ]


def _share(part, whole):
    return part / whole if whole else None
