"""sales.call.integration: one phone system (PBX) allowed to log calls.

The PBX authenticates with a bearer token. Only its SHA-256 is stored (the
token is 256 random bits, so a plain hash suffices: nothing to guess from
it); ``rotate_token`` makes a new one and gives it back in clear once, to a
sales administrator.
"""

import hashlib
import secrets

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..engine import phone_event

ADMIN_GROUP = "sales_dept_org.group_sales_dept_admin"
# what an event reads of its integration, kept in the registry's cache
SETTINGS = ("company_id", "agent_match", "inbound_words", "outbound_words")


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
    # ORM: what the phone system's door caches per registry
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

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
        """The active integration this token opens (as superuser), or an empty
        recordset. The fields an event reads come from the registry's cache
        (cleared whenever an integration changes), not from a query per event."""
        integration = self.sudo().browse()
        settings = token and self._sales_settings_by_token(self._hash_token(token))
        if not settings:
            return integration
        integration = integration.browse(settings[0])
        for name, value in zip(SETTINGS, settings[1:], strict=True):
            self.env.cache.insert_missing(integration, self._fields[name], [value])
        return integration

    @api.model
    @tools.ormcache("token_hash")
    def _sales_settings_by_token(self, token_hash):
        """(id, *SETTINGS) of the active integration with ``token_hash``, None
        if none."""
        integration = self.sudo().search([("token_hash", "=", token_hash)], limit=1)
        if not integration:
            return None
        values = integration.read(list(SETTINGS), load=None)[0]
        return (integration.id, *(values[name] for name in SETTINGS))

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
            found = self._sales_agents_by_extension(agent)
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

    def _sales_agents_by_extension(self, extension):
        """The users whose employee in the integration's company has
        ``extension``. On every event, so one plain query (without
        hr.employee's access-rights detours of a search) that also reads what
        the event reads next, put in the environment's cache: the company's
        country (``_normalise_number``), name and mail domain (the reply-to of
        the call's message), the agents' partners (its author)."""
        self.env["hr.employee"].flush_model(
            ["sales_phone_extension", "company_id", "user_id", "active"]
        )
        self.env["res.users"].flush_model(["partner_id"])
        self.env["res.company"].flush_model(["partner_id", "alias_domain_id", "name"])
        self.env["res.partner"].flush_model(["country_id", "name", "email"])
        self.env["res.country"].flush_model(["code", "phone_code"])
        rows = self.env.execute_query(
            SQL(
                """SELECT country.id, country.code, country.phone_code,
                          company.alias_domain_id, company.name,
                          agent.user_id, agent.partner_id, partner.name, partner.email
                     FROM res_company company
                     JOIN res_partner company_partner ON company_partner.id = company.partner_id
                     LEFT JOIN res_country country ON country.id = company_partner.country_id
                     LEFT JOIN (SELECT DISTINCT employee.user_id, person.partner_id
                                  FROM hr_employee employee
                                  JOIN res_users person ON person.id = employee.user_id
                                 WHERE employee.active AND employee.sales_phone_extension = %s
                                   AND employee.company_id = %s) AS agent ON TRUE
                     LEFT JOIN res_partner partner ON partner.id = agent.partner_id
                    WHERE company.id = %s""",
                extension,
                self.company_id.id,
                self.company_id.id,
            )
        )
        cache, env = self.env.cache, self.env
        company, country = self.company_id, env["res.country"].browse(rows[0][0])
        cache.insert_missing(company, company._fields["country_id"], [country.id])
        cache.insert_missing(company, company._fields["alias_domain_id"], [rows[0][3]])
        cache.insert_missing(company, company._fields["name"], [rows[0][4]])
        if country:
            cache.insert_missing(country, country._fields["code"], [rows[0][1]])
            cache.insert_missing(country, country._fields["phone_code"], [rows[0][2]])
        agents = [row[5:] for row in rows if row[5]]
        users = env["res.users"].browse(agent[0] for agent in agents)
        partners = env["res.partner"].browse(agent[1] for agent in agents)
        cache.insert_missing(users, users._fields["partner_id"], partners.ids)
        for field, column in (("name", 2), ("email", 3)):
            cache.insert_missing(partners, partners._fields[field], [a[column] for a in agents])
        return users

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
