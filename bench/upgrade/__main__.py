"""python -m bench.upgrade seed|snapshot|compare (make bench-upgrade runs them in turn)."""

import argparse
import sys

from bench.measure import report, summary

from . import snapshot

UPGRADE_SECONDS = 600  # the upgrade of the whole database, plan lines' day targets included


def _connect(config, database):
    import odoo

    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    return odoo.sql_db.db_connect(database).cursor()


def cmd_seed(args):
    from bench.generate import open_registry

    from .seed import seed

    seed(open_registry(args.config, args.database), args.plan_lines, args.locked_months)
    return 0


def cmd_snapshot(args):
    line_columns = snapshot.load(args.like)["line_columns"] if args.like else None
    with _connect(args.config, args.database) as cr:
        taken = snapshot.read(cr, line_columns)
    snapshot.save(args.out, taken)
    print(
        f"  {len(taken['counts'])} tables, {sum(taken['counts'].values()):,} rows, "
        f"{len(taken['sums'])} number columns, {len(taken['sheets'])} locked sheets"
    )
    return 0


def cmd_compare(args):
    before, after = snapshot.load(args.before), snapshot.load(args.after)
    differences, notes = snapshot.compare(before, after)
    for line in notes + [line for lines in differences.values() for line in lines]:
        print(f"  {line}")
    if not before["sheets"]:
        print("ERROR: no locked sheet before the upgrade: nothing to compare", file=sys.stderr)
        return 1
    results = []
    for name, value, target in (
        ("upgrade_seconds", args.seconds, UPGRADE_SECONDS),
        ("upgrade_counts_differ", len(differences["counts"]), 0),
        ("upgrade_sums_differ", len(differences["sums"]), 0),
        ("upgrade_locked_sheet_hashes_differ", len(differences["sheets"]), 0),
    ):
        report(results, name, value, target)
    print(summary(results, []))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.upgrade", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    seed = commands.add_parser("seed", help="plans and locked sheets, on the old code")
    seed.add_argument("--plan-lines", type=int, default=300_000)
    seed.add_argument("--locked-months", type=int, default=3)
    seed.set_defaults(func=cmd_seed)
    take = commands.add_parser("snapshot", help="counts, sums and locked sheets' hashes")
    take.add_argument("--out", required=True, help="JSON file written")
    take.add_argument("--like", help="an earlier snapshot: hash the sheets over its columns")
    take.set_defaults(func=cmd_snapshot)
    for sub in (seed, take):
        sub.add_argument("--config", required=True, help="odoo.conf of the database server")
        sub.add_argument("--database", required=True)
    compare = commands.add_parser("compare", help="the BENCH lines of two snapshots")
    compare.add_argument("--before", required=True)
    compare.add_argument("--after", required=True)
    compare.add_argument("--seconds", type=float, required=True, help="the upgrade's time")
    compare.set_defaults(func=cmd_compare)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
