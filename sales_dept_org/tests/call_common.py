"""The telephony world, on top of the hand-off world (``HandoffCommon``).

The main company is Polish (+48). The phone system "Office PBX" names its
agents by their extension: 101 Jan Hunter, 102 Tomasz Closer (team North,
head Piotr), 201 Hubert Hunter (team East, head Ewa). Team East takes the
leads that come by phone (its cut: medium Phone).
"""

import json

from .handoff_common import HandoffCommon


class CallCommon(HandoffCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.pl")
        cls.integration = cls.env["sales.call.integration"].create({"name": "Office PBX"})
        cls.token = cls.integration.rotate_token()
        employees = cls.env["hr.employee"].search(
            [("user_id", "in", (cls.user_hunter + cls.user_closer + cls.user_hunter_east).ids)]
        )
        extensions = {cls.user_hunter: "101", cls.user_closer: "102", cls.user_hunter_east: "201"}
        for employee in employees:
            employee.sales_phone_extension = extensions[employee.user_id]
        cls.team_east.sales_medium_ids = cls.env.ref("utm.utm_medium_phone")
        cls.Call = cls.env["sales.call"]

    def _lead(self, phone, owner=None, **values):
        return self.env["crm.lead"].create(
            dict(
                {
                    "name": f"Lead {phone}",
                    "phone": phone,
                    "type": "opportunity",
                    "user_id": (owner or self.user_closer).id,
                    "team_id": self.team_north.id,
                },
                **values,
            )
        )

    @classmethod
    def _event(cls, **values):
        """A valid event (an answered inbound call to Jan), ``values`` changed."""
        return dict(
            {
                "event_id": "evt-1",
                "direction": "in",
                "from": "+48 601 234 567",
                "to": "+48 22 100 00 01",
                "start": "2026-03-10T09:15:00+01:00",
                "duration": 125,
                "status": "answered",
                "agent": "101",
            },
            **values,
        )

    @classmethod
    def _log(cls, **values):
        """A call logged as the controller logs it, without HTTP."""
        integration = cls.integration.sudo()
        return cls.Call.sudo()._log_event(
            integration, integration._parse_event(cls._event(**values))
        )

    @staticmethod
    def _json(body):
        return json.dumps(body)
