"""What the load does and what it leaves, read and written in the database
directly (not through the servers): the sessions' people and leads before,
the counts after."""

import secrets
from collections import defaultdict
from datetime import UTC, datetime
from itertools import zip_longest
from zoneinfo import ZoneInfo

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

# the moves of the default pipeline: within the hunters' stages, and the
# hand-off from the hunters' last stage to the closers' first
STAGE_MOVE = ("crm.stage_lead1", "crm.stage_lead2")
HANDOFF = ("crm.stage_lead2", "crm.stage_lead3")
CRONS = (
    "sales_dept_org.ir_cron_sales_bonus_sheet_compute",
    "sales_dept_org.sales_kpi_fact_cron",
    "sales_dept_org.sales_digest_post_cron",
)
HEAD_SHARE = 0.3  # of the sessions: team heads, the rest hunters


def prepare(registry, sessions, moves, idle):
    """Chooses the people and the leads each moves (leads the rules let
    through, each moved once, by one session), gives the people a password
    and makes a digest slot due now. Returns the plan: ``{"people":
    [(login, password, [(lead id, stage id, kind)])], "idle": [...] , ...}``."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        people = _people(env, sessions)
        taken, plan_people = set(), []
        stages = {xmlid: env.ref(xmlid) for xmlid in {*STAGE_MOVE, *HANDOFF}}
        for user, role in people:
            halves = [
                _movable(user, role, stages[src], stages[dst], moves // 2, taken, kind)
                for (src, dst), kind in ((STAGE_MOVE, "stage"), (HANDOFF, "handoff"))
            ]
            plan_people.append(
                (user, role, [step for pair in zip_longest(*halves) for step in pair if step])
            )
        first, first_role = people[0]
        idle_moves = _movable(
            first, first_role, stages[STAGE_MOVE[0]], stages[STAGE_MOVE[1]], idle, taken, "stage"
        )
        passwords = {user.id: secrets.token_urlsafe(16) for user, _role in people}
        for user, _role in people:
            user.password = passwords[user.id]
        cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM mail_message"))
        since_message = cr.fetchone()[0]
        cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM sales_lead_stage_log"))
        since_log = cr.fetchone()[0]
        slot = _make_digest_due(env)
        cr.commit()
        return {
            "people": [
                (user.login, passwords[user.id], role, steps) for user, role, steps in plan_people
            ],
            "idle": (first.login, passwords[first.id], first_role, idle_moves),
            "since_message": since_message,
            "since_log": since_log,
            "slot": slot,
        }


def _people(env, count):
    """``[(user, "hunter" or "head")]`` of distinct people: the first hunter
    of each role-split team, and team heads for about a third of the sessions."""
    teams = env["crm.team"].search([("sales_structure", "=", "split")], order="id")
    heads = env["crm.team"].search([("user_id", "!=", False)], order="id").user_id
    hunters = env["res.users"]
    for team in teams:
        first = team.crm_team_member_ids.filtered(lambda m: m.sales_role == "hunter")[:1]
        if first.user_id not in hunters:
            hunters |= first.user_id
    want_heads = max(round(count * HEAD_SHARE), count - len(hunters))
    people = [(user, "hunter") for user in hunters[: count - min(want_heads, len(heads))]]
    people += [(user, "head") for user in heads[:want_heads]]
    if len(people) < count:
        raise RuntimeError(f"only {len(people)} hunters and heads for {count} sessions")
    return people


def _movable(user, role, source, target, count, taken, kind):
    """Up to ``count`` leads ``user`` may write in ``source`` that the stage
    rules let into ``target``, none already taken: ``[(lead id, stage id, kind)]``."""
    Lead = (
        source.env["crm.lead"]
        .with_user(user)
        .with_context(allowed_company_ids=user.company_ids.ids)
    )
    domain = [("stage_id", "=", source.id), ("id", "not in", list(taken))]
    if role == "hunter":
        domain.append(("user_id", "=", user.id))
    candidates = Lead.search(domain, order="id", limit=count * 20)
    candidates = candidates._filtered_access("write").sudo()
    problems = candidates._sales_stage_problems([(lead, source, target) for lead in candidates], {})
    leads = [lead for lead in candidates if lead not in problems][:count]
    taken.update(lead.id for lead in leads)
    return [(lead.id, target.id, kind) for lead in leads]


def _make_digest_due(env):
    """Sets every company's first check-in to the minute before now (its
    own time zone): the digest cron posts that slot."""
    now = datetime.now(UTC)
    for company in env["res.company"].search([]):
        local = now.astimezone(ZoneInfo(company._sales_tz()))
        company.sales_digest_checkin_1 = round(local.hour + (local.minute - 1) / 60, 4)
    return "checkin_1"


def trigger_crons(registry):
    """Asks the servers' cron workers to run the jobs now (as their
    scheduler would); returns the moment asked."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute(SQL("SELECT NOW() AT TIME ZONE 'UTC'"))
        asked = cr.fetchone()[0]
        for xmlid in CRONS:
            env.ref(xmlid)._trigger()
        cr.commit()  # the commit wakes the cron workers (NOTIFY cron_trigger)
    return asked


