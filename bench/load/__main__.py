"""python -m bench.load: the department under load on two Odoo servers.

    python -m bench.load --config .local/odoo.conf --database sdo_bench_load

Writes to the database (passwords, moves, sheets, digests): give it a copy of
a benchmark database (``make bench-load`` does). First the idle p95 of a
stage move (one session, nothing else running), then the load. Prints the
``BENCH`` lines:

- ``load_lost_updates``: acknowledged moves whose lead is not in the stage
  written, or whose open stage log row is not (target 0);
- ``load_duplicate_sheet_lines``, ``load_duplicate_digest_posts``,
  ``load_duplicate_stage_log_rows`` (target 0);
- ``load_serialization_retries``: retries the servers logged per call
  (target <= 0.05);
- ``load_stage_move_p95_vs_idle`` (target <= 3x);
- ``load_calls_refused``: moves the servers refused or did not answer (0).

Bounded: the calls stop at ``--timeout`` seconds; the servers are killed on
the way out, also on failure, Ctrl-C or SIGTERM.
"""

import argparse
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bench import measure
from bench.generate import open_registry

from . import plan as load_plan
from . import rpc, servers

# a call retried by Odoo (or given up), and a job that failed on a conflict
# (the cron worker runs it again)
RETRY_LINE = re.compile(
    r"tries left, try again in|maximum number of tries reached"
    r"|^psycopg2\.errors\.(SerializationFailure|DeadlockDetected)"
)
RACE_TRIES = 5
WARM_ROUNDS = 3


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--config", required=True, help="odoo.conf of the database server")
    parser.add_argument("--database", required=True, help="a copy of a benchmark database")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--moves", type=int, default=50, help="moves per session")
    parser.add_argument("--idle", type=int, default=20, help="stage moves timed idle")
    parser.add_argument("--workers", type=int, default=4, help="HTTP workers per server")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds for the whole load")
    parser.add_argument("--logdir", help="where the servers log (default: a new temporary folder)")
    return parser.parse_args(argv)


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)] if ordered else float("nan")


def log_in(urls, database, people):
    """A session per person, all logged in at once before anything is timed
    (people log in before their day's moves; a login checks the password,
    0.8 s of CPU here)."""
    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        return list(pool.map(lambda person: rpc.Session(urls, database, *person[:2]), people))


def warm_up(session, lead_ids, workers):
    """Calls, not timed, enough of them at once to reach every worker of
    both servers, ``WARM_ROUNDS`` times: a worker's first request builds
    its routing map and caches (0.5 s to 1 s here), no stage move's cost."""
    calls = workers * len(session.urls)
    with ThreadPoolExecutor(max_workers=calls) as pool:
        for _round in range(WARM_ROUNDS):
            list(
                pool.map(
                    lambda _call: session.execute("crm.lead", "read", lead_ids, ["stage_id"]),
                    range(calls),
                )
            )


def run_session(session, steps, deadline):
    """One person's moves, one call each: ``[(lead id, stage id, kind,
    seconds, server, error or None)]``; no call starts after ``deadline``."""
    answers = []
    for lead_id, stage_id, kind in steps:
        if time.monotonic() > deadline:
            answers.append((lead_id, stage_id, kind, None, None, "not sent: time is up"))
            continue
        try:
            _result, seconds, server = session.execute(
                "crm.lead", "write", [lead_id], {"stage_id": stage_id}
            )
            answers.append((lead_id, stage_id, kind, seconds, server, None))
        except (rpc.Fault, OSError) as error:
            answers.append(
                (lead_id, stage_id, kind, None, getattr(error, "server", None), str(error)[:200])
            )
    return answers


def race_crons(registry, retries):
    """The bonus and digest jobs run once more on a session of their own,
    while the cron workers run them: the month lock and the digest's claim
    must keep each sheet line and post single."""
    import psycopg2.errorcodes

    from odoo import SUPERUSER_ID, api

    retry_codes = {psycopg2.errorcodes.SERIALIZATION_FAILURE, psycopg2.errorcodes.DEADLOCK_DETECTED}
    for model, method in (
        ("sales.digest.post", "_cron_post_digests"),
        ("sales.bonus.sheet", "_cron_compute_bonus_sheets"),
    ):
        for _try in range(RACE_TRIES):
            try:
                with registry.cursor() as cr:
                    getattr(api.Environment(cr, SUPERUSER_ID, {})[model], method)()
                break
            except psycopg2.OperationalError as error:
                if error.pgcode not in retry_codes:
                    raise
                retries.append(model)


