"""Team North's history for the plan breakdown, worked by hand.

The world lives in January 2027 (``month_shift`` moves every date of it by
whole months, for tests that cannot freeze the clock): the history is
October to December 2026 (3 whole months, the company's default).
Team North (on Darwin): Jan Hunter (hunter, weight 1.5), Tomasz Closer
(closer, 1.0), Ula Universal (universal, 1.0), Zofia Hunter (hunter, 0.5),
Agnieszka Farmer (farmer: not in the chain).

History, leads of North created in November 2026 (stages New, Qualified,
Proposition, Negotiation, Won; the stage log holds their moves):
  2 won (expected revenue 20,000 and 30,000: average 25,000)
  3 that reached the proposal and are open
  5 that reached the qualifying stage only
  2 still new (not in any step)
  -> meetings 10, proposals 5, won 2; also a lead created in September and
     one of team South, each reaching the proposal, in no figure.
Calls made by North's hunters in the window: Jan 60, Zofia 30, Ula 10 = 100
(Jan's 50 calls of September 30th, South's 20 and Agnieszka the farmer's 40
are out).

Rates: call -> meeting 10/100 = 10 %, meeting -> proposal 5/10 = 50 %,
proposal -> won 2/5 = 40 %.
500,000 zł at 25,000: 20 won; 20 / 40 % = 50 proposals; 50 / 50 % = 100
meetings; 100 / 10 % = 1,000 calls (each step rounded up; all exact here).

Per person, hunting by weight among Jan 1.5, Ula 1.0, Zofia 0.5 (sum 3),
the rest to the largest fraction:
  calls    1000: 500, 333.3, 166.7 -> 500, 333, 167
  meetings  100:  50,  33.3,  16.7 ->  50,  33,  17
  proposals  50:  25,  16.7,   8.3 ->  25,  17,   8
closing among Tomasz 1.0 and Ula 1.0: won 10 and 10, revenue 250,000 each.
Headcount, January 2027 has 21 weekdays: 1,000 calls at 40 a day need
ceil(1000 / 840) = 2 hunters (3 in the team: none missing); 50 proposals at
2 a day need ceil(50 / 42) = 2 closers (Tomasz and Ula: none missing).
"""

from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import Command

from .common import SalesDeptCommon

METRICS = ("calls_made", "leads_qualified", "meetings_handed_over", "revenue_won")


