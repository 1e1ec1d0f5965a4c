"""Benchmark data: a whole sales department written with bulk SQL.

FOR BENCHMARK DATABASES ONLY. Rows are written with ``INSERT ... SELECT``
(copies of ORM-made template rows), not through the ORM: no business rule,
constraint method or tracking runs. Never point it at a real database.

The data is built by a list of steps (:data:`STEPS`, in order). A marker in
``ir_config_parameter`` (``sales_dept_org.bench_data``) records the size and
the steps done with their versions: a second run with the same size only runs
steps that are new or became applicable (a table the addon gained since); a
different size, or a changed step version, needs a fresh database
(``make bench`` drops and rebuilds it).

Adding a step (see bench/README.md)::

    @step("my_counts", version=1, applies=lambda gen: gen.has_table("my_table"))
    def my_counts(gen):
        gen.cr.execute(SQL("INSERT INTO my_table ... SELECT ... FROM crm_lead ..."))
"""

import json
import os
import time
from dataclasses import dataclass
from collections.abc import Callable

from odoo.tools import SQL

from . import bulk
from ..sizes import department_sizes, teams_from_env

MARKER_KEY = "sales_dept_org.bench_data"


class StaleData(Exception):
    """The database holds other benchmark data (or none it can extend)."""


@dataclass(frozen=True)
class Step:
    name: str
    version: int
    func: Callable
    applies: Callable


STEPS = []


def step(name, version=1, applies=None):
    """Registers a generator step; steps run in the order they are registered
    (the import order of the step modules below). ``applies(gen)`` says whether
    the step has anything to fill in this database (default: always)."""

    def register(func):
        if any(existing.name == name for existing in STEPS):
            raise ValueError(f"two generator steps are named {name!r}")
        STEPS.append(Step(name, version, func, applies or (lambda gen: True)))
        return func

    return register


class Generation:
    """What a step gets: the environment, the sizes, and shared state that is
    saved in the marker (``gen.state``, e.g. the ids of the companies)."""

    def __init__(self, env, sizes, state):
        self.env = env
        self.cr = env.cr
        self.sizes = sizes
        self.state = state

    def has_table(self, table):
        return bulk.has_table(self.cr, table)

    def columns(self, table):
        return bulk.columns(self.cr, table)

    def ref(self, xmlid):
        return self.env.ref(xmlid).id

    def log(self, text):
        print(f"  {text}", flush=True)


def open_registry(config, database):
    """Loads Odoo's configuration and the database's registry (quiet logs)."""
    import odoo

    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    return odoo.modules.registry.Registry(database)


def set_clock(registry, day=None):
    """Sets the clock of this process and of the database's ``bench_now()`` to
    10:00 UTC of ``day`` (a date; None: the real clock), ticking from there:
    the generator and the benchmarks then date everything from that day."""
    import datetime

    offset = 0
    if day is not None:
        import freezegun

        moment = datetime.datetime.combine(day, datetime.time(10))
        offset = (moment - datetime.datetime.utcnow()).total_seconds()
        freezegun.freeze_time(moment, tick=True).start()
    with registry.cursor() as cr:
        cr.execute(bulk.clock_function(offset))


def read_marker(cr):
    cr.execute(
        SQL("SELECT value FROM ir_config_parameter WHERE key = %s", MARKER_KEY),
    )
    row = cr.fetchone()
    return json.loads(row[0]) if row else None


def _write_marker(env, marker):
    env["ir.config_parameter"].sudo().set_param(MARKER_KEY, json.dumps(marker))


