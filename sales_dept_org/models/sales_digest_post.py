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
# money first, and of money what came in: the column the meeting starts with
PAYMENTS_METRIC = "sales_dept_org.kpi_metric_payments_received"
BOARD_ACTION = "sales_dept_org.sales_kpi_board_action"


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

    _sql_constraints = [
        (
            "team_slot_unique",
            "UNIQUE(team_id, slot_date, slot)",
            "A team gets one digest per slot and day.",
        ),
    ]

    company_id = fields.Many2one("res.company", required=True, index=True)
    team_id = fields.Many2one("crm.team", required=True, index=True, ondelete="cascade")
    slot = fields.Selection(DIGEST_SLOTS, required=True)
    slot_date = fields.Date("Day", required=True, help="The day in the company's time zone.")
    body = fields.Html(readonly=True, sanitize=True)
    channel_id = fields.Many2one("discuss.channel", readonly=True)

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
            due = due_slot(now, company._sales_tz(), slots)
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
        """Posts each digest to its team's channel, in the company's language,
        and mails it to the head, in theirs."""
        if not self:
            return
        figures = self._figures()
        plan_fact = self._plan_fact()
        self.team_id._sync_digest_channels()
        mails = []
        for digest in self:
            team_figures = figures.get(digest.team_id.id, {})
            team_plan_fact = plan_fact.get(digest.id, {})
            # the whole team reads the channel: money per person only for the head,
            # as on the board (the team sees its money as a total)
            lang = digest.company_id._sales_lang()
            body = digest.with_context(lang=lang)._render(team_figures, team_plan_fact)
            digest.write({"body": body, "channel_id": digest.team_id.digest_channel_id.id})
            digest.team_id.digest_channel_id.message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            head = digest.team_id.user_id
            if head.partner_id.email:
                for_head = digest.with_context(lang=head.lang or lang)
                mails.append(
                    {
                        "subject": for_head._subject(),
                        "body_html": for_head._render(
                            team_figures, team_plan_fact, money_per_person=True
                        ),
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

    def _plan_fact(self):
        """{digest id: {metric: {user id: (plan, fact)}}}: today's plan and the
        fact so far of every member, for the metrics with either today.

        One call to each batch API for all teams of the run (digests of several
        companies may fall on different local days: the range covers them)."""
        users = self.team_id.member_ids
        if not users:
            return {}
        companies = self.company_id
        day_from, day_to = min(self.mapped("slot_date")), max(self.mapped("slot_date"))
        # the batch APIs read within env.companies: those of the run's digests
        kpi_env = self.sudo().with_context(allowed_company_ids=companies.ids).env
        metrics = kpi_env["sales.kpi.metric"].search(
            [("company_id", "in", [False, *companies.ids])]
        )
        targets = kpi_env["sales.kpi.plan"]._get_targets(users, day_from, day_to, group_by_day=True)
        facts = metrics._read_facts(users, day_from, day_to, group_by_day=True)
        result = {}
        for digest in self:
            members = digest.team_id.member_ids
            table = {}
            for metric in metrics:
                cells = {
                    user.id: (
                        targets.get((metric.id, user.id, digest.slot_date), 0.0),
                        facts.get((metric.id, user.id, digest.slot_date), 0.0),
                    )
                    for user in members
                }
                if any(plan or fact for plan, fact in cells.values()):
                    table[metric] = cells
            result[digest.id] = table
        return result

    def _subject(self):
        slot_label = dict(self._fields["slot"]._description_selection(self.env))[self.slot]
        return self.env._(
            "%(team)s: %(slot)s, %(day)s",
            team=self.team_id.name,
            slot=slot_label,
            day=self.slot_date,
        )

    def _render(self, figures, plan_fact=None, money_per_person=False):
        titles = {
            "has_no_task": self.env._("Leads without a task"),
            "has_overdue_task": self.env._("Overdue tasks"),
            "is_stuck": self.env._("Stuck deals"),
        }
        parts = [Markup("<p><b>%s</b></p>") % self._subject()]
        if plan_fact:
            parts.append(self._render_plan_fact(plan_fact, money_per_person))
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

    def _render_plan_fact(self, plan_fact, money_per_person):
        """A small table: a row per member, a column per metric, cells "fact / plan";
        a money metric without money_per_person shows only in the team row."""
        payments = self.env.ref(PAYMENTS_METRIC, raise_if_not_found=False)
        metrics = sorted(plan_fact, key=lambda m: (m != payments, not m.is_money, m.sequence, m.id))
        members = self.team_id.member_ids.sorted("name")
        text = self.env["sales.kpi.metric"]._value_formatter(self.company_id.currency_id)

        def cell(metric, plan, fact):
            return Markup('<td class="text-end">%s / %s</td>') % (
                text(metric, fact),
                text(metric, plan),
            )

        rows = []
        for user in members:
            cells = [
                cell(metric, *plan_fact[metric][user.id])
                if money_per_person or not metric.is_money
                else Markup("<td></td>")
                for metric in metrics
            ]
            rows.append(Markup("<tr><td>%s</td>%s</tr>") % (user.name, Markup("").join(cells)))
        # an average does not add up over people: the team row leaves it empty
        team_cells = [
            Markup("<td></td>")
            if metric.measure == "average"
            else cell(
                metric,
                sum(plan for plan, _fact in plan_fact[metric].values()),
                sum(fact for _plan, fact in plan_fact[metric].values()),
            )
            for metric in metrics
        ]
        rows.append(
            Markup("<tr><td><b>%s</b></td>%s</tr>")
            % (self.env._("Team"), Markup("").join(team_cells))
        )
        header = Markup("<tr><th></th>%s</tr>") % Markup("").join(
            Markup('<th class="text-end">%s</th>') % metric.name for metric in metrics
        )
        return Markup(
            '<p>%s (<a href="/odoo/action-%s">%s</a>)</p><table class="table table-sm">%s%s</table>'
        ) % (
            self.env._("Plan and fact of the day so far (fact / plan)"),
            BOARD_ACTION,
            self.env._("board"),
            header,
            Markup("").join(rows),
        )
