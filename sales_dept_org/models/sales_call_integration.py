"""sales.call.integration: one phone system (PBX) allowed to log calls.

The PBX authenticates with a bearer token. Only its SHA-256 is stored (the
token is 256 random bits, so a plain hash suffices: nothing to guess from
it); ``rotate_token`` makes a new one and gives it back in clear once, to a
sales administrator.
"""

import hashlib
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..engine import phone_event

ADMIN_GROUP = "sales_dept_org.group_sales_dept_admin"


class SalesCallIntegration(models.Model):
    _name = "sales.call.integration"
    _description = "Phone System Integration"
    _order = "name, id"

    _sql_constraints = [
        ("token_hash_uniq", "unique(token_hash)", "Two integrations cannot share a token."),
    ]

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)
    agent_match = fields.Selection(
        [
            ("login", "User Login"),
            ("work_phone", "Work Phone"),
            ("extension", "Phone Extension"),
        ],
        string="Match Agents By",
        required=True,
        default="extension",
        help="What the PBX sends as the agent: the user's login, the employee's "
        "work phone, or the employee's phone extension.",
    )
    inbound_words = fields.Char(
        string="Inbound Directions",
        default="inbound, incoming",
        help="Comma-separated words this PBX uses for an inbound call, besides 'in'.",
    )
    outbound_words = fields.Char(
        string="Outbound Directions",
        default="outbound, outgoing",
        help="Comma-separated words this PBX uses for an outbound call, besides 'out'.",
    )
    token_hash = fields.Char(readonly=True, copy=False, groups=ADMIN_GROUP)
    has_token = fields.Boolean(compute="_compute_has_token")
    call_count = fields.Integer(compute="_compute_call_count")

    @api.depends("token_hash")
    def _compute_has_token(self):
        for integration in self:
            integration.has_token = bool(integration.sudo().token_hash)

    def _compute_call_count(self):
        counts = dict(
            self.env["sales.call"]._read_group(
                [("integration_id", "in", self.ids)], ["integration_id"], ["__count"]
            )
        )
        for integration in self:
            integration.call_count = counts.get(integration, 0)

    # ------------------------------------------------------------------
    # the token
    # ------------------------------------------------------------------
    @api.model
    def _hash_token(self, token):
        return hashlib.sha256(token.encode()).hexdigest()

    def rotate_token(self):
        """A new token for this integration, returned in clear this once; the
        old one stops working. Only a sales administrator may ask."""
        self.ensure_one()
        if not self.env.user.has_group(ADMIN_GROUP):
            raise AccessError(self.env._("Only a sales administrator can make a new token."))
        token = secrets.token_urlsafe(32)
        self.sudo().token_hash = self._hash_token(token)
        return token

    def action_rotate_token(self):
        token = self.rotate_token()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("New token for %s", self.name),
                "message": self.env._(
                    "Copy it into the phone system now: it is shown only this once. %s", token
                ),
                "sticky": True,
                "type": "warning",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _authenticate(self, token):
        """The active integration this token opens, or an empty recordset."""
        if not token:
            return self.browse()
        return self.sudo().search_fetch(
            [("token_hash", "=", self._hash_token(token))],
            ["company_id", "agent_match", "inbound_words", "outbound_words"],
            limit=1,
        )

    # ------------------------------------------------------------------
    # reading an event
    # ------------------------------------------------------------------
    def _parse_event(self, body):
        self.ensure_one()
        return phone_event.parse_event(
            body, phone_event.direction_words(self.inbound_words, self.outbound_words)
        )

    def _find_agent(self, agent):
        """The user the PBX names as ``agent``, matched the integration's way
        among the users of its company; empty when none or several match."""
        self.ensure_one()
        users = self.env["res.users"].sudo()
        if self.agent_match == "login":
            return users.search(
                [("login", "=", agent), ("company_ids", "in", self.company_id.ids)], limit=1
            )
        employees = self.env["hr.employee"].sudo()
        if self.agent_match == "extension":
            # on every event: one plain query, without hr.employee's
            # access-rights detours of a search
            employees.flush_model(["sales_phone_extension", "company_id", "user_id", "active"])
            found = users.browse(
                user_id
                for (user_id,) in self.env.execute_query(
                    SQL(
                        """SELECT DISTINCT user_id FROM hr_employee
                            WHERE active AND sales_phone_extension = %s
                              AND company_id = %s AND user_id IS NOT NULL""",
                        agent,
                        self.company_id.id,
                    )
                )
            )
        else:
            number = self._normalise_number(agent)
            found = employees.search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("user_id", "!=", False),
                    ("work_phone", "!=", False),
                ]
            ).filtered(lambda employee: self._normalise_number(employee.work_phone) == number)
            found = found.user_id
        return found if len(found) == 1 else users

    def _normalise_number(self, number):
        """``number`` in E.164 (``+48601234567``): Odoo's phone_validation with
        the company's country as default, else the same rule without the
        ``phonenumbers`` library; None when it is no number."""
        self.ensure_one()
        country = self.company_id.country_id
        formatted = self.env["res.partner"]._phone_format(
            number=number, country=country, force_format="E164"
        )
        if formatted and phone_event.E164.match(formatted):
            return formatted
        return phone_event.e164(number, country.phone_code)
