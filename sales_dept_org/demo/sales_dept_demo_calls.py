"""Demo data of the telephony: the office PBX, a week of calls of every
salesperson to the demo customers (answered ones with a short recording),
and the week's review, part scored by the heads, part waiting.

The calls go through the same path as the PBX's (``sales.call._log_event``),
so they leave done call activities ("Calls made" moves), call-back tasks and
a lead for an unknown caller. The PBX's token is the fixed demo token of the
README's ``curl``, good for the demo database only. Seeded: every build is
the same, relative to today.
"""

import random
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import file_open

from .sales_dept_demo import DEMO_SEED

DEMO_TOKEN = "demo-pbx-token-not-for-production"
# the lead the README's curl calls about, and its number
DEMO_LEAD_PHONE = "+48 600 700 800"
EXTENSIONS = {
    "director": "300",
    "head_north": "100",
    "hunter_north": "101",
    "closer_north": "102",
    "farmer_north": "103",
    "head_south": "200",
    "hunter_south": "201",
    "closer_south": "202",
    "farmer_south": "203",
    "universal_1": "301",
    "universal_2": "302",
}
CALLERS = [key for key in EXTENSIONS if not key.startswith(("head", "director"))]
CALLS_A_DAY = 3


class SalesDeptDemoCalls(models.AbstractModel):
    _name = "sales.dept.demo.calls"
    _description = "Sales Department Demo Builder: calls"

    @api.model
    def _load_demo_calls(self):
        """The PBX, its week of calls and their review; a second call
        changes nothing."""
        company = self.env.ref("sales_dept_org.demo_company", raise_if_not_found=False)
        if not company or self.env.ref(
            "sales_dept_org.demo_call_integration", raise_if_not_found=False
        ):
            return False
        rng = random.Random(DEMO_SEED + 16)
        Demo = self.env["sales.dept.demo"]
        integration = self.env["sales.call.integration"].create(
            {"name": "Centrala biurowa (FreePBX)", "company_id": company.id}
        )
        integration.token_hash = integration._hash_token(DEMO_TOKEN)
        users = {key: self.env.ref(f"sales_dept_org.demo_user_{key}") for key in EXTENSIONS}
        for key, extension in EXTENSIONS.items():
            self.env.ref(f"sales_dept_org.demo_employee_{key}").sales_phone_extension = extension
        lead = self.env["crm.lead"].create(
            {
                "name": "Pompa ciepła dla szkoły w Sopocie",
                "type": "opportunity",
                "phone": DEMO_LEAD_PHONE,
                "contact_name": "Marta Sopocka",
                "company_id": company.id,
                "team_id": self.env.ref("sales_dept_org.demo_team_polnoc").id,
                "user_id": users["hunter_north"].id,
            }
        )
        Demo._demo_xmlids({"demo_call_integration": integration, "demo_call_lead": lead})
        customers = self.env["res.partner"].search(
            [("company_id", "=", company.id), ("is_company", "=", True), ("phone", "!=", False)],
            order="id",
        )
        calls = self._demo_week(rng, integration, customers)
        self._demo_reviews(rng, calls, users)
        return True

    def _demo_week(self, rng, integration, customers):
        """Three calls a day of every salesperson over the last seven days,
        and one unknown caller whose call was missed."""
        with file_open("sales_dept_org/demo/sales_call_recording.wav", "rb") as recording:
            sound = recording.read()
        today = fields.Date.context_today(self)
        Call = self.env["sales.call"].sudo()
        calls = Call.browse()
        number = 0
        for days_ago in range(7, 0, -1):
            day = today - timedelta(days=days_ago)
            for key in CALLERS:
                for _index in range(CALLS_A_DAY):
                    number += 1
                    customer = rng.choice(customers)
                    status = rng.choices(["answered", "missed", "busy"], [8, 1, 1])[0]
                    direction = rng.choice(["in", "out"])
                    ours, theirs = EXTENSIONS[key], customer.phone
                    start = datetime.combine(day, time(7 + rng.randrange(9), rng.randrange(60)))
                    values = {
                        "event_id": f"demo-{number}",
                        "direction": direction,
                        "number_from": theirs if direction == "in" else ours,
                        "number_to": ours if direction == "in" else theirs,
                        "start": start,
                        "duration": rng.randrange(40, 600) if status == "answered" else 0,
                        "status": status,
                        "recording_url": None,
                        "agent": EXTENSIONS[key],
                    }
                    calls |= self._demo_log(Call, integration, values, sound)
        values = dict(
            values,
            event_id="demo-unknown",
            direction="in",
            status="missed",
            number_from="+48 733 222 111",
            number_to=EXTENSIONS["hunter_north"],
            agent=EXTENSIONS["hunter_north"],
            duration=0,
        )
        calls |= self._demo_log(Call, integration, values, None)
        return calls

    def _demo_log(self, Call, integration, values, sound):
        call = Call._log_event(integration, values)
        if sound and call.status == "answered":
            call.write(
                {
                    "has_recording": True,
                    "recording_attachment_id": self.env["ir.attachment"]
                    .create(
                        {
                            "name": f"{call.event_id}.wav",
                            "raw": sound,
                            "mimetype": "audio/wav",
                            "res_model": "sales.call",
                            "res_id": call.id,
                        }
                    )
                    .id,
                }
            )
        return call

    def _demo_reviews(self, rng, calls, users):
        """The week's sample for the heads; each head has scored half of it."""
        today = fields.Date.context_today(self)
        picked = self.env["sales.call"]._cron_sample_reviews(now=datetime.combine(today, time.min))
        for index, call in enumerate(picked.sorted("id")):
            if index % 2:
                continue
            head = call.team_id.user_id
            call.with_user(head).sudo().write(
                {
                    "review_score": rng.choice([2, 3, 4, 4, 5]),
                    "review_note": rng.choice(
                        [
                            "Dobre pytania o potrzeby, zabrakło umówienia kolejnego kroku.",
                            "Za długi monolog o produkcie; klient mało mówił.",
                            "Wzorowa rozmowa: potrzeba, termin, następny krok.",
                        ]
                    ),
                }
            )
        return picked
