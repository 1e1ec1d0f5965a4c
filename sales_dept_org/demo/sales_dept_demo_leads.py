"""The demo department's pipeline: leads over every stage of the last three
months (older ones further down, some won, some lost), backdated, with their
stage log and their activities (done, planned, some overdue, a few leads
without a next step). Seeded like the rest of the builder."""

from datetime import timedelta

from odoo import fields, models
from odoo.tools import SQL

from .sales_dept_demo import PEOPLE, TEAMS

DEMO_DAYS = 90

NEW_CONTACTS = [
    ("Marek Pawlak", "Pawlak Hydraulika"),
    ("Joanna Michalska", "Ekoterm Michalska"),
    ("Grzegorz Król", "Król Instalacje"),
    ("Beata Wieczorek", "Biuro Projektowe Wieczorek"),
    ("Andrzej Jabłoński", "Jabłoński i Synowie"),
    ("Monika Nowicka", "Nowicka Budownictwo"),
    ("Rafał Majewski", "Majewski Serwis"),
    ("Dorota Olszewska", "Olszewska Design"),
    ("Łukasz Stępień", "Stępień Grzewanie"),
    ("Aleksandra Malinowska", "Malinowska Nieruchomości"),
]

OFFERS = [
    "Pompy ciepła dla osiedla",
    "Kotłownia gazowa – modernizacja",
    "Armatura łazienkowa – dostawa roczna",
    "Rury PEX i złączki – zamówienie hurtowe",
    "Instalacja c.o. w biurowcu",
    "Rekuperacja – budynek szkoły",
    "Grzejniki płytowe – 200 szt.",
    "Serwis kotłów – umowa roczna",
    "Zawory termostatyczne – partia",
    "Instalacja solarna na dachu hali",
]

TAGS = ["Hurt", "Budownictwo", "Instalatorzy", "Sektor publiczny", "Deweloperzy"]
UTM = [
    ("utm.utm_source_search_engine", "utm.utm_medium_website"),
    ("utm.utm_source_newsletter", "utm.utm_medium_email"),
    ("utm.utm_source_linkedin", "utm.utm_medium_linkedin"),
    ("utm.utm_source_facebook", "utm.utm_medium_facebook"),
    (None, "utm.utm_medium_phone"),
    (None, "utm.utm_medium_direct"),
]

LEADS_PER_DAY = 1.6
LOST_SHARE = 0.15