def _check_reusable(cr, marker, lead_count, teams, day):
    if marker is None:
        cr.execute(SQL("SELECT EXISTS (SELECT 1 FROM crm_lead)"))
        if cr.fetchone()[0]:
            raise StaleData(
                "this database already has leads and no benchmark marker: "
                "the generator only fills fresh benchmark databases"
            )
        return
    if marker.get("day") != day:
        raise StaleData(
            f"this database holds benchmark data generated on {marker.get('day') or 'another day'}"
            f", not on {day}: the data is dated from the day it is generated"
            " (make bench rebuilds it)"
        )
    if marker["leads"] != lead_count:
        raise StaleData(
            f"this database holds benchmark data for {marker['leads']:,} leads, not "
            f"{lead_count:,}: use a fresh database (make bench rebuilds it)"
        )
    # a marker written before BENCH_TEAMS holds teams scaled from the leads
    if marker.get("teams", department_sizes(lead_count).teams) != teams:
        raise StaleData(
            f"this database holds benchmark data for "
            f"{marker.get('teams') or department_sizes(lead_count).teams:,} teams, not "
            f"{teams:,}: use a fresh database (make bench rebuilds it)"
        )
    changed = [
        step.name
        for step in STEPS
        if step.name in marker["steps"] and marker["steps"][step.name] != step.version
    ]
    if changed:
        raise StaleData(
            f"generator steps changed since this data was made ({', '.join(changed)}): "
            "use a fresh database (make bench rebuilds it)"
        )


def _sync_cloned(gen):
    """Derived columns of the rows a step wrote in bulk, set from their sources."""
    if bulk.WRITTEN:
        tables = set(bulk.WRITTEN)
        bulk.WRITTEN.clear()
        changed = orm_columns.sync(gen.env, tables)
        gen.state["bulk_tables"] = sorted(tables | set(gen.state.get("bulk_tables", ())))
        gen.log(f"{changed:,} related or computed values set from their sources")


def ensure_data(registry, lead_count):
    """Generates the department for ``lead_count`` leads (and ``BENCH_TEAMS``
    teams, when set), or reuses what is there. Each step commits on its own, so
    an interrupted run resumes where it stopped."""
    from odoo import SUPERUSER_ID, api, fields

    sizes = department_sizes(lead_count, teams_from_env(os.environ))
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        marker = read_marker(cr)
        day = fields.Date.to_string(fields.Date.today())  # the set clock's, if any
        _check_reusable(cr, marker, lead_count, sizes.teams, day)
        marker = marker or {
            "leads": lead_count,
            "teams": sizes.teams,
            "day": day,
            "steps": {},
            "state": {},
        }
        gen = Generation(env, sizes, marker["state"])
        pending = [s for s in STEPS if s.name not in marker["steps"]]
        if not any(s.applies(gen) for s in pending):
            print(
                f"Benchmark data for {lead_count:,} leads in {sizes.teams:,} teams"
                " is in place (reused).",
                flush=True,
            )
            return False
        print(
            f"Generating benchmark data for {lead_count:,} leads in {sizes.teams:,} teams"
            " (bulk SQL).",
            flush=True,
        )
        cr.execute(bulk.RAND_FUNCTION)
        # index builds (bulk_load) get memory; losing the last commit on a crash is fine
        cr.execute(SQL("SET maintenance_work_mem = '512MB'"))
        cr.execute(SQL("SET synchronous_commit = off"))
        total = time.perf_counter()
        for current in pending:
            if not current.applies(gen):  # asked now: an earlier step may have settled it
                continue
            start = time.perf_counter()
            current.func(gen)
            _sync_cloned(gen)
            marker["steps"][current.name] = current.version
            _write_marker(env, marker)
            env.flush_all()
            cr.commit()
            print(f"step {current.name}: {time.perf_counter() - start:.1f} s", flush=True)
        # fresh statistics, or the planner guesses on tables it thinks are empty
        cr.execute(SQL("ANALYZE"))
        cr.commit()
        print(f"Generated in {time.perf_counter() - total:.0f} s.", flush=True)
        return True


# The steps, in the order they run (each module registers its own).
from . import people  # noqa: E402
from . import customers  # noqa: E402
from . import leads  # noqa: E402
from . import activities  # noqa: E402
from . import sales  # noqa: E402
from . import invoices  # noqa: E402
from . import stage_log  # noqa: E402
from . import organisation  # noqa: E402
from . import lead_flags  # noqa: E402
from . import lead_roles  # noqa: E402
from . import kpi  # noqa: E402
from . import orm_columns  # noqa: E402
