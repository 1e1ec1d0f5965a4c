"""Meeting digests with frozen time; the company's time zone is Europe/Warsaw.

Team North's open leads (the other leads of the test world belong to other teams):
  lead_free     hunter, no activity                    -> without a task
  lead_late     closer, call due 2026-01-10            -> overdue from the 11th on
  lead_planned  closer, call due 2026-12-31, stuck     -> stuck only
  lead_won      won stage, no activity                 -> not open, none
The task flags are the stage rules' own (computed against the real today,
which is after 2026-01-10 and before 2026-12-31).
"""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged, users
from odoo.tools import format_amount

from odoo.addons.mail.tests.common import mail_new_test_user

from .kpi_common import KpiCommon


@tagged("post_install", "-at_install")
class TestDigestPost(KpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Europe/Warsaw"
        # "off": the stage rules would give the lead without a task its first task
        cls.team_north.write({"company_id": cls.company.id, "sales_task_mode": "off"})
        cls.team_south = cls.env["crm.team"].create(
            {"name": "South", "user_id": cls.user_director.id, "company_id": cls.company.id}
        )
        won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        Lead = cls.env["crm.lead"]
        cls.lead_free, cls.lead_late, cls.lead_planned, cls.lead_won = Lead.create(
            [
                {"name": "Free lead", "user_id": cls.user_hunter.id, "team_id": cls.team_north.id},
                {"name": "Late lead", "user_id": cls.user_closer.id, "team_id": cls.team_north.id},
                {"name": "Planned", "user_id": cls.user_closer.id, "team_id": cls.team_north.id},
                {
                    "name": "Won lead",
                    "user_id": cls.user_closer.id,
                    "team_id": cls.team_north.id,
                    "stage_id": won_stage.id,
                },
            ]
        )
        call = cls.env.ref("mail.mail_activity_data_call")
        for lead, deadline in ((cls.lead_late, "2026-01-10"), (cls.lead_planned, "2026-12-31")):
            lead.activity_schedule(
                activity_type_id=call.id, date_deadline=deadline, user_id=lead.user_id.id
            )
        cls.lead_planned.write({"is_stuck": True})
        cls.Post = cls.env["sales.digest.post"]

    def _north_posts(self):
        return self.Post.search([("team_id", "=", self.team_north.id)])

    def _run_at(self, utc):
        with freeze_time(utc):
            self.Post._cron_post_digests()

    def test_morning_digest_content_channel_and_mail(self):
        self._run_at("2026-01-12 07:31:00")  # 08:31 in Warsaw (UTC+1)
        post = self._north_posts()
        self.assertEqual((post.slot, str(post.slot_date)), ("morning", "2026-01-12"))
        self.assertIn("Leads without a task: <b>1</b>", post.body)
        self.assertIn("Overdue tasks: <b>1</b>", post.body)
        self.assertIn(f"res_id={self.lead_free.id}", post.body)
        self.assertIn(f"res_id={self.lead_late.id}", post.body)
        self.assertIn("Stuck deals: <b>1</b>", post.body)
        self.assertIn(f"res_id={self.lead_planned.id}", post.body)
        self.assertNotIn(f"res_id={self.lead_won.id}", post.body)
        channel = self.team_north.digest_channel_id
        self.assertEqual(post.channel_id, channel)
        team_partners = (
            self.user_head | self.user_hunter | self.user_closer | self.user_farmer
        ).partner_id
        # the creator (the cron's user) joins too
        self.assertEqual(channel.channel_member_ids.partner_id & team_partners, team_partners)
        messages = channel.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(messages), 1)
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.user_head.partner_id.ids)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("North", mail.subject)

    def test_cron_twice_or_late_posts_once(self):
        self._run_at("2026-01-12 07:31:00")
        self._run_at("2026-01-12 07:31:00")  # retried
        self._run_at("2026-01-12 08:10:00")  # late, still within the grace
        self.assertEqual(len(self._north_posts()), 1)
        channel = self.team_north.digest_channel_id
        self.assertEqual(
            len(channel.message_ids.filtered(lambda m: m.message_type == "comment")), 1
        )

    def test_missed_slot_is_not_back_filled(self):
        self._run_at("2026-01-12 08:20:00")  # 09:20 local: 50 minutes after 08:30
        self._run_at("2026-01-12 09:30:00")  # 10:30 local: nothing due
        self.assertFalse(self._north_posts())
        self._run_at("2026-01-12 10:00:00")  # 11:00 local: first check-in
        self.assertEqual(self._north_posts().slot, "checkin_1")

    def test_slot_before_midnight_keeps_its_day(self):
        self.company.sales_digest_checkin_3 = 23 + 50 / 60  # 23:50
        # 00:10 local on the 15th is 23:10 UTC on the 14th
        self._run_at("2026-01-14 23:10:00")
        post = self._north_posts()
        self.assertEqual((post.slot, str(post.slot_date)), ("checkin_3", "2026-01-14"))

    def test_dst_change_day(self):
        # 29 March 2026: summer time (UTC+2) from 02:00, so 08:30 local is 06:30 UTC
        self._run_at("2026-03-29 07:31:00")  # 09:31 local: too late
        self.assertFalse(self._north_posts())
        self._run_at("2026-03-29 06:35:00")
        self.assertEqual(str(self._north_posts().slot_date), "2026-03-29")

    @users("sdo_farmer")
    def test_salesperson_reads_only_their_team_digest(self):
        self._run_at("2026-01-12 07:31:00")
        visible = self.env["sales.digest.post"].search([])
        self.assertEqual(visible.team_id, self.team_north)
        self.assertTrue(
            self.Post.search([("team_id", "=", self.team_south.id)]),
            "South got its digest too, the farmer just cannot read it",
        )

    def test_each_company_posts_on_its_own_clock(self):
        """Company 2 runs on New York time (UTC-5 in January).

        07:31 UTC: Warsaw 08:31, its morning slot is due; New York 02:31, none.
        13:31 UTC: New York 08:31, its morning slot is due; Warsaw 14:31, the
        14:00 check-in. Each digest lists only its own team's leads, and the
        director reads company 2's digest only with company 2 active."""
        self._activate_multi_company()
        self.company_2.resource_calendar_id.tz = "America/New_York"
        seller = mail_new_test_user(
            self.env,
            login="sdo_east",
            name="East Seller",
            company_id=self.company_2.id,
            company_ids=[Command.set(self.company_2.ids)],
            groups="sales_dept_org.group_sales_dept_salesperson",
        )
        east = self.env["crm.team"].create(
            {
                "name": "East",
                "company_id": self.company_2.id,
                "sales_task_mode": "off",
                "member_ids": [Command.set(seller.ids)],
            }
        )
        self.env["crm.lead"].create({"name": "East lead", "user_id": seller.id, "team_id": east.id})

        def east_posts():
            return self.Post.search([("team_id", "=", east.id)])

        self._run_at("2026-01-12 07:31:00")
        self.assertEqual(self._north_posts().mapped("slot"), ["morning"])
        self.assertFalse(east_posts())

        self._run_at("2026-01-12 13:31:00")
        east_post = east_posts()
        self.assertEqual(
            (east_post.slot, str(east_post.slot_date), east_post.company_id),
            ("morning", "2026-01-12", self.company_2),
        )
        north_checkin = self._north_posts().filtered(lambda post: post.slot == "checkin_2")
        self.assertEqual(str(north_checkin.slot_date), "2026-01-12")
        self.assertIn("East lead", east_post.body)
        self.assertNotIn("Free lead", east_post.body)
        self.assertNotIn("East lead", north_checkin.body)

        self.user_director.company_ids |= self.company_2
        director_posts = self.Post.with_user(self.user_director)
        main_only = director_posts.with_context(allowed_company_ids=self.company.ids)
        self.assertFalse(main_only.search([("team_id", "=", east.id)]))
        both = director_posts.with_context(allowed_company_ids=(self.company | self.company_2).ids)
        self.assertEqual(both.search([("team_id", "=", east.id)]), east_post)

    def test_time_outside_the_day_is_refused(self):
        for bad in (24.0, -0.5):
            with self.assertRaises(ValidationError) as caught:
                self.company.write({"sales_digest_morning": bad, "sales_digest_checkin_1": 25})
            self.assertIn("Morning planning", str(caught.exception))
            self.assertIn("First check-in", str(caught.exception))
        self.company.invalidate_recordset()
        self.assertEqual(self.company.sales_digest_morning, 8.5)
        self.assertEqual(self.company.sales_digest_checkin_1, 11.0)

    def test_plan_and_fact_of_the_day_so_far(self):
        """Wednesday 18 March 2026, morning slot (08:31 in Warsaw, UTC+1).

        March has 22 weekdays and no holiday, so a month target is 1/22 a day:
          closer  payments received 2200 -> 100 today; fact 500 paid today
                  (the 300 paid on the 17th is not today's)
          farmer  revenue won 4400 -> 200 today; fact 1000 won today
          hunter  calls made 44 -> 2 today; fact 1 call today (the 17th's not)
        Conversion has no plan but a fact: the farmer closed 1 deal today, won:
        average probability of closed deals = 100 / 1 = 100.00 (others: none, 0.00).
        Team row: payments 500 / 100, revenue 1000 / 200, calls 1 / 2; an
        average does not add up over people, so conversion stays empty.
        """
        self.employees.resource_calendar_id = self.company.resource_calendar_id
        payments = self.metric("payments_received")
        revenue = self.metric("revenue_won")
        calls = self.metric("calls_made")
        self.env["sales.kpi.plan"].create(
            {
                "name": "North March",
                "team_id": self.team_north.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
                "line_ids": [
                    Command.create({"metric_id": metric.id, "user_id": user.id, "target": target})
                    for metric, user, target in (
                        (payments, self.user_closer, 2200),
                        (revenue, self.user_farmer, 4400),
                        (calls, self.user_hunter, 44),
                    )
                ],
            }
        )
        self._pay(self._invoice(self.user_closer, 500), 500, date(2026, 3, 18))
        self._pay(self._invoice(self.user_closer, 300), 300, date(2026, 3, 17))
        self._lead(self.user_farmer, 1000, closed=datetime(2026, 3, 18, 7), won=True)
        self._done_activities(
            self.user_hunter,
            self.env.ref("mail.mail_activity_data_call"),
            [date(2026, 3, 17), date(2026, 3, 18)],
        )
        self._run_at("2026-03-18 07:31:00")
        post = self._north_posts()
        self.assertEqual((post.slot, str(post.slot_date)), ("morning", "2026-03-18"))

        def money(amount):
            return format_amount(self.env, amount, self.company.currency_id)

        def cell(fact, plan):
            return f'<td class="text-end">{fact} / {plan}</td>'

        header = "<th></th>" + "".join(
            f'<th class="text-end">{name}</th>'
            for name in (
                "Payments received",
                "Revenue won",
                "Calls made",
                "Conversion (%)",
                "Invoices paid on time",
            )
        )
        # the stored body is sanitized: the no-break space of amounts is an entity
        body = str(post.body).replace("&nbsp;", "\xa0")
        self.assertIn(header, body)
        # the channel: money per person stays hidden, the team sees its totals
        self.assertIn(
            f"<tr><td>{self.user_hunter.name}</td><td></td><td></td>"
            f"{cell(1, 2)}{cell('0.00', '0.00')}{cell(0, 0)}</tr>",
            body,
        )
        self.assertIn(
            f"<tr><td>{self.user_farmer.name}</td><td></td><td></td>"
            f"{cell(0, 0)}{cell('100.00', '0.00')}{cell(0, 0)}</tr>",
            body,
        )
        team_row = (
            "<tr><td><b>Team</b></td>"
            + cell(money(500), money(100))
            + cell(money(1000), money(200))
            + cell(1, 2)
            + "<td></td>"
            + cell(1, 0)  # Tomasz's invoice, paid today before it was due
            + "</tr>"
        )
        self.assertIn(team_row, body)
        self.assertIn("/odoo/action-sales_dept_org.sales_kpi_board_action", body)
        # the head's mail: each person's money too
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.user_head.partner_id.ids)]
        )
        for user, payments_cell, revenue_cell, conversion, on_time in (
            (self.user_closer, cell(money(500), money(100)), cell(money(0), money(0)), "0.00", 1),
            (
                self.user_farmer,
                cell(money(0), money(0)),
                cell(money(1000), money(200)),
                "100.00",
                0,
            ),
        ):
            row = (
                payments_cell
                + revenue_cell
                + cell(0, 0)
                + cell(conversion, "0.00")
                + cell(on_time, 0)
            )
            self.assertIn(f"<tr><td>{user.name}</td>{row}</tr>", mail.body_html)
        self.assertIn(team_row, mail.body_html)

    def test_only_the_team_its_head_and_the_director_read_the_channel(self):
        """Lead names and per-person figures are posted there: the channel is
        the team's, its head's and the director's, not every employee's."""
        self._run_at("2026-01-12 07:31:00")
        channel = self.team_north.digest_channel_id
        outsider = mail_new_test_user(
            self.env, login="sdo_outsider", name="Olga Outsider", groups="base.group_user"
        )
        Message = self.env["mail.message"]
        readers = (
            self.user_head + self.user_hunter + self.user_closer + self.user_farmer
        ) | self.user_director
        self.assertEqual(channel.channel_member_ids.partner_id, readers.partner_id)
        for user in readers | outsider | self.user_accountant:
            with self.subTest(user=user.name):
                found = (
                    self.env["discuss.channel"].with_user(user).search([("id", "=", channel.id)])
                )
                posts = Message.with_user(user).search(
                    [("model", "=", "discuss.channel"), ("res_id", "=", channel.id)]
                )
                self.assertEqual((bool(found), bool(posts)), (user in readers,) * 2)

    def test_the_channel_follows_the_team(self):
        """Who leaves the team leaves the channel with the next digest."""
        self._run_at("2026-01-12 07:31:00")
        self.team_north.member_ids = [Command.unlink(self.user_farmer.id)]
        self._run_at("2026-01-12 10:01:00")  # the 11:00 check-in in Warsaw
        channel = self.team_north.digest_channel_id
        self.assertNotIn(self.user_farmer.partner_id, channel.channel_member_ids.partner_id)
        self.assertFalse(
            self.env["discuss.channel"]
            .with_user(self.user_farmer)
            .search([("id", "=", channel.id)])
        )
