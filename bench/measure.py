"""Measuring helpers that need no Odoo: medians, ratios and the BENCH line.

Verdicts are always ratios of two measurements taken in the same run, so a
busy or slow machine slows both sides alike; a bare time is never a verdict.
"""

import statistics
import time
import tracemalloc


def median_seconds(func, repeat=5, warmup=1, setup=None):
    """Median wall time of ``func()`` over ``repeat`` runs, after ``warmup`` runs;
    ``setup()`` (e.g. clearing caches) runs before each call, outside the timing."""
    return statistics.median(_timings(func, repeat, warmup, setup))


def compare_seconds(subject, baseline, repeat=5, warmup=1, setup=None):
    """Medians of two callables timed alternately (A, B, A, B, ...), so that a
    neighbour's load spike hits both sides instead of one: (subject, baseline)."""
    for _ in range(warmup):
        _timings(subject, 1, 0, setup)
        _timings(baseline, 1, 0, setup)
    subject_times, baseline_times = [], []
    for _ in range(repeat):
        subject_times.extend(_timings(subject, 1, 0, setup))
        baseline_times.extend(_timings(baseline, 1, 0, setup))
    return statistics.median(subject_times), statistics.median(baseline_times)


def _timings(func, repeat, warmup, setup=None):
    times = []
    for run in range(warmup + repeat):
        if setup:
            setup()
        start = time.perf_counter()
        func()
        if run >= warmup:
            times.append(time.perf_counter() - start)
    return times


def memory_peak(func):
    """Peak of Python memory allocated while ``func()`` runs, in bytes."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def ratio(subject, baseline):
    """``subject / baseline``; a zero baseline with a zero subject is 1 (no change)."""
    if baseline <= 0:
        if subject <= 0:
            return 1.0
        raise ValueError(f"cannot compare {subject} to a baseline of {baseline}")
    return subject / baseline


def meets(value, target):
    """A ratio meets its target when it is at most the target (after rounding
    to the two decimals the line shows, so the printed verdict agrees with it)."""
    return round(value, 2) <= target


def bench_line(name, value, target):
    """The line tools read: ``BENCH <name>: <ratio>x (target <= <target>x) ok|MISSES``."""
    verdict = "ok" if meets(value, target) else "MISSES"
    return f"BENCH {name}: {value:.2f}x (target <= {target:g}x) {verdict}"


def report(results, name, value, target, out=print):
    """Writes the ``BENCH`` line of one figure with ``out`` and keeps
    ``(name, value, target, met)`` in ``results`` for the summary line;
    returns whether it met its target."""
    met = meets(value, target)
    results.append((name, value, target, met))
    out(bench_line(name, value, target))
    return met


def summary(results, failed):
    """The last line: ``BENCH SUMMARY: <ok> ok, <misses> misses, <errors> errors``
    (``results``: (name, ratio, target, met) of every figure; ``failed``: the
    benchmarks that raised)."""
    met = sum(1 for *_figure, ok in results if ok)
    return f"BENCH SUMMARY: {met} ok, {len(results) - met} misses, {len(failed)} errors"
