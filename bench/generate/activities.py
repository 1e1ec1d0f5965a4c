"""Activities: done ones as chatter messages, planned ones as mail.activity.

Done activities are what Odoo keeps after "Mark as done": a ``mail.message``
with ``mail_activity_type_id`` on the lead (the "calls made" and "meetings
held" facts read them). Every lead had a first call by its hunter; leads past
the first stage had a meeting with the closer halfway to their close; most
open leads have one planned next step, a third of them overdue.
About two activities per lead in all.
"""

from odoo.tools import SQL

from . import bulk, step
from .leads import OWNER

PLANNED_SHARE = 0.9  # open leads with a next step; the rest feed "leads without a task"
SUMMARIES = ["Oddzwonić", "Wysłać ofertę", "Umówić spotkanie", "Potwierdzić zamówienie"]


@step("activities")
def activities(gen):
    env = gen.env
    call, meeting, todo, email = (
        env.ref(f"mail.mail_activity_data_{kind}") for kind in ("call", "meeting", "todo", "email")
    )
    lead = env["crm.lead"].browse(gen.state["leads"][0])
    planned_template = lead.activity_schedule(activity_type_id=todo.id, summary="template")
    done_template = lead.activity_schedule(activity_type_id=call.id, summary="template")
    message = done_template._action_done(feedback="template")[0]
    env.flush_all()
    done = _done_messages(gen, message, call, meeting)
    planned = _planned(gen, planned_template, [call.id, meeting.id, todo.id, email.id])
    message.unlink()
    planned_template.unlink()
    gen.log(f"{done:,} done activities (messages), {planned:,} planned")


def _done_messages(gen, template, call, meeting):
    cr = gen.cr
    cr.execute(SQL("SELECT count(*) FILTER (WHERE stage_pos >= 1), count(*) FROM bench_lead"))
    meetings, calls = cr.fetchone()
    first = bulk.reserve_ids(cr, "mail_message", calls + meetings)
    # calls: message ids first + i; meetings: first + calls + (rank among met leads)
    source = SQL(
        """(SELECT l.i AS n, l.id AS lead_id, l.company_id, l.hunter_id AS user_id,
                   %(call)s AS type_id, 'Rozmowa telefoniczna' AS summary,
                   LEAST(l.created + make_interval(hours => 1 + floor(%(r1)s * 48)::int),
                         bench_now()) AS done_at
              FROM bench_lead l
            UNION ALL
            SELECT %(calls)s + row_number() OVER (ORDER BY l.i) - 1, l.id, l.company_id,
                   l.closer_id, %(meeting)s, 'Spotkanie u klienta',
                   date_trunc('second', l.created
                       + (COALESCE(l.closed, bench_now()) - l.created) / 2)
              FROM bench_lead l WHERE l.stage_pos >= 1) a
           JOIN crm_lead lead ON lead.id = a.lead_id
           JOIN res_users u ON u.id = a.user_id""",
        call=call.id,
        meeting=meeting.id,
        calls=calls,
        r1=bulk.rand(SQL("l.i"), 40),
    )
    return bulk.clone(
        cr,
        "mail_message",
        template.id,
        source,
        {
            "id": SQL("%s + a.n", first),
            "res_id": SQL("a.lead_id"),
            "record_name": SQL("lead.name"),
            "record_company_id": SQL("a.company_id"),
            "author_id": SQL("u.partner_id"),
            "mail_activity_type_id": SQL("a.type_id"),
            "body": SQL("'<p>' || a.summary || ': zrobione</p>'"),
            "message_id": SQL("'<bench-' || (%s + a.n) || '@bench.example.com>'", first),
            "date": SQL("a.done_at"),
            "create_date": SQL("a.done_at"),
            "write_date": SQL("a.done_at"),
            "create_uid": SQL("a.user_id"),
            "write_uid": SQL("a.user_id"),
        },
    )


def _planned(gen, template, type_ids):
    cr = gen.cr
    r = bulk.rand
    i = SQL("l.i")
    cr.execute(
        SQL(
            "SELECT count(*) FROM bench_lead l WHERE l.outcome = 'open' AND %s < %s",
            r(i, 41),
            PLANNED_SHARE,
        )
    )
    count = cr.fetchone()[0]
    first = bulk.reserve_ids(cr, "mail_activity", count)
    return bulk.clone(
        cr,
        "mail_activity",
        template.id,
        SQL(
            """(SELECT l.*, row_number() OVER (ORDER BY l.i) - 1 AS n FROM bench_lead l
                 WHERE l.outcome = 'open' AND %s < %s) l
               JOIN crm_lead lead ON lead.id = l.id""",
            r(i, 41),
            PLANNED_SHARE,
        ),
        {
            "id": SQL("%s + l.n", first),
            "res_id": SQL("l.id"),
            "res_name": SQL("lead.name"),
            "activity_type_id": bulk.pick(i, 42, type_ids),
            "user_id": OWNER,
            "summary": bulk.pick(i, 43, SUMMARIES),
            # from a week overdue to two weeks ahead: about a third overdue
            "date_deadline": SQL("bench_now()::date + floor(%s * 21)::int - 7", r(i, 44)),
            "create_date": SQL("GREATEST(l.created, bench_now() - interval '3 days')"),
            "write_date": SQL("GREATEST(l.created, bench_now() - interval '3 days')"),
            "create_uid": OWNER,
            "write_uid": OWNER,
        },
    )
