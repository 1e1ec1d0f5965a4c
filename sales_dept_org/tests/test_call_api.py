"""POST /sales_dept_org/call over real HTTP: every answer of the contract,
nothing written on an error, a repeated event answered as a duplicate."""

import json
import threading
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from .call_common import CallCommon

URL = "/sales_dept_org/call"


@tagged("post_install", "-at_install")
class TestCallApi(HttpCase, CallCommon):
    def _post(self, body, token=None, raw=None):
        headers = {"Content-Type": "application/json"}
        if token is not False:
            headers["Authorization"] = f"Bearer {token or self.token}"
        return self.url_open(
            URL, data=raw if raw is not None else json.dumps(body), headers=headers
        )

    def _counts(self):
        return (
            self.Call.sudo().search_count([]),
            self.env["crm.lead"].sudo().search_count([]),
            self.env["mail.activity"].sudo().search_count([]),
            self.env["mail.message"].sudo().search_count([]),
        )

    def test_an_answered_call_is_logged_on_the_lead_once(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Heat pump",
                "phone": "601 234 567",
                "user_id": self.user_hunter.id,
                "team_id": self.team_north.id,
            }
        )
        response = self._post(self._event())
        self.assertEqual(response.status_code, 200)
        call = self.Call.sudo().search([("event_id", "=", "evt-1")])
        self.assertEqual(
            response.json(),
            {"call_id": call.id, "lead_id": lead.id, "partner_id": None, "duplicate": False},
        )
        self.assertEqual((call.user_id, call.team_id), (self.user_hunter, self.team_north))
        self.assertEqual(call.customer_number, "+48601234567")
        self.assertEqual(str(call.start), "2026-03-10 08:15:00")  # 09:15 at +01:00, in UTC
        # the same event again: the same answer, flagged, nothing new written
        before = self._counts()
        again = self._post(self._event(duration=999))
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json(), dict(response.json(), duplicate=True))
        self.assertEqual(self._counts(), before)
        self.assertEqual(call.duration, 125)

    def test_every_error_answer_writes_nothing(self):
        before = self._counts()
        cases = [
            (dict(token=False), 401, "invalid token"),
            (dict(token="not-the-token"), 401, "invalid token"),
            (dict(raw="{not json"), 400, "the body is not JSON"),
            (dict(raw="[1, 2]"), 400, "the body must be a JSON object"),
            (dict(body=self._event(event_id="")), 422, "missing field: event_id"),
            (
                dict(body=self._event(direction="sideways")),
                422,
                "direction must be one of: in, inbound, incoming, out, outbound, outgoing",
            ),
            (
                dict(body=self._event(start="2026-03-10T09:15:00")),
                422,
                "start needs a UTC offset (e.g. 2026-03-10T09:15:00+01:00)",
            ),
            (
                dict(body=self._event(start="yesterday")),
                422,
                "start is not an ISO 8601 date and time",
            ),
            (
                dict(body=self._event(duration=-5)),
                422,
                "duration must be a number of seconds, 0 or more",
            ),
            (
                dict(body=self._event(status="lost")),
                422,
                "status must be one of: answered, busy, congestion, failed, missed, no answer, "
                "noanswer",
            ),
            (
                dict(body=self._event(recording_url="ftp://pbx/rec.wav")),
                422,
                "recording_url must be an http(s) URL",
            ),
            (dict(body=self._event(agent="999")), 422, "unknown agent: 999"),
            (dict(body=self._event(**{"from": "anonymous"})), 422, "from is not a phone number"),
        ]
        for kwargs, status, reason in cases:
            with self.subTest(reason=reason):
                body = kwargs.pop("body", self._event())
                response = self._post(body, **kwargs)
                self.assertEqual(response.status_code, status)
                self.assertEqual(response.json(), {"error": reason})
        self.assertEqual(self._counts(), before)

    def test_an_archived_integration_is_refused(self):
        self.integration.active = False
        self.assertEqual(self._post(self._event()).status_code, 401)

    def test_a_new_token_replaces_the_old_one(self):
        old = self.token
        new = self.integration.rotate_token()
        self.assertNotEqual(new, old)
        self.assertEqual(self._post(self._event(), token=old).status_code, 401)
        self.assertEqual(self._post(self._event(), token=new).status_code, 200)
        # only the hash is kept
        self.assertNotIn(new, self.integration.sudo().token_hash)

    def test_two_concurrent_posts_log_one_call(self):
        answers = []

        def post():
            answers.append(self._post(self._event(event_id="evt-twice")).json())

        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(answer["duplicate"] for answer in answers), [False, True])
        self.assertEqual(answers[0]["call_id"], answers[1]["call_id"])
        self.assertEqual(self.Call.sudo().search_count([("event_id", "=", "evt-twice")]), 1)

    def test_a_duplicate_committed_meanwhile_is_answered_as_such(self):
        """A concurrent request logged the event after this one looked for it:
        the unique index refuses the second call, the answer names the first."""
        first = self._post(self._event(event_id="evt-race")).json()
        before = self._counts()
        Call = type(self.env["sales.call"])
        with patch.object(Call, "_sales_known_event", side_effect=[{}, first]):
            response = self._post(self._event(event_id="evt-race"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), dict(first, duplicate=True))
        self.assertEqual(self._counts(), before)

    def test_an_asterisk_call_record(self):
        """Fields as FreePBX's CDR gives them: its uniqueid, its words for the
        direction and the disposition, a national number."""
        self.integration.inbound_words = "inbound, from-pstn"
        partner = self.env["res.partner"].create(
            {"name": "Ewa Kowalska", "mobile": "+48 601-234-570"}
        )
        response = self._post(
            {
                "event_id": "1741594500.1234",
                "direction": "from-pstn",
                "from": "601234570",
                "to": "101",
                "start": "2026-03-10T09:15:00+01:00",
                "duration": 42,
                "status": "NO ANSWER",
                "agent": "101",
            }
        )
        self.assertEqual(response.status_code, 200, response.text)
        call = self.Call.sudo().browse(response.json()["call_id"])
        self.assertEqual(
            (call.direction, call.status, call.partner_id, call.number_to_e164),
            ("in", "missed", partner, False),  # "101" is no phone number: kept as sent
        )
        # a missed call from a contact without salesperson: the agent calls back
        task = partner.activity_ids
        self.assertEqual(task.user_id, self.user_hunter)
        self.assertEqual(task.summary, "Call back: missed call from +48601234570")
