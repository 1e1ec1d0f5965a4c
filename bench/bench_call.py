"""Telephony: the cost of one phone-system event, against a plain
``mail.message`` create on the same lead, timed alternately in the same run.

The subject is the whole path of an answered call after the JSON is read:
the event checked, the agent found by extension, the numbers normalised, the
open lead found by its number among all leads, the call written and its done
"Call" posted on the lead. The baseline creates a message on that lead (the
least any logging of a call in the chatter costs). Each side handles
``EVENTS`` events per timed call, in a savepoint rolled back after it.
"""

from datetime import datetime

TARGET = 2.0
EVENTS = 20
EXTENSION = "bench-101"
NUMBER = "+48 601 999 123"


def _setup(env):
    """An open lead of a hunter with a number, the hunter's extension and a
    phone system (rolled back with the rest of the run)."""
    hunter = env["hr.employee"].search([("sales_role", "=", "hunter")], order="id", limit=1)
    lead = env["crm.lead"].search(
        [("user_id", "=", hunter.user_id.id), ("stage_id.is_won", "=", False)],
        order="id desc",
        limit=1,
    )
    if not lead:
        raise AssertionError("no open lead of a hunter")
    lead.phone = NUMBER.replace(" ", "-")
    hunter.sales_phone_extension = EXTENSION
    company = hunter.company_id
    if not company.country_id:
        company.country_id = env.ref("base.pl")
    integration = env["sales.call.integration"].create(
        {"name": "Bench PBX", "company_id": company.id}
    )
    env.flush_all()
    return lead, hunter.user_id, integration


def run(bench):
    env = bench.env
    lead, agent, integration = _setup(env)
    Call = env["sales.call"].sudo()
    bench.note(f"lead {lead.id} of {agent.name}, {env['crm.lead'].search_count([]):,} leads")

    def event(index):
        return {
            "event_id": f"bench-{index}",
            "direction": "in",
            "number_from": NUMBER,
            "number_to": EXTENSION,
            "start": datetime(2026, 3, 10, 9, 15),
            "duration": 125,
            "status": "answered",
            "recording_url": "https://pbx.example.com/rec.wav",
            "agent": EXTENSION,
        }

    def rolled_back(func):
        def call():
            env.cr.execute("SAVEPOINT bench_call")
            func()
            env.flush_all()
            env.cr.execute("ROLLBACK TO SAVEPOINT bench_call")
            env.cr.precommit.clear()
            env.cr.postcommit.clear()
            env.invalidate_all()

        return call

    def log_events():
        for index in range(EVENTS):
            call = Call._log_event(integration, event(index))
            assert call.lead_id == lead, "the event must reach the lead"

    def create_messages():
        for index in range(EVENTS):
            env["mail.message"].create(
                {
                    "model": "crm.lead",
                    "res_id": lead.id,
                    "body": f"<p>Call {index} of 2 min 05 s</p>",
                    "message_type": "comment",
                    "author_id": agent.partner_id.id,
                }
            )

    subject, baseline = rolled_back(log_events), rolled_back(create_messages)
    per_event = (bench.queries(subject) - 4) / EVENTS
    per_message = (bench.queries(baseline) - 4) / EVENTS
    bench.note(f"queries per event {per_event:.1f}, per plain message {per_message:.1f}")
    bench.report("call_event_vs_message", bench.compare(subject, baseline, repeat=5), TARGET)
