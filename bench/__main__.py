"""Runs the benchmarks on a benchmark database, generating its data first.

    python -m bench --config .local/odoo.conf --database sdo_bench --leads 1000000 --only lead

Each ``bench/bench_<name>.py`` whose name contains ``--only`` runs in its own
cursor on a fresh environment; whatever it writes is rolled back. Exits 1 when
a benchmark raises (a missed target is a result, not an error), 3 when the
database holds other benchmark data (``make bench`` then rebuilds it).
"""

import argparse
import datetime
import importlib
import pkgutil
import sys
import time
import traceback

import bench
from bench import measure
from bench.context import Bench

STALE_DATA = 3  # exit code: the database holds other data; rebuild it


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True, help="odoo.conf of the database server")
    parser.add_argument("--database", required=True, help="a benchmark database (addon installed)")
    parser.add_argument("--leads", type=int, default=1_000_000, help="scale of the data")
    parser.add_argument("--only", default="", help="run only benchmarks whose name contains this")
    parser.add_argument(
        "--no-generate", action="store_true", help="run on the data as it is (no generator)"
    )
    parser.add_argument(
        "--clock",
        type=datetime.date.fromisoformat,
        help="YYYY-MM-DD: generate and run as on that day (10:00 UTC, ticking)",
    )
    parser.add_argument(
        "--calendar",
        action="store_true",
        help="only the benchmarks whose figures depend on the day (CALENDAR = True)",
    )
    return parser.parse_args(argv)


def discover(only=""):
    """Names of the benchmark modules (``bench_*``) containing ``only``, sorted."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules(bench.__path__)
        if info.name.startswith("bench_") and only in info.name
    )


def depends_on_the_day(name):
    return getattr(importlib.import_module(f"bench.{name}"), "CALENDAR", False)


def run_module(registry, module_name, leads):
    """Runs one benchmark module in its own cursor, rolled back afterwards."""
    from odoo import SUPERUSER_ID, api

    from bench.generate import read_marker

    module = importlib.import_module(f"bench.{module_name}")
    with registry.cursor() as cr:
        try:
            marker = read_marker(cr) or {"state": {}}
            company_ids = marker["state"].get("company_ids")
            # the generated companies, so that env.company holds the generated data
            context = {"allowed_company_ids": company_ids} if company_ids else {}
            env = api.Environment(cr, SUPERUSER_ID, context)
            runner = Bench(env, leads, out=lambda line: print(line, flush=True))
            module.run(runner)
        finally:
            cr.rollback()
            # the next benchmark must not see caches filled by rolled-back writes
            registry.clear_all_caches()
    if not runner.results:
        raise RuntimeError(f"{module_name} reported no figure (call bench.report)")
    return runner.results


def main(argv=None):
    args = parse_args(argv)
    from bench.generate import StaleData, ensure_data, open_registry, set_clock

    registry = open_registry(args.config, args.database)
    set_clock(registry, args.clock)
    if not args.no_generate:
        try:
            ensure_data(registry, args.leads)
        except StaleData as error:
            print(f"ERROR: {error}", flush=True)
            return STALE_DATA
        except Exception:  # the generator's own check failed: no figure is worth reading
            traceback.print_exc()
            print(measure.summary([], ["generate"]), flush=True)
            return 1
    names = discover(args.only)
    if args.calendar:
        names = [name for name in names if depends_on_the_day(name)]
    if not names:
        print(f"no benchmark matches {args.only!r}", flush=True)
        return 1
    failed, results = [], []
    for name in names:
        clock = f", clock {args.clock}" if args.clock else ""
        print(f"== {name} ({args.leads:,} leads{clock})", flush=True)
        start = time.perf_counter()
        try:
            results += run_module(registry, name, args.leads)
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
        print(f"  ({time.perf_counter() - start:.0f} s)", flush=True)
    if failed:
        print(f"benchmarks that failed: {', '.join(failed)}", flush=True)
    print(measure.summary(results, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
