"""Load of the phone system's door, loopback only: ``--rate`` events a
second for ``--seconds`` (50 for 60 by default), a tenth of them repeats of
an event already sent, against a running Odoo (``odoo-bin --workers=2``).

    python -m bench.call_load --url http://127.0.0.1:8069 \\
        --token <token> --database sdo_demo --config .local/odoo.conf

The mix is an office's (see ``bench/README.md``): the agents are the
employees with an extension in the integration's company, most calls are
with numbers the CRM knows (open leads' numbers), a few from unknown
numbers (each opens a lead, handed to a hunter), some missed or busy.

First a few events to warm the workers up, then the idle answer time
(one event at a time, the same mix), then the
load, sent on schedule whatever the answers (at most ``MAX_IN_FLIGHT`` at
once). An event without a 200 is sent again as a PBX would, up to
``RETRIES`` times after a growing pause (safe: a repeat is answered as a
duplicate). The sender is one asyncio loop writing each request in one send
right after connecting (Odoo's prefork workers close the connection after
each answer): it needs little CPU, so on a small machine it leaves the
cores to the server instead of starving it as hundreds of threads would.
Then the database is read (directly, not through the server):

- calls lost: events sent whose call is not in the database (target 0);
- duplicates written: calls beyond one per event, and leads beyond one per
  unknown number (target 0);
- p95 answer time under load against the idle p95, from the first send of
  an event to its 200, retries included (target <= 3x).

Not part of ``make bench`` (it needs a server with workers).
"""

import argparse
import asyncio
import hashlib
import json
import random
import sys
import time
import urllib.parse
import uuid
from datetime import UTC, datetime

from bench import measure
from scripts.pbx_client import PATH

LOOPBACK = {"localhost", "127.0.0.1", "::1"}
WARM_UP = 10  # events first sent to make every worker load the registry, not timed
IDLE_EVENTS = 40
RETRIES = 3  # a PBX's retries of an event without a 200, after 1, 2 and 4 s
TIMEOUT = 30  # seconds a PBX waits for an answer
MAX_IN_FLIGHT = 400
# the share of new events from numbers nobody has; of the others, outbound
UNKNOWN, OUTBOUND = 0.10, 0.5
STATUSES = (("answered", 0.80), ("missed", 0.15), ("busy", 0.05))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--token", required=True)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--repeats", type=float, default=0.10)
    parser.add_argument("--database", required=True)
    parser.add_argument("--config", required=True, help="odoo.conf for the database access")
    args = parser.parse_args(argv)
    if urllib.parse.urlsplit(args.url).hostname not in LOOPBACK:
        parser.error("the load is sent to this machine only (localhost, 127.0.0.1, ::1)")
    return args


class Office:
    """What the load needs from the database: the agents, the known numbers,
    and the count of what the load wrote."""

    def __init__(self, args):
        import odoo
        from odoo.modules.registry import Registry

        odoo.tools.config.parse_config(["-c", args.config])
        self.registry = Registry(args.database)
        token_hash = hashlib.sha256(args.token.encode()).hexdigest()
        self.agents = [row[0] for row in self._query(_AGENTS, token_hash)]
        self.numbers = [row[0] for row in self._query(_KNOWN_NUMBERS, token_hash)]
        if not self.agents or not self.numbers:
            raise SystemExit(
                "no agent with an extension or no open lead with a number in the company "
                "of this token's integration"
            )

    def _query(self, query, *params):
        from odoo.tools import SQL

        with self.registry.cursor() as cr:
            cr.execute(SQL(query, *params))
            return cr.fetchall()

    def written(self, run, unknown_numbers, since):
        """(calls per event id, leads per unknown number) the run wrote."""
        calls = dict(self._query(_CALLS, f"{run}-%"))
        leads = dict(self._query(_LEADS, list(unknown_numbers) or [""], since))
        return calls, leads


_AGENTS = """
    SELECT employee.sales_phone_extension
      FROM hr_employee employee
      JOIN sales_call_integration integration ON integration.company_id = employee.company_id
     WHERE integration.token_hash = %s AND employee.active AND employee.user_id IS NOT NULL
       AND employee.sales_phone_extension IS NOT NULL
     ORDER BY employee.id"""
_KNOWN_NUMBERS = """
    SELECT DISTINCT lead.phone
      FROM crm_lead lead
      JOIN sales_call_integration integration ON integration.company_id = lead.company_id
      LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
     WHERE integration.token_hash = %s AND lead.active AND stage.is_won IS NOT TRUE
       AND lead.phone IS NOT NULL
     ORDER BY lead.phone"""
_CALLS = "SELECT event_id, count(*) FROM sales_call WHERE event_id LIKE %s GROUP BY event_id"
_LEADS = """
    SELECT phone, count(*) FROM crm_lead
     WHERE phone = ANY(%s) AND create_date >= %s GROUP BY phone"""