def crons_done(registry, asked):
    """Whether every job ran to its end since ``asked``."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ids = [env.ref(xmlid).id for xmlid in CRONS]
        cr.execute(
            SQL(
                """SELECT COUNT(*) FROM ir_cron c
                    WHERE c.id = ANY(%s)
                      AND (c.lastcall IS NULL OR c.lastcall < %s
                           OR EXISTS (SELECT 1 FROM ir_cron_trigger t
                                       WHERE t.cron_id = c.id AND t.call_at <= %s))""",
                ids,
                asked,
                asked,
            )
        )
        return not cr.fetchone()[0]


def outcome(registry, plan, acknowledged):
    """The counts after the load: ``acknowledged`` is ``[(lead id, stage
    id)]`` of the writes the servers answered."""
    with registry.cursor() as cr:
        stage_of = dict(acknowledged)
        cr.execute(
            SQL(
                """SELECT l.id, l.stage_id, log.stage_id
                     FROM crm_lead l
                     LEFT JOIN sales_lead_stage_log log
                            ON log.lead_id = l.id AND log.date_out IS NULL
                    WHERE l.id = ANY(%s)""",
                list(stage_of),
            )
        )
        lost, open_rows = set(), defaultdict(int)
        for lead_id, stage_id, log_stage_id in cr.fetchall():
            open_rows[lead_id] += 1
            if stage_id != stage_of[lead_id] or log_stage_id != stage_of[lead_id]:
                lost.add(lead_id)
        lost |= set(stage_of) - set(open_rows)
        cr.execute(
            SQL(
                """SELECT COUNT(*) - COUNT(DISTINCT (lead_id, stage_id)) FROM sales_lead_stage_log
                    WHERE id > %s AND lead_id = ANY(%s)""",
                plan["since_log"],
                list(stage_of),
            )
        )
        log_duplicates = cr.fetchone()[0] + sum(rows - 1 for rows in open_rows.values())
        cr.execute(
            SQL(
                """SELECT (SELECT COUNT(*) - COUNT(DISTINCT (sheet_id, employee_id, line_type,
                                                             COALESCE(origin_line_id, 0)))
                             FROM sales_bonus_line),
                          (SELECT COUNT(*) - COUNT(DISTINCT (company_id, date_from))
                             FROM sales_bonus_sheet),
                          (SELECT COUNT(*) FROM sales_bonus_line)"""
            )
        )
        line_duplicates, sheet_duplicates, lines = cr.fetchone()
        cr.execute(
            SQL(
                """SELECT COUNT(*), COUNT(DISTINCT m.res_id),
                          (SELECT COUNT(*) FROM sales_digest_post p
                            WHERE p.slot = %s AND p.create_date >= NOW() - INTERVAL '1 day')
                     FROM mail_message m
                     JOIN crm_team t ON t.digest_channel_id = m.res_id
                    WHERE m.model = 'discuss.channel' AND m.id > %s
                      AND m.message_type = 'comment'""",
                plan["slot"],
                plan["since_message"],
            )
        )
        posts, channels, digests = cr.fetchone()
        return {
            "lost": sorted(lost),
            "log_duplicates": log_duplicates,
            "sheet_duplicates": line_duplicates + sheet_duplicates,
            "lines": lines,
            "digest_duplicates": posts - channels,
            "digest_posts": posts,
            "digests": digests,
        }
