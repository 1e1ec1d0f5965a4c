#!/usr/bin/env python3
"""Send sample phone-system events to a running Odoo with sales_dept_org.

For the demo and for integrators trying the contract: each event is printed
with the server's answer. Only the standard library is needed.

    scripts/pbx_send.py                                  # the demo server and token
    scripts/pbx_send.py --url http://odoo:8069 --token <token> --agent 101

The events: an answered inbound call from the demo lead's number (written
three ways across events: +48 and spaces, dashes, 0048), the same event
again (answered as a duplicate), a missed call from an unknown number (a new
lead with a call-back task), an outbound call shaped like a FreePBX record
(its words for the direction and the disposition), and a wrong token (401).
"""

import argparse
import json
import sys
import uuid
from datetime import UTC, datetime, timedelta

from pbx_client import post

DEMO_TOKEN = "demo-pbx-token-not-for-production"
DEMO_LEAD_NUMBER = "+48 600 700 800"


def sample_events(agent, run):
    now = datetime.now(UTC).replace(microsecond=0)

    def event(minutes_ago, **values):
        start = (now - timedelta(minutes=minutes_ago)).isoformat()
        return dict({"to": agent, "start": start, "agent": agent, "duration": 0}, **values)

    answered = event(
        30,
        event_id=f"{run}-1",
        direction="in",
        **{"from": DEMO_LEAD_NUMBER},
        duration=185,
        status="answered",
    )
    return [
        ("answered call from the demo lead", answered),
        ("the same event again", answered),
        (
            "missed call from an unknown number",
            event(
                20, event_id=f"{run}-2", direction="in", status="missed", **{"from": "733-444-555"}
            ),
        ),
        (
            "FreePBX-shaped outbound record",
            event(
                10,
                event_id=f"{run}-3",
                direction="outbound",
                **{"from": agent, "to": "0048600700800"},
                duration=42,
                status="ANSWERED",
            ),
        ),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--token", default=DEMO_TOKEN)
    parser.add_argument("--agent", default="101", help="login, extension or number")
    args = parser.parse_args(argv)
    run = f"sample-{uuid.uuid4().hex[:8]}"
    failed = False
    for label, event in sample_events(args.agent, run):
        status, answer, _seconds = post(args.url, args.token, event)
        print(f"{label}: {status} {json.dumps(answer)}")
        failed |= status != 200
    status, answer, _seconds = post(args.url, "wrong-token", sample_events(args.agent, run)[0][1])
    print(f"wrong token: {status} {json.dumps(answer)}")
    return 1 if failed or status != 401 else 0


if __name__ == "__main__":
    sys.exit(main())
