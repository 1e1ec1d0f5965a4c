"""The phone system's door: ``POST /sales_dept_org/call`` logs a call, and
``/sales_dept_org/call/<id>/recording`` lets who may hear it listen.

The answers of the contract (``readme/USAGE.md``, the integrator's part):
200 ``{"call_id", "lead_id", "partner_id", "duplicate"}``; 401 for a missing
or unknown token; 400 for a body that is no JSON object; 422 for a field the
contract refuses or an unknown agent; each error ``{"error": "<reason>"}``
and nothing written.

The PBX's door authenticates by its token, not by a user, so the route is
``auth="none"`` (as Odoo's own doors for machines): no public user, session
or its company are loaded on every event; what the event writes is done as
superuser in the agent's name (``sales.call._log_event``).
"""

import json
import logging

import psycopg2.errors
import requests
from werkzeug.exceptions import BadGateway, Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from ..engine.phone_event import EventError

_logger = logging.getLogger(__name__)

RECORDING_TIMEOUT = 10  # seconds the phone system has to start sending a recording
CHUNK = 64 * 1024


class SalesCallController(http.Controller):
    @http.route(
        "/sales_dept_org/call",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def post_call(self):
        if not request.db:
            return self._error(404, "no database: the server must serve one (db_name, dbfilter)")
        header = request.httprequest.headers.get("Authorization", "")
        scheme, _space, token = header.partition(" ")
        integration = request.env["sales.call.integration"]._authenticate(
            token.strip() if scheme.lower() == "bearer" else ""
        )
        if not integration:
            return self._error(401, "invalid token")
        try:
            body = json.loads(request.httprequest.get_data(as_text=True) or "null")
        except ValueError:
            return self._error(400, "the body is not JSON")
        if not isinstance(body, dict):
            return self._error(400, "the body must be a JSON object")
        Call = request.env["sales.call"].sudo()
        try:
            values = integration._parse_event(body)
            known = Call._sales_known_event(integration, values["event_id"])
            if known:
                return self._answer(known, duplicate=True)
            call = Call._log_event(integration, values)
        except EventError as error:
            request.env.cr.rollback()  # nothing of a refused event is kept
            return self._error(422, str(error))
        except psycopg2.errors.UniqueViolation as error:
            # the same event, logged by a concurrent request since this one
            # began: this transaction is void, a new one sees that call
            if error.diag.constraint_name != "sales_call_event_uniq":
                raise
            request.env.cr.rollback()
            return self._answer(
                Call._sales_known_event(integration, values["event_id"]), duplicate=True
            )
        return self._answer(call._sales_answer(), duplicate=False)

    @staticmethod
    def _answer(ids, duplicate):
        return request.make_json_response(dict(ids, duplicate=duplicate))

    @staticmethod
    def _error(status, reason):
        return request.make_json_response({"error": reason}, status=status)

    @http.route("/sales_dept_org/call/<int:call_id>/recording", type="http", auth="user")
    def call_recording(self, call_id):
        """The recording, for who may read the call: the agent, the head of
        the agent's team, the director (the record rules of sales.call)."""
        call = request.env["sales.call"].browse(call_id).exists()
        if not call:
            raise NotFound()
        try:
            call.check_access("read")
        except AccessError:
            raise Forbidden() from None
        call = call.sudo()
        if call.recording_attachment_id:
            stream = request.env["ir.binary"]._get_stream_from(call.recording_attachment_id)
            return stream.get_response()
        if not call.recording_url:
            raise NotFound()
        try:
            source = requests.get(call.recording_url, timeout=RECORDING_TIMEOUT, stream=True)
            source.raise_for_status()
        except requests.RequestException as error:
            _logger.warning("Recording of call %s unavailable: %s", call.id, error)
            raise BadGateway() from None
        return request.make_response(
            source.iter_content(CHUNK),
            headers=[
                ("Content-Type", source.headers.get("Content-Type", "application/octet-stream")),
                ("Cache-Control", "private, no-store"),
            ],
        )
