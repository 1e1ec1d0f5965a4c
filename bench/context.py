"""What a benchmark module receives: the environment and the measuring tools.

``run(bench)`` in a ``bench/bench_<name>.py`` module gets a :class:`Bench`:
``bench.env`` (superuser in the generated companies, on a cursor the runner
rolls back afterwards), ``bench.leads`` (the scale), ``bench.people(role)``,
and helpers that measure and report ratios.
"""

from . import measure


class Bench:
    def __init__(self, env, leads, out=print):
        self.env = env
        self.leads = leads
        self.results = []  # (name, ratio, target, met)
        self._out = out

    def people(self, role):
        """Users of the generated department with this sales role (hunter,
        closer, farmer, head, universal), e.g. to run as ``env(user=...)``."""
        employees = self.env["hr.employee"].search([("sales_role", "=", role)], order="id")
        return employees.user_id

    def as_user(self, user):
        """The environment of ``user`` in their own companies (record rules apply)."""
        return self.env(
            user=user, context=dict(self.env.context, allowed_company_ids=user.company_ids.ids)
        )

    # -- measuring ------------------------------------------------------
    def cold(self):
        """Forget the ORM cache, so each timed call reads from the database."""
        self.env.invalidate_all()

    def time(self, func, repeat=5, warmup=1):
        """Median seconds of ``func()`` with a cold ORM cache before each call."""
        return measure.median_seconds(func, repeat, warmup, setup=self.cold)

    def compare(self, subject, baseline, repeat=5, warmup=1):
        """Time ``subject`` against ``baseline`` alternately (cold cache each
        time) and return ``subject / baseline`` of the medians."""
        subject_s, baseline_s = measure.compare_seconds(
            subject, baseline, repeat, warmup, setup=self.cold
        )
        self.note(f"median {subject_s * 1000:.1f} ms vs baseline {baseline_s * 1000:.1f} ms")
        return measure.ratio(subject_s, baseline_s)

    def queries(self, func):
        """Number of SQL queries ``func()`` sends (cold ORM cache)."""
        self.cold()
        cr = self.env.cr
        before = cr.sql_log_count
        func()
        return cr.sql_log_count - before

    def memory(self, func):
        """Peak Python memory of ``func()`` in bytes (cold ORM cache)."""
        self.cold()
        return measure.memory_peak(func)

    # -- reporting ------------------------------------------------------
    def note(self, text):
        """Context for a human reader (not read by tools)."""
        self._out(f"  {text}")

    def report(self, name, ratio, target):
        """Prints the ``BENCH`` line of one figure; returns whether it met the target."""
        met = measure.meets(ratio, target)
        self.results.append((name, ratio, target, met))
        self._out(measure.bench_line(name, ratio, target))
        return met
