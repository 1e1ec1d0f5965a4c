from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine.digest_schedule import due_slot
from .res_company import DIGEST_SLOT_FIELDS

DIGEST_SLOTS = [
    ("morning", "Morning planning"),
    ("checkin_1", "Check-in 1"),
    ("checkin_2", "Check-in 2"),
    ("checkin_3", "Check-in 3"),
]
LINKS_PER_SECTION = 10
# flags of crm.lead kept by the stage rules, in the order the digest shows them
DIGEST_SECTIONS = ("has_no_task", "has_overdue_task", "is_stuck")


class SalesDigestPost(models.Model):
    """One meeting digest of one team for one slot of one day.

    The row is claimed before anything is posted, under a unique key (team,
    day, slot): a retried, late or racing cron finds the slot taken and posts
    nothing. Claim and post share the transaction, so a failed post frees
    the slot for the retry."""

    _name = "sales.digest.post"
    _description = "Sales Meeting Digest"
    _order = "slot_date desc, id desc"
    _rec_name = "team_id"

    company_id = fields.Many2one("res.company", required=True, index=True)
    team_id = fields.Many2one("crm.team", required=True, index=True, ondelete="cascade")
    slot = fields.Selection(DIGEST_SLOTS, required=True)
    slot_date = fields.Date("Day", required=True, help="The day in the company's time zone.")
    body = fields.Html(readonly=True, sanitize=True)
    channel_id = fields.Many2one("discuss.channel", readonly=True)

    _sql_constraints = [
        (
            "team_slot_unique",
            "UNIQUE(team_id, slot_date, slot)",
            "A team gets one digest per slot and day.",
        ),
    ]

    @api.model
    def _cron_post_digests(self):
        now = fields.Datetime.now()
        teams = self.env["crm.team"].search([("active", "=", True)])
        # a team shared by companies follows its head's company
        by_company = teams.grouped(
            lambda team: team.company_id or team.user_id.company_id or self.env.company
        )
        posted = self.browse()
        for company, company_teams in by_company.items():
            slots = {slot: company[fname] for slot, fname in DIGEST_SLOT_FIELDS.items()}
            due = due_slot(now, company._sales_digest_tz(), slots)
            if due:
                posted |= self._claim(company, company_teams, *due)
        posted._publish()
        self.env["ir.cron"]._notify_progress(done=len(posted), remaining=0)

    def _claim(self, company, teams, slot, slot_date):
        """Inserts the rows still free and returns them: ORM create has no
        ON CONFLICT, and a second worker must skip, not fail."""
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s, %s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC')",
                company.id,
                team.id,
                slot,
                slot_date,
                self.env.uid,
                self.env.uid,
            )
            for team in teams
        )
        self.env.cr.execute(
            SQL(
                """INSERT INTO sales_digest_post
                       (company_id, team_id, slot, slot_date, create_uid, write_uid,
                        create_date, write_date)
                   VALUES %s
                   ON CONFLICT (team_id, slot_date, slot) DO NOTHING
                   RETURNING id""",
                rows,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _publish(self):
        """Posts each digest to its team's channel and mails it to the head."""
        if not self:
            return
        figures = self._figures()
        self.team_id._ensure_digest_channel()
        mails = []
        for digest in self:
            body = digest._render(figures.get(digest.team_id.id, {}))
            digest.write({"body": body, "channel_id": digest.team_id.digest_channel_id.id})
            digest.team_id.digest_channel_id.message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            head = digest.team_id.user_id
            if head.partner_id.email:
                mails.append(
                    {
                        "subject": digest._subject(),
                        "body_html": body,
                        "recipient_ids": [(4, head.partner_id.id)],
                        "auto_delete": True,
                    }
                )
        self.env["mail.mail"].sudo().create(mails)

    def _figures(self):
        """{team id: {section: leads}} for every digest at once, in one search.

        The flags are the stage rules' own (kept by their jobs), so the digest
        counts what the discipline score counts."""
        leads = (
            self.env["crm.lead"]
            .sudo()
            .search_fetch(
                [
                    ("team_id", "in", self.team_id.ids),
                    "|",
                    "|",
                    ("has_no_task", "=", True),
                    ("has_overdue_task", "=", True),
                    ("is_stuck", "=", True),
                ],
                ["name", "team_id", "user_id", *DIGEST_SECTIONS],
            )
        )
        return {
            team.id: {flag: team_leads.filtered(flag) for flag in DIGEST_SECTIONS}
            for team, team_leads in leads.grouped("team_id").items()
        }

    def _subject(self):
        slot_label = dict(self._fields["slot"]._description_selection(self.env))[self.slot]
        return self.env._(
            "%(team)s: %(slot)s, %(day)s",
            team=self.team_id.name,
            slot=slot_label,
            day=self.slot_date,
        )

    def _render(self, figures):
        titles = {
            "has_no_task": self.env._("Leads without a task"),
            "has_overdue_task": self.env._("Overdue tasks"),
            "is_stuck": self.env._("Stuck deals"),
        }
        parts = [Markup("<p><b>%s</b></p>") % self._subject()]
        for section in DIGEST_SECTIONS:
            leads = figures.get(section, self.env["crm.lead"])
            parts.append(Markup("<p>%s: <b>%s</b></p>") % (titles[section], len(leads)))
            if leads:
                items = Markup("").join(
                    Markup('<li><a href="/mail/view?model=crm.lead&amp;res_id=%s">%s</a> (%s)</li>')
                    % (lead.id, lead.name, escape(lead.user_id.name or "—"))
                    for lead in leads[:LINKS_PER_SECTION]
                )
                parts.append(Markup("<ul>%s</ul>") % items)
        return Markup("").join(parts)