class BreakdownCommon(SalesDeptCommon):
    # months from January 2027 to the month the tests live in (0: frozen in January 2027)
    month_shift = 0

    @classmethod
    def _at(cls, moment):
        """``moment`` ("2026-11-05" or "2026-11-05 10:00") moved by ``month_shift``."""
        at = datetime.fromisoformat(moment) + relativedelta(months=cls.month_shift)
        return at if " " in moment else at.date()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.stages = (
            ref("crm.stage_lead1")
            | ref("crm.stage_lead2")
            | ref("crm.stage_lead3")
            | ref("sales_dept_org.crm_stage_negotiation")
            | ref("crm.stage_lead4")
        )
        # crm's test fixtures renumber the stages and add global ones: put the
        # pipeline back in order and keep the fixtures' stages to their own team
        for sequence, stage in zip((1, 2, 3, 4, 70), cls.stages, strict=True):
            stage.sequence = sequence
        cls.env["crm.stage"].search(
            [("team_id", "=", False), ("id", "not in", cls.stages.ids)]
        ).team_id = cls.sales_team_1
        cls.user_zofia = cls._sales_user(
            "sdo_hunter2", "Zofia Hunter", "sales_dept_org.group_sales_dept_salesperson"
        )
        cls.user_ula = cls._sales_user(
            "sdo_universal", "Ula Universal", "sales_dept_org.group_sales_dept_salesperson"
        )
        cls.user_head_south = cls._sales_user(
            "sdo_head_south", "Stefan South", "sales_dept_org.group_sales_dept_head"
        )
        cls.env["hr.employee"].create(
            [
                {"name": "Zofia Hunter", "user_id": cls.user_zofia.id, "sales_role": "hunter"},
                {"name": "Ula Universal", "user_id": cls.user_ula.id, "sales_role": "universal"},
            ]
        )
        cls.team_north.write(
            {"member_ids": [Command.link(cls.user_zofia.id), Command.link(cls.user_ula.id)]}
        )
        cls.team_north.sales_darwin = True
        for user, weight in ((cls.user_hunter, 1.5), (cls.user_zofia, 0.5)):
            cls.team_north.crm_team_member_ids.filtered(
                lambda member, user=user: member.user_id == user
            ).sales_weight = weight
        cls.team_south = cls.env["crm.team"].create(
            {"name": "South", "user_id": cls.user_head_south.id}
        )
        new, qualified, proposition, negotiation, won = cls.stages
        to_won = [qualified, proposition, negotiation, won]
        stories = (
            [(cls.team_north, to_won, 20000.0, cls._at("2026-11-05"))]
            + [(cls.team_north, to_won, 30000.0, cls._at("2026-11-06"))]
            + [(cls.team_north, [qualified, proposition], 5000.0, cls._at("2026-11-10"))] * 3
            + [(cls.team_north, [qualified], 0.0, cls._at("2026-11-12"))] * 5
            + [(cls.team_north, [], 0.0, cls._at("2026-11-13"))] * 2
            + [(cls.team_north, to_won, 90000.0, cls._at("2026-09-30 12:00"))]
            + [(cls.team_south, to_won, 90000.0, cls._at("2026-11-14"))]
        )  # fmt: skip
        cls.leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"History {n}",
                    "type": "opportunity",
                    "user_id": cls.user_hunter.id,
                    "team_id": team.id,
                    "stage_id": new.id,
                    "expected_revenue": revenue,
                }
                for n, (team, _moves, revenue, _created) in enumerate(stories)
            ]
        )
        cls.env["sales.lead.stage.log"].sudo().create(
            [
                {"lead_id": lead.id, "stage_id": stage.id, "date_in": created,
                 "team_id": lead.team_id.id, "user_id": lead.user_id.id}
                for lead, (_team, moves, _revenue, created) in zip(cls.leads, stories, strict=True)
                for stage in moves
            ]
        )  # fmt: skip
        cls.env.flush_all()
        for lead, (_team, moves, _revenue, created) in zip(cls.leads, stories, strict=True):
            cls.env.cr.execute(
                "UPDATE crm_lead SET create_date = %s, stage_id = %s WHERE id = %s",
                (created, (moves[-1] if moves else new).id, lead.id),
            )
        cls.env["crm.lead"].invalidate_model()
        call = ref("mail.mail_activity_data_call")
        calls = (
            [(cls.user_hunter, cls._at("2026-11-03 10:00"))] * 60
            + [(cls.user_zofia, cls._at("2026-12-31 10:00"))] * 30
            + [(cls.user_ula, cls._at("2026-10-01 10:00"))] * 10
            + [(cls.user_hunter, cls._at("2026-09-30 10:00"))] * 50
            + [(cls.user_head_south, cls._at("2026-11-03 10:00"))] * 20
            + [(cls.user_farmer, cls._at("2026-11-04 10:00"))] * 40
        )
        messages = cls.env["mail.message"].create(
            [
                {"model": "crm.lead", "res_id": cls.leads[0].id, "message_type": "notification",
                 "mail_activity_type_id": call.id, "body": "Call done", "date": moment}
                for _user, moment in calls
            ]
        )  # fmt: skip
        cls.env.flush_all()
        for message, (user, _moment) in zip(messages, calls, strict=True):
            cls.env.cr.execute(
                "UPDATE mail_message SET create_uid = %s WHERE id = %s", (user.id, message.id)
            )
        cls.env["mail.message"].invalidate_model()
        cls.plan = cls.env["sales.kpi.plan"].create(
            {
                "name": "North, January",
                "team_id": cls.team_north.id,
                "date_from": cls._at("2027-01-01"),
                "date_to": cls._at("2027-01-31"),
            }
        )
        cls.plan_south = cls.env["sales.kpi.plan"].create(
            {
                "name": "South, January",
                "team_id": cls.team_south.id,
                "date_from": cls._at("2027-01-01"),
                "date_to": cls._at("2027-01-31"),
            }
        )
        cls.metric = {code: ref(f"sales_dept_org.kpi_metric_{code}") for code in METRICS}
