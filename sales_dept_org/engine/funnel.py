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


def _share(part, whole):
    return part / whole if whole else None