def main(argv=None):
    args = parse_args(argv)
    registry = open_registry(args.config, args.database)
    plan = load_plan.prepare(registry, args.sessions, args.moves, args.idle)
    people = plan["people"]
    planned = sum(len(steps) for *_person, steps in people)
    heads = sum(1 for _l, _p, role, _s in people if role == "head")
    print(
        f"  {len(people)} sessions ({heads} heads, {len(people) - heads} hunters), "
        f"{planned} moves planned, {len(plan['idle'][3])} idle moves",
        flush=True,
    )
    logdir = args.logdir or tempfile.mkdtemp(prefix="bench-load-")
    race_retries = []
    with servers.two_servers(args.config, args.database, logdir, args.workers) as running:
        urls = [url for url, _log in running]
        start = time.monotonic()
        deadline = start + args.timeout
        sessions = log_in(urls, args.database, people)
        # the idle moves are the first person's (``load_plan.prepare``)
        warm_up(sessions[0], [lead_id for lead_id, *_step in plan["idle"][3]], args.workers)
        idle = run_session(sessions[0], plan["idle"][3], deadline)
        asked = load_plan.trigger_crons(registry)
        racer = threading.Thread(target=race_crons, args=(registry, race_retries), daemon=True)
        racer.start()
        # not a `with`: on Ctrl-C it would wait for the calls in flight
        # before the servers are killed
        pool = ThreadPoolExecutor(max_workers=len(people))
        try:
            loads = list(
                pool.map(
                    lambda session, person: run_session(session, person[3], deadline),
                    sessions,
                    people,
                )
            )
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        load_seconds = time.monotonic() - start
        racer.join(max(deadline - time.monotonic(), 1))
        failed = []
        while not load_plan.crons_done(registry, asked):
            if time.monotonic() > deadline:
                print(f"  the jobs did not all finish in {args.timeout} s: see {logdir}")
                failed.append("jobs")
                break
            time.sleep(5)
        print(f"  moves done in {load_seconds:.0f} s, jobs in {time.monotonic() - start:.0f} s")
    answers = [answer for session in loads for answer in session]
    acknowledged = [(lead, stage) for lead, stage, _k, _s, _v, error in answers if not error]
    refused = [answer for answer in answers if answer[5]]
    counts = load_plan.outcome(registry, plan, acknowledged)
    retried = 0
    for _url, log in running:
        with open(log, encoding="utf-8", errors="replace") as lines:
            retried += sum(1 for line in lines if RETRY_LINE.search(line))
    idle_p95 = p95([seconds for _l, _st, _k, seconds, _v, error in idle if not error])
    load_p95 = p95(
        [seconds for _l, _st, kind, seconds, _v, error in answers if kind == "stage" and not error]
    )
    per_server = [sum(1 for answer in answers if answer[4] == index) for index in range(2)]
    print(
        f"  {len(answers)} calls ({per_server[0]} and {per_server[1]} per server), "
        f"{len(acknowledged)} acknowledged, {len(refused)} refused or unanswered "
        f"{sorted({answer[5] for answer in refused})[:3]}"
    )
    print(
        f"  stage move p95: idle {idle_p95 * 1000:.0f} ms, under load {load_p95 * 1000:.0f} ms; "
        f"{retried} retries in the servers' logs, {len(race_retries)} of the separate session"
    )
    print(
        f"  {counts['lines']} bonus lines, {counts['digests']} digests claimed, "
        f"{counts['digest_posts']} posted; servers' logs in {logdir}"
    )
    results = []

    def report(name, value, target):
        measure.report(results, name, value, target, out=lambda line: print(line, flush=True))

    report("load_lost_updates", len(counts["lost"]), 0)
    report("load_duplicate_sheet_lines", counts["sheet_duplicates"], 0)
    report("load_duplicate_digest_posts", counts["digest_duplicates"], 0)
    report("load_duplicate_stage_log_rows", counts["log_duplicates"], 0)
    report("load_serialization_retries", retried / max(len(answers), 1), 0.05)
    report("load_stage_move_p95_vs_idle", measure.ratio(load_p95, idle_p95), 3.0)
    report("load_calls_refused", len(refused), 0)
    print(measure.summary(results, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