class Events:
    """The events of one run, drawn the same way for the same seed."""

    def __init__(self, run, office, seed):
        self.run, self.office = run, office
        self.rng = random.Random(seed)
        self.count = 0
        self.first_unknown = int(run.rsplit("-", 1)[-1], 16) % 10**7
        self.unknown = set()

    def new(self, prefix):
        rng, index = self.rng, self.count
        self.count += 1
        agent = rng.choice(self.office.agents)
        status = rng.choices(*zip(*STATUSES, strict=True))[0]
        if rng.random() < UNKNOWN:
            number = f"+4879{(self.first_unknown + index) % 10**7:07d}"
            self.unknown.add(number)
            direction, caller, called = "in", number, agent
        else:
            number = rng.choice(self.office.numbers)
            outbound = rng.random() < OUTBOUND
            direction = "out" if outbound else "in"
            caller, called = (agent, number) if outbound else (number, agent)
        return {
            "event_id": f"{self.run}-{prefix}{index}",
            "direction": direction,
            "from": caller,
            "to": called,
            "start": datetime.now(UTC).isoformat(timespec="seconds"),
            "duration": rng.randint(20, 600) if status == "answered" else 0,
            "status": status,
            "agent": agent,
        }

    def plan(self, total, repeats, prefix=""):
        """``total`` events, a share ``repeats`` of them sent before."""
        plan, sent = [], []
        for _position in range(total):
            if sent and self.rng.random() < repeats:
                plan.append(self.rng.choice(sent))
            else:
                sent.append(self.new(prefix))
                plan.append(sent[-1])
        return plan, sent


def request_bytes(args, event):
    """The whole HTTP/1.1 request of ``event``, written in one send."""
    body = json.dumps(event).encode()
    url = urllib.parse.urlsplit(args.url)
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: {url.netloc}\r\n"
        f"Authorization: Bearer {args.token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


async def post(args, payload):
    """The HTTP status of one send of ``payload``; None when no answer came
    in ``TIMEOUT`` seconds (refused, reset or timed out)."""
    url = urllib.parse.urlsplit(args.url)
    writer = None
    try:
        async with asyncio.timeout(TIMEOUT):
            reader, writer = await asyncio.open_connection(url.hostname, url.port or 80)
            writer.write(payload)
            await writer.drain()
            status_line = await reader.readline()
            await reader.read()  # the headers and the answer, up to the close
        return int(status_line.split()[1])
    except (OSError, TimeoutError, ValueError, IndexError):
        return None
    finally:
        if writer is not None:
            writer.close()


async def deliver(args, event):
    """(status, seconds) of an event sent until it gets a 200, as a PBX."""
    payload = request_bytes(args, event)
    begin = time.perf_counter()
    status = await post(args, payload)
    for retry in range(RETRIES):
        if status == 200:
            break
        await asyncio.sleep(2**retry)
        status = await post(args, payload)
    return status, time.perf_counter() - begin


async def load(args, plan):
    """Sends ``plan`` at ``args.rate`` a second, at most ``MAX_IN_FLIGHT``
    events at once; [(status, seconds, late)], late: how long after its
    time in the schedule an event was first sent."""
    slots = asyncio.Semaphore(MAX_IN_FLIGHT)
    begin = time.perf_counter()

    async def fire(position, event):
        async with slots:
            late = time.perf_counter() - (begin + position / args.rate)
            status, seconds = await deliver(args, event)
        return status, seconds, late

    tasks = []
    for position, event in enumerate(plan):
        delay = begin + position / args.rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(fire(position, event)))
    return await asyncio.gather(*tasks)


async def send(args, warm_plan, idle_plan, plan):
    """The warm-up (all at once, not timed), the idle events (one at a
    time), then the load; (idle answers, load answers or None when an idle
    event was refused)."""
    await asyncio.gather(*(deliver(args, event) for event in warm_plan))
    idle = [await deliver(args, event) for event in idle_plan]
    if any(status != 200 for status, _seconds in idle):
        return idle, None
    return idle, await load(args, plan)


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else float("nan")


def main(argv=None):
    args = parse_args(argv)
    office = Office(args)
    run = f"load-{uuid.uuid4().hex[:8]}"
    since = datetime.now(UTC).replace(tzinfo=None)
    events = Events(run, office, seed=16)
    warm_plan, warm_sent = events.plan(WARM_UP, 0, prefix="warm-")
    idle_plan, idle_sent = events.plan(IDLE_EVENTS, args.repeats, prefix="idle-")
    plan, sent = events.plan(args.rate * args.seconds, args.repeats)
    idle, answers = asyncio.run(send(args, warm_plan, idle_plan, plan))
    if answers is None:
        print(f"ERROR: the idle events were refused: {sorted({s for s, _ in idle}, key=str)}")
        return 1
    calls, leads = office.written(run, events.unknown, since)
    sent_ids = {event["event_id"] for event in warm_sent + idle_sent + sent}
    lost = len(sent_ids - set(calls))
    duplicates = sum(count - 1 for count in calls.values()) + sum(
        count - 1 for count in leads.values()
    )
    failed = sum(1 for status, _seconds, _late in answers if status != 200)
    idle_p95 = p95([seconds for _status, seconds in idle])
    load_p95 = p95([seconds for status, seconds, _late in answers if status == 200])
    print(
        f"  {len(answers)} events ({len(sent)} distinct, {len(events.unknown)} unknown "
        f"numbers, {len(office.agents)} agents, {len(office.numbers)} known numbers) in "
        f"{args.seconds} s at {args.rate}/s; {failed} without a 200 after {RETRIES} retries; "
        f"sent late by {p95([late for *_rest, late in answers]) * 1000:.0f} ms (p95)"
    )
    print(f"  p95 idle {idle_p95 * 1000:.0f} ms, under load {load_p95 * 1000:.0f} ms")
    print(measure.bench_line("call_load_calls_lost", lost, 0))
    print(measure.bench_line("call_load_duplicates_written", duplicates, 0))
    print(measure.bench_line("call_load_p95_vs_idle", measure.ratio(load_p95, idle_p95), 3.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