class SalesDeptDemo(models.AbstractModel):
    _inherit = "sales.dept.demo"  # pylint: disable=consider-merging-classes-inherited

    def _demo_leads(self, rng, company, users, teams, customers):
        self._demo_stage_rules()
        stages = self.env["crm.stage"].search([("team_id", "=", False)], order="sequence, id")
        open_stages = stages.filtered(lambda stage: not stage.is_won)
        won_stage = stages.filtered("is_won")[:1]
        tags = self.env["crm.tag"].create([{"name": name} for name in TAGS])
        lost_reason = self.env["crm.lost.reason"].search([], limit=1)
        team_people = {
            key: {person[5]: users[person[0]] for person in PEOPLE if person[1] == key}
            for key, *_rest in TEAMS
        }
        today = fields.Date.context_today(self)
        plans = []
        for day in range(DEMO_DAYS, -1, -1):
            for _n in range(int(LEADS_PER_DAY) + (rng.random() < LEADS_PER_DAY % 1)):
                plans.append(
                    self._demo_lead_plan(rng, day, stages, open_stages, won_stage, customers)
                )
        # Every stage gets at least one recent lead, whatever the draws.
        for index, stage in enumerate(stages):
            plans[-1 - index]["stage"] = stage
        vals_list = []
        for plan in plans:
            team_key = rng.choice([key for key, *_rest in TEAMS])
            people = team_people[team_key]
            source, medium = rng.choice(UTM)
            customer = plan["customer"]
            vals_list.append(
                {
                    "name": rng.choice(OFFERS),
                    "type": "opportunity",
                    "company_id": company.id,
                    "team_id": teams[team_key].id,
                    "user_id": self._demo_owner(rng, people, plan["stage"], open_stages).id,
                    "stage_id": plan["stage"].id,
                    "partner_id": customer.id if customer else False,
                    "partner_name": False if customer else plan["contact"][1],
                    "contact_name": False if customer else plan["contact"][0],
                    "expected_revenue": rng.randrange(20, 1200) * 100,
                    "source_id": source and self.env.ref(source).id,
                    "medium_id": self.env.ref(medium).id,
                    "tag_ids": [fields.Command.set(rng.sample(tags.ids, rng.randint(0, 2)))],
                    "priority": rng.choice("0012"),
                    # the hunter sourced every lead of a role-split team
                    "hunter_user_id": people["hunter"].id if "hunter" in people else False,
                }
            )
        # The demo's history is generated, not worked: it is created past the
        # stage rules, then replayed into the stage log with its real dates.
        leads = (
            self.env["crm.lead"]
            .with_company(company)
            .with_context(sales_stage_rules_off=True)
            .create(vals_list)
        )
        # Deals created already won: their customers go to the team's farmer,
        # as if they had been won through the pipeline.
        leads.filtered(lambda lead: lead.stage_id.is_won)._sales_handoff_won()
        created = list(zip(leads, plans, strict=True))
        self._demo_backdate(created, today)
        self._demo_stage_log_dates(leads)
        lost = self.env["crm.lead"].union(*(lead for lead, plan in created if plan["lost"]))
        if lost and lost_reason:
            lost.action_set_lost(lost_reason_id=lost_reason.id)
        self._demo_activities(rng, created, today)
        self.env["sales.discipline.daily"]._cron_sales_discipline()

    def _demo_stage_rules(self):
        """The shipped stage rules, before the first lead moves. Installed with
        its demo, the addon builds the department before its install hook
        gives the stages their rules: without them no stage qualifies, the
        stage log marks no lead qualified, and the breakdown finds no meeting
        in the history. The hook gives the same rules again afterwards."""
        if not self.env["crm.stage"].search_count([("sales_qualifying", "=", True)]):
            self.env["crm.stage"]._sales_apply_default_rules()

    def _demo_lead_plan(self, rng, day, stages, open_stages, won_stage, customers):
        """Older leads are further down the pipeline; a share of them is lost."""
        if day > 10 and rng.random() < 0.45:
            stage = won_stage
        else:
            reach = day / DEMO_DAYS * len(open_stages) * rng.random() * 1.5
            stage = open_stages[min(len(open_stages) - 1, int(reach))]
        return {
            "age": day,
            "stage": stage or stages[0],
            "lost": stage != won_stage and day > 20 and rng.random() < LOST_SHARE,
            "customer": False if rng.random() < 0.3 else rng.choice(customers),
            "contact": rng.choice(NEW_CONTACTS),
        }

    def _demo_owner(self, rng, people, stage, open_stages):
        """The role that owns the stage: hunters early, closers late and at won."""
        if "universal" in people:
            return rng.choice(
                [user for role, user in people.items() if role == "universal"]
                or list(people.values())
            )
        early = stage in open_stages[:2]
        return people["hunter" if early else "closer"]

    def _demo_backdate(self, created, today):
        """Dates of creation, opening and closing follow each lead's age."""
        rows = []
        for lead, plan in created:
            created_on = fields.Datetime.to_datetime(today - timedelta(days=plan["age"]))
            created_on += timedelta(hours=8, minutes=(lead.id * 37) % 540)
            closed_on = created_on + timedelta(days=min(plan["age"], 3 + lead.id % 20))
            rows.append(
                SQL(
                    "(%s, %s::timestamp, %s::timestamp)",
                    lead.id,
                    created_on,
                    closed_on if lead.stage_id.is_won else None,
                )
            )
        self.env.cr.execute(
            SQL(
                """UPDATE crm_lead
                  SET create_date = v.created_on,
                      date_open = v.created_on,
                      date_last_stage_update = COALESCE(v.closed_on, v.created_on),
                      date_closed = COALESCE(v.closed_on, crm_lead.date_closed)
                 FROM (VALUES %s) AS v(id, created_on, closed_on)
                WHERE crm_lead.id = v.id""",
                SQL(", ").join(rows),
            )
        )
        self.env["crm.lead"].invalidate_model(
            ["create_date", "date_open", "date_last_stage_update", "date_closed"]
        )

    def _demo_stage_log_dates(self, leads):
        """The stage log rows start when the backdated leads entered their stage."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE sales_lead_stage_log log
                      SET date_in = lead.date_last_stage_update
                     FROM crm_lead lead
                    WHERE log.lead_id = lead.id AND lead.id = ANY(%s)""",
                leads.ids,
            )
        )
        self.env["sales.lead.stage.log"].invalidate_model(["date_in"])

    def _demo_activities(self, rng, created, today):
        """Past activities are done; open leads mostly have a next step,
        some overdue, about one in ten has none (the discipline reports need them)."""
        call = self.env.ref("mail.mail_activity_data_call")
        meeting = self.env.ref("mail.mail_activity_data_meeting")
        todo = self.env.ref("mail.mail_activity_data_todo")
        done_vals, planned_vals = [], []
        model_id = self.env["ir.model"]._get_id("crm.lead")
        for lead, plan in created:
            base = {"res_model_id": model_id, "res_id": lead.id, "user_id": lead.user_id.id}
            done_vals.append(
                dict(
                    base,
                    activity_type_id=call.id,
                    summary="Pierwszy telefon",
                    date_deadline=today - timedelta(days=plan["age"]),
                )
            )
            if lead.stage_id.sequence > 1 or lead.stage_id.is_won:
                done_vals.append(
                    dict(
                        base,
                        activity_type_id=meeting.id,
                        summary="Spotkanie u klienta",
                        date_deadline=today - timedelta(days=max(0, plan["age"] - 3)),
                    )
                )
            if lead.active and not lead.stage_id.is_won and rng.random() > 0.1:
                planned_vals.append(
                    dict(
                        base,
                        activity_type_id=rng.choice([call, meeting, todo]).id,
                        summary=rng.choice(["Oddzwonić", "Wysłać ofertę", "Umówić spotkanie"]),
                        date_deadline=today + timedelta(days=rng.randint(-5, 7)),
                    )
                )
        activities = self.env["mail.activity"].create(done_vals + planned_vals)
        activities[: len(done_vals)].action_feedback(feedback="Zrobione")
