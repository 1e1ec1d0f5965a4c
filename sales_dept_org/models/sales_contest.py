from markupsafe import Markup
from psycopg2.errors import LockNotAvailable

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, date_utils


class SalesContest(models.Model):
    """A sales contest: who does most of one metric over a period, in some
    teams. The leaderboard is read live from the stored facts while the
    contest runs, and frozen when it closes.

    Ranking: best value first; equal values share a rank and the next rank
    skips (1, 2, 2, 4). "Top N" wins everyone ranked N or better, so a tie
    on the N-th place wins all who share it. Nobody wins with nothing done
    (a value of 0). Closing pays the prize once: the row is locked and its
    state checked under the lock, so a second close (button, cron or a
    concurrent one) finds it closed and does nothing."""

    _name = "sales.contest"
    _description = "Sales Contest"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # this month by default: the monthly contest
    date_from = fields.Date(
        "From",
        required=True,
        tracking=True,
        default=lambda self: date_utils.start_of(fields.Date.context_today(self), "month"),
    )
    date_to = fields.Date(
        "To",
        required=True,
        tracking=True,
        default=lambda self: date_utils.end_of(fields.Date.context_today(self), "month"),
    )
    team_ids = fields.Many2many(
        "crm.team",
        required=True,
        domain="[('company_id', 'in', (company_id, False))]",
    )
    metric_id = fields.Many2one("sales.kpi.metric", required=True, tracking=True)
    rule = fields.Selection(
        [("top", "Top places"), ("threshold", "Everyone at or over a threshold")],
        required=True,
        default="top",
        tracking=True,
    )
    top_count = fields.Integer("Places", default=3)
    threshold = fields.Float()
    prize = fields.Selection(
        [("money", "Money"), ("day_off", "A day off")], required=True, default="money"
    )
    prize_amount = fields.Monetary("Prize amount", currency_field="currency_id")
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("closed", "Closed")],
        "Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    winner_ids = fields.Many2many("res.users", string="Winners", readonly=True, copy=False)
    standings = fields.Html("Final standings", readonly=True, copy=False, sanitize=True)
    close_problem = fields.Text(
        "Why it is not closed",
        readonly=True,
        copy=False,
        help="Why the daily job could not close the contest when its period ended: "
        "it stays running until this is put right.",
    )
    leaderboard = fields.Html(compute="_compute_leaderboard", sanitize=True)

    @api.constrains("date_from", "date_to", "rule", "top_count", "threshold", "prize")
    def _check_terms(self):
        problems = []
        for contest in self:
            if contest.date_from > contest.date_to:
                problems.append(
                    self.env._("%(name)s: the period ends before it starts.", name=contest.name)
                )
            if contest.rule == "top" and contest.top_count < 1:
                problems.append(self.env._("%(name)s: at least one place wins.", name=contest.name))
            if contest.rule == "threshold" and contest.threshold <= 0:
                problems.append(
                    self.env._("%(name)s: the threshold must be positive.", name=contest.name)
                )
            if contest.prize == "money" and contest.prize_amount <= 0:
                problems.append(
                    self.env._("%(name)s: the money prize must be positive.", name=contest.name)
                )
        if problems:
            raise ValidationError("\n".join(problems))

    @api.constrains("team_ids")
    def _check_teams_led(self):
        """A head runs contests only for teams he leads (the director any)."""
        if self.env.su or self.env.user.has_group("sales_dept_org.group_sales_dept_director"):
            return
        for contest in self:
            foreign = contest.team_ids.filtered(lambda team: team.user_id != self.env.user)
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(name)s: you do not lead %(teams)s.",
                        name=contest.name,
                        teams=", ".join(foreign.mapped("name")),
                    )
                )

    def _standings(self):
        """{contest: [(rank, user, value, won)]}: one grouped read of the facts
        per contest, for all its people at once."""
        result = {}
        for contest in self:
            users = contest.sudo().team_ids.member_ids
            facts = (
                contest.metric_id.sudo()
                .with_context(allowed_company_ids=contest.company_id.ids)
                ._read_facts(users, contest.date_from, contest.date_to)
            )
            values = sorted(
                ((facts.get((contest.metric_id.id, user.id), 0.0), user) for user in users),
                key=lambda pair: (-pair[0], pair[1].name or ""),
            )
            rows = []
            for index, (value, user) in enumerate(values):
                rank = rows[-1][0] if rows and rows[-1][2] == value else index + 1
                if contest.rule == "top":
                    won = value > 0 and rank <= contest.top_count
                else:
                    won = value > 0 and value >= contest.threshold
                rows.append((rank, user, value, won))
            result[contest] = rows
        return result

    @api.depends("state", "standings", "team_ids", "metric_id", "date_from", "date_to", "rule")
    def _compute_leaderboard(self):
        live = self.filtered(lambda contest: contest.state != "closed" and contest.team_ids)
        standings = live._standings()
        for contest in self:
            if contest.state == "closed":
                contest.leaderboard = contest.standings
            else:
                contest.leaderboard = contest._render(standings.get(contest, []))

    def _render(self, rows):
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th></th></tr>") % (
            self.env._("Place"),
            self.env._("Salesperson"),
            self.metric_id.name or "",
        )
        body = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (rank, user.name, f"{value:,.2f}", self.env._("wins") if won else "")
            for rank, user, value, won in rows
        )
        return Markup('<table class="table table-sm o_sales_contest_board">%s%s</table>') % (
            head,
            body,
        )

    # ------------------------------------------------------------------
    # buttons and the cron
    # ------------------------------------------------------------------
    def action_start(self):
        self.check_access("write")
        wrong = self.filtered(lambda contest: contest.state != "draft")
        if wrong:
            raise UserError(
                self.env._(
                    "Only a draft contest starts: %(names)s", names=", ".join(wrong.mapped("name"))
                )
            )
        self.state = "running"
        return True

    def action_close(self):
        """The head of the teams or the director closes: winners announced and
        paid once; an already closed contest is refused, named."""
        self.check_access("write")
        try:
            closing = self._lock_running("NOWAIT")
        except LockNotAvailable as error:
            raise UserError(
                self.env._("Someone is closing this contest right now: try again in a moment.")
            ) from error
        done = self - closing
        if done:
            raise UserError(
                self.env._(
                    "Only a running contest closes: %(names)s",
                    names=", ".join(done.mapped("name")),
                )
            )
        standings = closing._standings()
        problems = closing._close_problems(standings)
        if problems:
            raise UserError("\n".join(problems.values()))
        closing._close(self.env.user, standings)
        return True

    @api.model
    def _cron_close_ended(self):
        """Closes the running contests whose period ended before the
        company's today; those a user is closing right now are skipped. One
        that cannot pay its prize stays running: the reason goes to its
        chatter once (again only when it changes), the others close."""
        running = self.search([("state", "=", "running")])
        ended = running.filtered(lambda contest: contest.date_to < contest.company_id._sales_date())
        closing = ended._lock_running("SKIP LOCKED")
        standings = closing._standings()
        problems = closing._close_problems(standings)
        for contest, problem in problems.items():
            if contest.close_problem != problem:
                contest.sudo().close_problem = problem
                contest.sudo().message_post(body=problem)
        blocked = self.browse(contest.id for contest in problems)
        (closing - blocked)._close(self.env.ref("base.user_root"), standings)
        self.env["ir.cron"]._notify_progress(done=len(closing - blocked), remaining=0)

    def _lock_running(self, wait):
        """The contests still running, their rows locked until the commit."""
        if not self:
            return self
        self.flush_recordset(["state"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM sales_contest WHERE id IN %s AND state = 'running' FOR UPDATE %s",
                tuple(self.ids),
                SQL(wait),
            )
        )
        self.invalidate_recordset(["state"])
        return self.browse(row[0] for row in rows)

    @api.model
    def _winners(self, rows):
        return self.env["res.users"].union(*(user for _r, user, _v, won in rows if won))

    def _winner_employees(self, winners):
        """The winners' employees in the contest's company, one query."""
        return (
            self.env["hr.employee"]
            .sudo()
            .search([("user_id", "in", winners.ids), ("company_id", "=", self.company_id.id)])
        )

    def _close_problems(self, standings):
        """{contest: why closing it cannot pay its money prize}: winners
        without an employee in its company, or the prize's month locked. The
        prize is dated the company's day it is approved (today): a sheet
        already confirmed for this month is named."""
        problems = {}
        for contest in self.filtered(lambda contest: contest.prize == "money"):
            winners = self._winners(standings[contest])
            if not winners:
                continue
            missing = winners - contest._winner_employees(winners).user_id
            reasons = []
            if missing:
                reasons.append(
                    self.env._(
                        "No employee in %(company)s to pay the prize to: %(people)s. "
                        "Create their employee records, then close the contest.",
                        company=contest.company_id.name,
                        people=", ".join(missing.mapped("name")),
                    )
                )
            try:
                self.env["sales.bonus.instant"]._check_months_open(
                    [(contest.company_id.id, contest.company_id._sales_date())]
                )
            except UserError as locked:
                reasons.append(locked.args[0])
            if reasons:
                problems[contest] = self.env._(
                    "Contest %(name)s cannot close: %(reasons)s",
                    name=contest.name,
                    reasons=" ".join(reasons),
                )
        return problems

    def _close(self, closer, standings):
        for contest in self:
            rows = standings[contest]
            winners = self._winners(rows)
            board = contest._render(rows)
            contest.sudo().write(
                {
                    "state": "closed",
                    "closed_by_id": closer.id,
                    "winner_ids": [fields.Command.set(winners.ids)],
                    "standings": board,
                    "close_problem": False,
                }
            )
            contest._give_prizes(winners, closer)
            contest._announce(winners, board)

    def _give_prizes(self, winners, closer):
        if not winners:
            return
        if self.prize == "money":
            employees = self._winner_employees(winners)
            today = self.company_id._sales_date()
            self.env["sales.bonus.instant"].sudo().create(
                [
                    {
                        "company_id": self.company_id.id,
                        "employee_id": employee.id,
                        "date": today,
                        "amount": self.prize_amount,
                        "reason": self.env._("Contest won: %(name)s", name=self.name),
                        "granted_by_id": closer.id,
                        "state": "approved",
                        "approved_by_id": closer.id,
                        "approved_date": today,
                    }
                    for employee in employees
                ]
            )
            return
        todo = self.env.ref("mail.mail_activity_data_todo")
        for winner in winners:
            team = self.team_ids.filtered(lambda t, winner=winner: winner in t.member_ids)[:1]
            self.sudo().activity_schedule(
                activity_type_id=todo.id,
                user_id=(team.user_id or closer).id,
                summary=self.env._("Grant a day off to %(person)s", person=winner.name),
            )

    def _announce(self, winners, board):
        """One message in each team's digest channel, in the company's language."""
        teams = self.sudo().team_ids
        teams._sync_digest_channels()
        contest = self.with_context(lang=self.company_id._sales_lang())
        names = ", ".join(winners.mapped("name")) or contest.env._("nobody")
        body = Markup("<p>%s</p>%s") % (
            contest.env._(
                "Contest %(name)s (%(date_from)s - %(date_to)s) is closed. Winners: %(winners)s.",
                name=self.name,
                date_from=self.date_from,
                date_to=self.date_to,
                winners=names,
            ),
            board,
        )
        for team in teams:
            team.digest_channel_id.message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.message_post(body=body)
