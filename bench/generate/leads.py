"""Leads over the last ~24 months: open ones in every stage, won and lost.

``bench_lead`` keeps each lead's story (team, hunter, closer, customer,
created/closed dates, outcome), so later steps (activities, orders, the stage
log) follow the same story. Shares: 25 % won, 30 % lost, 45 % open; open
leads are recent (last 120 days), closed ones spread over the whole history.
A hunter owns a lead in the first two open stages, a closer after that.
"""

from odoo.tools import SQL

from ..sizes import HISTORY_DAYS
from . import bulk, step

WON_SHARE = 0.25
LOST_SHARE = 0.30
OPEN_DAYS = 120
TAGS = [
    "Hurt",
    "Budownictwo",
    "Instalatorzy",
    "Sektor publiczny",
    "Deweloperzy",
    "Przemysł",
    "Hotele",
    "Szpitale",
]
# who owns lead ``l`` (a bench_lead row) now
OWNER = SQL("CASE WHEN l.outcome = 'won' OR l.stage_pos >= 2 THEN l.closer_id ELSE l.hunter_id END")
ROLE_COLUMNS = {
    "hunter_user_id": SQL("l.hunter_id"),
    "closer_user_id": SQL("CASE WHEN l.outcome = 'won' THEN l.closer_id END"),
}


def role_values(gen):
    """Overrides for the leads' clone: the role columns this database has."""
    present = set(gen.columns("crm_lead"))
    return {name: value for name, value in ROLE_COLUMNS.items() if name in present}


OPEN_PROBABILITY = [10, 30, 60]  # by open stage; more stages repeat the last one


def _story(gen, stages):
    """Fills ``bench_lead``: one row per lead with its whole history."""
    sizes, (customer_first, customers) = gen.sizes, gen.state["customers"]
    first = bulk.reserve_ids(gen.cr, "crm_lead", sizes.leads)
    gen.state["leads"] = [first, sizes.leads]
    open_ids = [stage.id for stage in stages if not stage.is_won]
    won_id = stages.filtered("is_won")[:1].id
    r = bulk.rand
    i = SQL("i")
    gen.cr.execute(
        SQL(
            """CREATE TABLE bench_lead AS
               SELECT i, %(first)s + i AS id, t.team_idx, t.team_id, t.company_id,
                      outcome, stage_pos,
                      CASE WHEN outcome = 'won' THEN %(won)s
                           ELSE (%(open_ids)s)[1 + stage_pos] END AS stage_id,
                      t.hunters[1 + floor(%(r_hunter)s * cardinality(t.hunters))::int]
                          AS hunter_id,
                      t.closers[1 + floor(%(r_closer)s * cardinality(t.closers))::int]
                          AS closer_id,
                      CASE WHEN outcome = 'won' OR %(r_customer)s < 0.6
                           THEN %(customer_first)s + t.team_idx + %(teams)s
                                * floor(%(r_which)s * (%(customers)s / %(teams)s))::int
                      END AS customer_id,
                      created,
                      CASE WHEN outcome <> 'open' THEN LEAST(
                          created + make_interval(days => 3 + floor(%(r_days)s * 60)::int),
                          bench_now()) END AS closed
                 FROM (
                   SELECT i, o.outcome,
                          CASE WHEN o.outcome = 'won' THEN %(won_pos)s
                               WHEN o.outcome = 'lost'
                               THEN floor(%(r_stage)s * %(open_count)s)::int
                               -- open: early stages hold more leads (a funnel)
                               ELSE LEAST(%(open_count)s - 1,
                                          floor(%(r_stage)s ^ 2 * %(open_count)s)::int)
                          END AS stage_pos,
                          date_trunc('second', bench_now()) - make_interval(
                              days => floor(%(r_age)s * CASE WHEN o.outcome = 'open'
                                  THEN %(open_days)s ELSE %(history)s END)::int,
                              secs => floor(%(r_secs)s * 86400)::int) AS created
                     FROM generate_series(0, %(last)s) AS g(i),
                          LATERAL (SELECT CASE WHEN %(r_outcome)s < %(won_share)s THEN 'won'
                                               WHEN %(r_outcome)s < %(closed_share)s THEN 'lost'
                                               ELSE 'open' END AS outcome) o
                 ) lead
                 JOIN bench_team t ON t.team_idx = mod(i, %(teams)s)""",
            first=first,
            won=won_id,
            open_ids=open_ids,
            open_count=len(open_ids),
            won_pos=len(open_ids),
            customer_first=customer_first,
            customers=customers,
            teams=sizes.teams,
            last=sizes.leads - 1,
            open_days=OPEN_DAYS,
            history=HISTORY_DAYS,
            won_share=WON_SHARE,
            closed_share=WON_SHARE + LOST_SHARE,
            r_outcome=r(i, 1),
            r_stage=r(i, 2),
            r_age=r(i, 3),
            r_secs=r(i, 4),
            r_days=r(i, 5),
            r_customer=r(i, 6),
            r_which=r(i, 7),
            r_hunter=r(i, 8),
            r_closer=r(i, 9),
        )
    )
    gen.cr.execute(SQL("ALTER TABLE bench_lead ADD PRIMARY KEY (i)"))
    return first


