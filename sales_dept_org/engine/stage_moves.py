"""Stage moves in an ordered pipeline: forward, back, and the stages skipped.

A pipeline is the ordered list of stage ids a lead's team sees. A move is
"forward" when the target comes later in that order, "back" when earlier; the
stages strictly between the two are the ones a forward move skips. A stage
outside the pipeline (another team's) is neither: nothing can be said of it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class StageMove:
    direction: str  # "forward", "back", "same" or "unknown"
    skipped: tuple  # ids of the stages jumped over by a forward move


def classify_move(pipeline, from_id, to_id):
    """Direction of a move from ``from_id`` to ``to_id`` in ``pipeline``."""
    if from_id == to_id:
        return StageMove("same", ())
    if from_id not in pipeline or to_id not in pipeline:
        return StageMove("unknown", ())
    start, end = pipeline.index(from_id), pipeline.index(to_id)
    if end < start:
        return StageMove("back", ())
    return StageMove("forward", tuple(pipeline[start + 1 : end]))


def days_between(start, end):
    """Whole and fractional days from ``start`` to ``end`` (datetimes), never negative."""
    return max((end - start).total_seconds(), 0.0) / 86400.0
