"""Load of the phone system's door, loopback only: ``--rate`` events a
second for ``--seconds`` (50 for 60 by default), a tenth of them repeats of
an event already sent, against a running Odoo (``odoo-bin --workers=2``).

    python -m bench.call_load --url http://127.0.0.1:8069 --token <token> \\
        --agent 101 --database sdo_demo --config .local/odoo.conf

First the idle answer time (one event at a time), then the load. The
events come from numbers nobody has (each opens a lead), so the whole path
runs. It prints the ``BENCH`` lines of ``bench/README.md``:

- calls lost: events whose call is not in the database (target 0); an
  event that gets no 200 is sent again, up to ``RETRIES`` times, as a PBX
  retries (safe: a repeat is answered as a duplicate);
- duplicates written: calls beyond one per event id (target 0);
- p95 answer time under load against the idle p95 (target <= 3x).

Not part of ``make bench`` (it needs a server with workers); the server's
database is read directly to count the calls.
"""

import argparse
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from bench import measure

LOOPBACK = {"localhost", "127.0.0.1", "::1"}
IDLE_EVENTS = 30
RETRIES = 3


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--token", required=True)
    parser.add_argument("--agent", default="101")
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--repeats", type=float, default=0.10)
    parser.add_argument("--database", required=True)
    parser.add_argument("--config", required=True, help="odoo.conf for the database access")
    args = parser.parse_args(argv)
    if urllib.parse.urlsplit(args.url).hostname not in LOOPBACK:
        parser.error("the load is sent to this machine only (localhost, 127.0.0.1, ::1)")
    return args


def post(url, token, event):
    """(status, seconds) of one event."""
    request = urllib.request.Request(
        f"{url.rstrip('/')}/sales_dept_org/call",
        data=json.dumps(event).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = None
    return status, time.perf_counter() - start


def make_event(run, index, agent):
    return {
        "event_id": f"{run}-{index}",
        "direction": "in",
        "from": f"+48 7{index % 100_000_000:08d}",
        "to": agent,
        "start": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration": 60,
        "status": "answered",
        "agent": agent,
    }


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else float("nan")


def load(args, run):
    """Sends the load at a steady rate; (unique events sent, answers)."""
    rng = random.Random(16)
    total = args.rate * args.seconds
    plan, sent = [], []
    for index in range(total):
        if sent and rng.random() < args.repeats:
            plan.append(rng.choice(sent))
        else:
            sent.append(make_event(run, index, args.agent))
            plan.append(sent[-1])
    answers, lock = [], threading.Lock()
    begin = time.perf_counter()

    def fire(position, event):
        delay = begin + position / args.rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        status, seconds = post(args.url, args.token, event)
        for _retry in range(RETRIES):
            if status == 200:
                break
            status, more = post(args.url, args.token, event)
            seconds += more
        answer = (status, seconds)
        with lock:
            answers.append(answer)

    with ThreadPoolExecutor(max_workers=args.rate) as pool:
        for position, event in enumerate(plan):
            pool.submit(fire, position, event)
    return sent, answers


def count_calls(args, run):
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import SQL

    odoo.tools.config.parse_config(["-c", args.config])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        cr.execute(
            SQL(
                "SELECT count(*), count(DISTINCT event_id) FROM sales_call WHERE event_id LIKE %s",
                f"{run}-%",
            )
        )
        return cr.fetchone()


def main(argv=None):
    args = parse_args(argv)
    run = f"load-{uuid.uuid4().hex[:8]}"
    idle = [
        post(args.url, args.token, make_event(f"{run}-idle", i, args.agent))
        for i in range(IDLE_EVENTS)
    ]
    if any(status != 200 for status, _seconds in idle):
        print(f"ERROR: the idle events were refused: {sorted({s for s, _ in idle})}")
        return 1
    sent, answers = load(args, run)
    rows, distinct = count_calls(args, run)
    written = {event["event_id"] for event in sent}
    failed = sum(1 for status, _seconds in answers if status != 200)
    idle_p95 = p95([seconds for _status, seconds in idle])
    load_p95 = p95([seconds for status, seconds in answers if status == 200])
    print(
        f"  {len(answers)} events ({len(sent)} distinct) in {args.seconds} s at {args.rate}/s, "
        f"{failed} without a 200 after {RETRIES} retries"
    )
    print(f"  p95 idle {idle_p95 * 1000:.0f} ms, under load {load_p95 * 1000:.0f} ms")
    lost = len(written) - distinct
    print(measure.bench_line("call_load_calls_lost", lost, 0))
    print(measure.bench_line("call_load_duplicates_written", rows - distinct, 0))
    print(measure.bench_line("call_load_p95_vs_idle", measure.ratio(load_p95, idle_p95), 3.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
