"""python -m bench.generate: fill a benchmark database (see --help)."""

import argparse
import sys

from . import StaleData, ensure_data, open_registry, set_clock

DESCRIPTION = """Writes benchmark data for sales_dept_org: a whole sales department
(companies, teams of salespeople with their sales roles, customers, leads over
every stage and ~24 months, activities, quotations and orders, posted invoices
and payments) scaled from the number of leads.

The data is written with bulk SQL (INSERT ... SELECT over copies of template
rows), NOT through the ORM: no business rule runs. Use it ONLY on a
benchmark database with the addon installed and no other data (make bench
builds one). Re-running with the same size reuses the data; a different size
needs a fresh database."""


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", required=True, help="odoo.conf of the database server")
    parser.add_argument("--database", required=True, help="the benchmark database to fill")
    parser.add_argument("--leads", type=int, default=1_000_000, help="scale (default 1,000,000)")
    args = parser.parse_args(argv)
    registry = open_registry(args.config, args.database)
    # the generator's SQL dates everything from bench_now(): on the real clock
    # here (python -m bench sets it, shifted or not, before it generates)
    set_clock(registry)
    try:
        ensure_data(registry, args.leads)
    except StaleData as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
