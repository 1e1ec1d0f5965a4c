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
        """Forget the ORM cache, so each timed call reads from the database.
        A measured call settles its own writes (:meth:`whole`), so what is
        flushed here is only the setup's."""
        self.env.invalidate_all()

    def settle(self):
        """What a commit does after a call: pending writes flushed, then the
        pre-commit work (tracking messages, chatter lines) run and flushed."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.flush_all()

    def whole(self, func):
        """``func`` followed by :meth:`settle`: its whole cost, as timed here."""

        def call():
            result = func()
            self.settle()
            return result

        return call

    def rolled_back(self, func, inspect=None):
        """``func`` in a savepoint, settled, then rolled back (each timed run
        does the same work); ``inspect(result)`` runs before the rollback."""

        def call():
            cr = self.env.cr
            cr.execute("SAVEPOINT bench_rolled_back")
            try:
                result = self.whole(func)()
                if inspect:
                    inspect(result)
            finally:
                cr.execute("ROLLBACK TO SAVEPOINT bench_rolled_back")
                cr.precommit.clear()
                cr.postcommit.clear()
                self.env.invalidate_all(flush=False)
            return result

        return call

    def time(self, func, repeat=5, warmup=1):
        """Median seconds of ``func()`` and its settling, cold cache before each call."""
        return measure.median_seconds(self.whole(func), repeat, warmup, setup=self.cold)

    def compare(self, subject, baseline, repeat=5, warmup=1):
        """Time ``subject`` against ``baseline`` alternately (cold cache each
        time, each settled inside its timing) and return ``subject / baseline``
        of the medians."""
        subject_s, baseline_s = measure.compare_seconds(
            self.whole(subject), self.whole(baseline), repeat, warmup, setup=self.cold
        )
        self.note(f"median {subject_s * 1000:.1f} ms vs baseline {baseline_s * 1000:.1f} ms")
        return measure.ratio(subject_s, baseline_s)

    def queries(self, func):
        """Number of SQL queries ``func()`` and its settling send (cold ORM cache)."""
        self.cold()
        cr = self.env.cr
        before = cr.sql_log_count
        self.whole(func)()
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
        return measure.report(self.results, name, ratio, target, self._out)