@step("leads")
def leads(gen):
    # the demo's offers (imported here: odoo.addons is ready once Odoo is configured)
    from odoo.addons.sales_dept_org.demo.sales_dept_demo_leads import OFFERS

    env, cr = gen.env, gen.cr
    stages = env["crm.stage"].search([("team_id", "=", False)], order="sequence, id")
    _story(gen, stages)
    template = env["crm.lead"].create(
        {
            "name": "Bench template lead",
            "type": "opportunity",
            "company_id": gen.state["company_ids"][0],
        }
    )
    open_count = len(stages.filtered(lambda stage: not stage.is_won))
    probabilities = (OPEN_PROBABILITY + [OPEN_PROBABILITY[-1]] * open_count)[:open_count]
    lost_reasons = env["crm.lost.reason"].search([]).ids
    sources = env["utm.source"].search([]).ids
    mediums = env["utm.medium"].search([]).ids
    i = SQL("l.i")
    owner = OWNER
    roles = role_values(gen)  # the hand-off's hunter/closer columns, once they exist
    probability = SQL(
        "CASE l.outcome WHEN 'won' THEN 100 WHEN 'lost' THEN 0 ELSE (%s)[1 + l.stage_pos] END",
        probabilities,
    )
    revenue = SQL("round((1000 + %s * 99000)::numeric, -2)", bulk.rand(i, 20))
    email = SQL("COALESCE(c.email, 'lead.' || l.i || '@prospect.example.pl')")
    last_change = SQL("COALESCE(l.closed, l.created + make_interval(days => l.stage_pos * 5))")
    bulk.clone(
        cr,
        "crm_lead",
        template.id,
        SQL("bench_lead l LEFT JOIN res_partner c ON c.id = l.customer_id"),
        {
            "id": SQL("l.id"),
            "name": SQL("%s || ' #' || l.i", bulk.pick(i, 21, OFFERS)),
            "company_id": SQL("l.company_id"),
            "team_id": SQL("l.team_id"),
            "user_id": owner,
            "create_uid": SQL("l.hunter_id"),
            "write_uid": owner,
            "stage_id": SQL("l.stage_id"),
            "active": SQL("l.outcome <> 'lost'"),
            "probability": probability,
            "automated_probability": probability,
            "expected_revenue": revenue,
            "prorated_revenue": SQL("round(%s * %s / 100, 2)", revenue, probability),
            "partner_id": SQL("l.customer_id"),
            "partner_name": SQL("COALESCE(c.name, 'Firma ' || l.i)"),
            "contact_name": SQL("CASE WHEN c.id IS NULL THEN 'Kontakt ' || l.i END"),
            "email_from": email,
            "email_normalized": email,
            "email_domain_criterion": SQL("split_part(%s, '@', 2)", email),
            "phone": SQL("COALESCE(c.phone, '+48 600 ' || lpad(mod(l.i, 1000000)::text, 6, '0'))"),
            "city": SQL("c.city"),
            "zip": SQL("c.zip"),
            "state_id": SQL("c.state_id"),
            "country_id": env.ref("base.pl").id,
            "source_id": bulk.pick(i, 22, sources + [None]),
            "medium_id": bulk.pick(i, 23, mediums),
            "priority": bulk.pick(i, 24, ["0", "0", "1", "2", "3"]),
            "lost_reason_id": SQL(
                "CASE WHEN l.outcome = 'lost' THEN %s END", bulk.pick(i, 25, lost_reasons)
            ),
            "create_date": SQL("l.created"),
            "date_open": SQL("l.created"),
            "write_date": last_change,
            "date_last_stage_update": last_change,
            "date_closed": SQL("l.closed"),
            "day_open": 0,
            "day_close": SQL("extract(day FROM l.closed - l.created)"),
            "date_deadline": SQL(
                "CASE WHEN l.outcome = 'open' THEN (l.created + interval '45 days')::date END"
            ),
            **roles,
        },
    )
    gen.state["lead_roles_in_leads"] = bool(roles)
    template.unlink()
    _tags(gen)
    gen.log(f"{gen.sizes.leads:,} leads over {len(stages)} stages")


def _tags(gen):
    """About 60 % of the leads carry one tag, 20 % a second one."""
    tags = gen.env["crm.tag"].create([{"name": name} for name in TAGS]).ids
    first_tag = SQL("floor(%s * %s)::int", bulk.rand(SQL("i"), 30), len(tags))
    bulk.insert(
        gen.cr,
        "crm_tag_rel",
        SQL(
            """INSERT INTO crm_tag_rel (lead_id, tag_id)
               SELECT id, (%(tags)s)[1 + %(first_tag)s] FROM bench_lead WHERE %(r_one)s < 0.6
               UNION ALL
               SELECT id, (%(tags)s)[1 + mod(%(first_tag)s + 1, %(count)s)]
                 FROM bench_lead WHERE %(r_one)s < 0.2""",
            tags=tags,
            first_tag=first_tag,
            count=len(tags),
            r_one=bulk.rand(SQL("i"), 31),
        ),
    )
