from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users

from .bonus_common import NOVEMBER, OCTOBER, BonusCommon

# Fields compared when a sheet is computed twice (everything but the audit columns).
LINE_FIELDS = [
    "employee_id",
    "user_id",
    "team_id",
    "sales_role",
    "line_type",
    "scheme_id",
    "target_pay",
    "fixed_amount",
    "discipline_score",
    "soft_target",
    "soft_amount",
    "bonus_target",
    "bonus_payout",
    "bonus_amount",
    "instant_amount",
    "clawback_amount",
    "total_amount",
    "next_tier_note",
    "note",
    "origin_line_id",
    "metric_line_ids",
]
METRIC_FIELDS = [
    "metric_code",
    "weight",
    "plan",
    "fact",
    "attainment",
    "payout",
    "to_next_tier",
    "next_tier_payout",
]


@tagged("post_install", "-at_install")
class TestBonusSheet(BonusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Instant = cls.env["sales.bonus.instant"].with_user(cls.user_head)
        cls.instants = Instant.create(
            [
                {
                    "employee_id": cls.employee_hunter.id,
                    "date": date(2026, 10, 15),
                    "amount": 250.0,
                    "reason": "Booked 5 meetings in one day",
                },
                {
                    "employee_id": cls.employee_hunter.id,
                    "date": date(2026, 10, 31),
                    "amount": 100.0,
                    "reason": "Cleaned up the old leads",
                },
                # November: not October's pay
                {
                    "employee_id": cls.employee_hunter.id,
                    "date": date(2026, 11, 1),
                    "amount": 70.0,
                    "reason": "First call of the month",
                },
            ]
        )
        # the month pays approved bonuses: October's are, November's stays a draft
        cls.instants[:2].action_approve()

    def test_whole_month_by_hand(self):
        sheet = self.compute_month(OCTOBER)
        self.assertEqual(sheet.state, "computed")
        self.assertEqual(sheet.date_to, date(2026, 10, 31))
        # No discipline counted this month: every score is 100%, and the sheet and each
        # line with a scheme say so (see test_bonus_discipline).
        self.assertEqual(
            sheet.note,
            "The daily discipline counts of this month are not recorded yet: the soft part "
            "is paid in full (score 100% until counts are recorded).",
        )

        hunter = self.line_of(sheet, self.employee_hunter)
        # Hunter (shipped): 6,000 at 30/10/60 -> fixed 1,800, soft 600, bonus target 3,600.
        # leads qualified 44/40 = 110% -> 100 + 2 x 10 = 120%; meetings 18/20 = 90% -> 50 + 1 x 10
        # = 60%; weighted (50 x 120 + 50 x 60) / 100 = 90% -> bonus 3,600 x 0.9 = 3,240.
        # Instant bonuses of October: 250 + 100 = 350 (the November 70 is not in it).
        self.assertRecordValues(
            hunter,
            [
                {
                    "team_id": self.team_north.id,
                    "sales_role": "hunter",
                    "target_pay": 6000.0,
                    "fixed_amount": 1800.0,
                    "discipline_score": 100.0,
                    "soft_amount": 600.0,
                    "bonus_target": 3600.0,
                    "bonus_payout": 90.0,
                    "bonus_amount": 3240.0,
                    "instant_amount": 350.0,
                    "total_amount": 5990.0,  # 1,800 + 600 + 3,240 + 350
                    # 5,990 / 6,000: far below the 300% that flags a payout
                    "payout_share": 99.83,
                    "payout_flagged": False,
                    "note": "Discipline score 100% until counts are recorded",
                }
            ],
        )
        self.assertRecordValues(
            hunter.metric_line_ids.sorted("metric_code"),
            [
                # 110%: above the last tier start, nothing further to reach
                {
                    "metric_code": "leads_qualified",
                    "plan": 40.0,
                    "fact": 44.0,
                    "attainment": 110.0,
                    "payout": 120.0,
                    "to_next_tier": 0.0,
                    "next_tier_payout": 0.0,
                },
                # 90%: 2 more meetings (20 x 100% - 18) reach the step that pays 100%
                {
                    "metric_code": "meetings_held",
                    "plan": 20.0,
                    "fact": 18.0,
                    "attainment": 90.0,
                    "payout": 60.0,
                    "to_next_tier": 2.0,
                    "next_tier_payout": 100.0,
                },
            ],
        )
        self.assertEqual(hunter.next_tier_note, "Meetings held: 2.00 more pays 100% of the bonus")

        # Closer (personal scheme): 10,000 at 30/10/60; revenue 125,000/100,000 = 125%
        # -> 100 + 3 x 25 = 175% of 6,000 = 10,500: over plan pays three times more.
        self.assertRecordValues(
            self.line_of(sheet, self.employee_closer),
            [
                {
                    "scheme_id": self.scheme_closer.id,
                    "fixed_amount": 3000.0,
                    "soft_amount": 1000.0,
                    "bonus_payout": 175.0,
                    "bonus_amount": 10500.0,
                    "total_amount": 14500.0,
                }
            ],
        )
        # Farmer (shipped): 8,000 at 30/10/60 -> 2,400 / 800 / 4,800. Repeat purchases
        # 3 orders / 5 = 60%: below the 70% threshold, nothing; payments 34,000/40,000 = 85%
        # -> 40 + 15 = 55%; weighted (60 x 0 + 40 x 55) / 100 = 22% -> 1,056.
        self.assertRecordValues(
            self.line_of(sheet, self.employee_farmer),
            [
                {
                    "fixed_amount": 2400.0,
                    "soft_amount": 800.0,
                    "bonus_payout": 22.0,
                    "bonus_amount": 1056.0,
                    "total_amount": 4256.0,
                }
            ],
        )
        # Head (shipped): 12,000 at 30/10/60 -> 3,600 / 1,200 / 7,200. Revenue 200,000/200,000
        # = 100% -> 100%; payments (50,000 + 29,000)/100,000 = 79% is under the 80% threshold
        # -> 0; weighted 50% -> 3,600.
        self.assertRecordValues(
            self.line_of(sheet, self.employee_head),
            [
                {
                    "team_id": self.team_north.id,
                    "bonus_payout": 50.0,
                    "bonus_amount": 3600.0,
                    "total_amount": 8400.0,
                }
            ],
        )
        # Director: a head with no plan yet -> no bonus, and the line says why.
        director = self.line_of(sheet, self.employee_director)
        self.assertRecordValues(
            director,
            [
                {
                    "team_id": False,
                    "fixed_amount": 3600.0,
                    "bonus_amount": 0.0,
                    "total_amount": 4800.0,
                }
            ],
        )
        self.assertEqual(
            director.note,
            "No plan for: Revenue won, Payments received; "
            "Discipline score 100% until counts are recorded",
        )
        # 5,990 + 14,500 + 4,256 + 8,400 + 4,800
        self.assertEqual(sheet.total_amount, 37946.0)
        self.assertEqual(sheet.flagged_line_count, 0)
        self.assertEqual(len(sheet.line_ids), 5)

    def test_compute_twice_gives_identical_lines(self):
        sheet = self.compute_month(OCTOBER)
        first = sheet.line_ids.read(LINE_FIELDS)
        first_metrics = sheet.line_ids.metric_line_ids.read(METRIC_FIELDS)
        self.compute_month(OCTOBER)
        self.assertEqual(self.Sheet.search_count([("date_from", "=", OCTOBER)]), 1)
        self.assertEqual(sheet.line_ids.read(LINE_FIELDS), first)
        self.assertEqual(sheet.line_ids.metric_line_ids.read(METRIC_FIELDS), first_metrics)

    def test_lines_written_with_what_the_orm_computes(self):
        """The lines are inserted in one statement: their stored related and
        computed columns hold what the ORM computes from their sources."""
        sheet = self.compute_month(OCTOBER)
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT id, company_id, currency_id, date_from, state, total_amount
                 FROM sales_bonus_line WHERE sheet_id = %s ORDER BY id""",
            [sheet.id],
        )
        stored = self.env.cr.fetchall()
        self.assertEqual(len(stored), 5)
        self.env.cr.execute(
            """SELECT line_id, company_id, user_id, team_id, sheet_state
                 FROM sales_bonus_line_metric WHERE line_id = ANY(%s) ORDER BY id""",
            [[row[0] for row in stored]],
        )
        stored_metrics = self.env.cr.fetchall()
        self.assertTrue(stored_metrics)
        lines = sheet.line_ids.sorted("id")
        lines.invalidate_recordset()
        expected = [
            (
                line.id,
                sheet.company_id.id,
                sheet.currency_id.id,
                OCTOBER,
                "computed",
                sheet.currency_id.round(
                    line.fixed_amount + line.soft_amount + line.bonus_amount
                    + line.instant_amount + line.clawback_amount
                ),
            )
            for line in lines
        ]  # fmt: skip
        self.assertEqual([row[:5] for row in stored], [row[:5] for row in expected])
        for (_id, *_rest, total), (_line, *_r, by_hand) in zip(stored, expected, strict=True):
            self.assertAlmostEqual(float(total), by_hand, places=2)
        self.assertEqual(
            stored_metrics,
            [
                (line.id, line.company_id.id, line.user_id.id or None, line.team_id.id or None,
                 "computed")
                for line in lines
                for _metric in line.metric_line_ids
            ],
        )  # fmt: skip
        # the ORM keeps them from there: a confirmed sheet's lines say so
        sheet.action_confirm()
        self.assertEqual(set(lines.mapped("state")), {"confirmed"})
        self.assertEqual(set(lines.metric_line_ids.mapped("sheet_state")), {"confirmed"})

    def test_recompute_follows_new_facts(self):
        sheet = self.compute_month(OCTOBER)
        line = self.line_of(sheet, self.employee_closer)
        self.closer_big_deal.action_set_lost()  # 125,000 - 40,000 = 85,000 won
        self.compute_month(OCTOBER)
        # the same record, updated: 85% -> 40 + 15 = 55% of 6,000 = 3,300
        self.assertEqual(self.line_of(sheet, self.employee_closer), line)
        self.assertEqual(line.bonus_amount, 3300.0)

    def test_confirmed_sheet_is_locked(self):
        sheet = self.compute_month(OCTOBER)
        sheet.action_confirm()
        line = self.line_of(sheet, self.employee_hunter)
        attempts = {
            "sheet write": lambda: sheet.write({"note": "changed"}),
            "sheet month": lambda: sheet.write({"date_from": NOVEMBER}),
            "sheet unlink": sheet.unlink,
            "sheet back to computed": lambda: sheet.write({"state": "computed"}),
            "compute": lambda: self.compute_month(OCTOBER),
            "line write": lambda: line.write({"fixed_amount": 1.0}),
            "line unlink": line.unlink,
            "line create": lambda: self.env["sales.bonus.line"].create(
                {
                    "sheet_id": sheet.id,
                    "employee_id": self.employee_director.id,
                    "line_type": "clawback",
                    "origin_line_id": line.id,
                }
            ),
            "metric write": lambda: line.metric_line_ids[:1].write({"fact": 1.0}),
            "metric unlink": line.metric_line_ids[:1].unlink,
            "instant bonus in the month": lambda: self.env["sales.bonus.instant"].create(
                {
                    "employee_id": self.employee_hunter.id,
                    "date": date(2026, 10, 20),
                    "amount": 10.0,
                    "reason": "late",
                }
            ),
            "instant bonus moved": lambda: self.instants[2].write({"date": date(2026, 10, 3)}),
        }
        before = sheet.line_ids.sorted("id").read(LINE_FIELDS)
        for name, attempt in attempts.items():
            with self.subTest(name), self.assertRaises(UserError), self.cr.savepoint():
                attempt()
        self.assertEqual(sheet.state, "confirmed")
        self.assertEqual(sheet.line_ids.sorted("id").read(LINE_FIELDS), before)

    @users("sdo_head")
    def test_reopen_needs_a_head_and_a_reason(self):
        sheet = self.compute_month(OCTOBER).with_user(self.env.user)
        sheet.action_confirm()
        wizard = self.env["sales.bonus.sheet.reopen"].create({"sheet_id": sheet.id, "reason": " "})
        with self.assertRaisesRegex(UserError, "needs a reason"):
            wizard.action_reopen()
        self.env["sales.bonus.sheet.reopen"].create(
            {"sheet_id": sheet.id, "reason": "A deal was booked twice"}
        ).action_reopen()
        self.assertEqual(sheet.state, "draft")
        self.assertIn("Reopened: A deal was booked twice", sheet.message_ids[0].body)
        self.assertEqual(sheet.message_ids[0].author_id, self.user_head.partner_id)

    def test_salesperson_cannot_reopen(self):
        sheet = self.compute_month(OCTOBER)
        sheet.action_confirm()
        with self.assertRaises(AccessError):
            sheet.with_user(self.user_hunter).with_context(bonus_sheet_reopen_reason="mine").write(
                {"state": "draft"}
            )

    def test_confirm_needs_a_computed_sheet(self):
        sheet = self.Sheet.create({"date_from": OCTOBER})
        with self.assertRaisesRegex(UserError, "Compute these sheets"):
            sheet.action_confirm()
        self.assertEqual(sheet.state, "draft")

    def test_clawback_lands_in_the_next_open_month(self):
        october = self.compute_month(OCTOBER)
        october.action_confirm()
        closer_october = self.line_of(october, self.employee_closer)
        # After confirmation, the closer's 40,000 October deal is lost: 125,000 -> 85,000.
        self.closer_big_deal.action_set_lost()

        november = self.compute_month(NOVEMBER)
        clawback = self.line_of(november, self.employee_closer, "clawback")
        # October now pays 85% -> 40 + 15 = 55% of 6,000 = 3,300 instead of 10,500:
        # -7,200 in November; October itself is untouched.
        self.assertRecordValues(
            clawback,
            [
                {
                    "origin_line_id": closer_october.id,
                    "clawback_amount": -7200.0,
                    "total_amount": -7200.0,
                    "team_id": self.team_north.id,
                }
            ],
        )
        self.assertEqual(clawback.note, "Clawback for 2026-10: Revenue won 125,000.00 -> 85,000.00")
        self.assertEqual(closer_october.bonus_amount, 10500.0)
        # The two months net to what October pays without the lost revenue.
        self.assertEqual(closer_october.bonus_amount + clawback.clawback_amount, 3300.0)

        # Computing November again neither doubles nor moves the clawback.
        self.compute_month(NOVEMBER)
        self.assertEqual(self.line_of(november, self.employee_closer, "clawback"), clawback)
        self.assertEqual(clawback.clawback_amount, -7200.0)

        # Once November is confirmed, December owes nothing more for October.
        november.action_confirm()
        december = self.compute_month(date(2026, 12, 1))
        self.assertFalse(december.line_ids.filtered("origin_line_id"))

    def test_month_end_cron_drafts_and_computes(self):
        with freeze_time("2026-11-01 01:30:00"):
            self.Sheet._cron_compute_bonus_sheets()
            self.Sheet._cron_compute_bonus_sheets()  # safe to run twice
        october = self.Sheet.search([("date_from", "=", OCTOBER)])
        november = self.Sheet.search([("date_from", "=", NOVEMBER)])
        # the month that just ended is drafted and computed, and the new one started
        self.assertEqual(october.state, "computed")
        self.assertEqual(october.total_amount, 37946.0)
        self.assertEqual(november.state, "computed")
        self.assertEqual(len(november.line_ids), 5)

    def test_cron_leaves_a_confirmed_month_alone(self):
        october = self.compute_month(OCTOBER)
        october.action_confirm()
        with freeze_time("2026-11-01 01:30:00"):
            self.Sheet._cron_compute_bonus_sheets()
        self.assertEqual(october.state, "confirmed")

    def test_cron_finishes_an_open_previous_month(self):
        october = self.Sheet.create({"date_from": OCTOBER})
        with freeze_time("2026-11-01 01:30:00"):
            self.Sheet._cron_compute_bonus_sheets()
        self.assertEqual(october.state, "computed")
        self.assertEqual(october.total_amount, 37946.0)

    def test_query_count_does_not_grow_with_people(self):
        """One query per metric for everyone: ten more people, the same queries."""
        # Each count follows two warm-up runs: the first compute after new
        # users or lines fills registry caches (field defaults, subtypes)
        # that are not about the number of people.
        self.compute_month(OCTOBER)
        self._count_compute_queries()
        count_small = self._count_compute_queries()
        self.extra_people("hunter", 10)
        self._count_compute_queries()
        self._count_compute_queries()
        count_large = self._count_compute_queries()
        self.assertEqual(count_small, count_large)

    def _count_compute_queries(self):
        sheet = self.Sheet.search([("date_from", "=", OCTOBER)])
        sheet.line_ids.unlink()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        sheet.action_compute()
        return self.cr.sql_log_count - before

    def test_discipline_score_from_daily_counts(self):
        sheet = self.Sheet.create({"date_from": OCTOBER})
        discipline = {
            "days": 20,
            "totals": {
                self.user_hunter.id: {
                    "leads_without_task": 6,
                    "overdue_tasks": 4,
                    "missing_data": 2,
                    "stage_overrides": 1,
                }
            },
        }
        # (5 x 6 + 5 x 4 + 5 x 2 + 10 x 1) / 20 = 3.5 points -> 96.5%; no counts -> 100%
        self.assertEqual(sheet._discipline_score(self.user_hunter, discipline), 96.5)
        self.assertEqual(sheet._discipline_score(self.user_closer, discipline), 100)

    def test_person_without_scheme_is_listed_with_the_reason(self):
        self.env["sales.bonus.scheme"].search([("sales_role", "=", "farmer")]).active = False
        sheet = self.compute_month(OCTOBER)
        farmer = self.line_of(sheet, self.employee_farmer)
        self.assertRecordValues(
            farmer, [{"scheme_id": False, "fixed_amount": 0.0, "total_amount": 0.0}]
        )
        self.assertEqual(farmer.note, "No bonus scheme for this role or person.")

    def test_instant_bonus_bad_input_named(self):
        Instant = self.env["sales.bonus.instant"].with_user(self.user_head)
        with self.assertRaises(ValidationError) as caught:
            Instant.create(
                [
                    {
                        "employee_id": self.employee_hunter.id,
                        "date": date(2026, 11, 5),
                        "amount": -10.0,
                        "reason": "oops",
                    },
                    {
                        "employee_id": self.employee_closer.id,
                        "date": date(2026, 11, 5),
                        "amount": 10.0,
                        "reason": "  ",
                    },
                ]
            )
        self.assertIn(
            "Jan Hunter, 2026-11-05: an instant bonus must be positive.", str(caught.exception)
        )
        self.assertIn("Tomasz Closer, 2026-11-05: say why", str(caught.exception))

    def _jans_scheme_on(self, metric):
        """Jan's own scheme paid on ``metric`` alone: 6,000 at 60/10/30 (bonus
        target 1,800); nothing below 80%, 50% at 80% rising 1 per point, 100%
        at plan, then 2 per point."""
        return self.env["sales.bonus.scheme"].create(
            {
                "name": "Jan's own scheme",
                "sales_role": "hunter",
                "employee_id": self.employee_hunter.id,
                "target_pay": 6000.0,
                "fixed_share": 60.0,
                "soft_share": 10.0,
                "bonus_share": 30.0,
                "metric_ids": [Command.create({"metric_id": metric.id, "weight": 100.0})],
                "tier_ids": [
                    Command.create(
                        {"attainment_from": 80, "attainment_to": 100, "payout_from": 50, "rate": 1}
                    ),
                    Command.create({"attainment_from": 100, "payout_from": 100, "rate": 2}),
                ],
            }
        )

    def test_custom_metric_is_paid_on(self):
        # a metric an admin adds to the catalogue: top-priority opportunities by
        # expected closing day; a personal scheme pays Jan on it alone
        top = self.env["sales.kpi.metric"].create(
            {
                "name": "Top deals due",
                "code": "top_deals_due",
                "model_id": self.env["ir.model"]._get_id("crm.lead"),
                "date_field": "date_deadline",
                "user_field": "user_id",
                "measure": "count",
                "domain": "[('priority', '=', '3')]",
            }
        )
        for deadline in (date(2026, 10, 5), date(2026, 10, 12), date(2026, 10, 20)):
            self._lead(self.user_hunter, 0, priority="3", date_deadline=deadline)
        self._lead(self.user_hunter, 0, priority="3", date_deadline=date(2026, 11, 2))
        self._jans_scheme_on(top)
        self.october_plan.line_ids = [
            Command.create({"user_id": self.user_hunter.id, "metric_id": top.id, "target": 2})
        ]
        hunter = self.line_of(self.compute_month(OCTOBER), self.employee_hunter)
        # 3 top deals due in October (the November one is not October's) against a
        # plan of 2: 150% -> 100 + 2 x 50 = 200% of the bonus target 6,000 x 30% = 1,800
        # -> 3,600
        self.assertRecordValues(
            hunter.metric_line_ids,
            [
                {
                    "metric_id": top.id,
                    "metric_code": "top_deals_due",
                    "plan": 2.0,
                    "fact": 3.0,
                    "attainment": 150.0,
                    "payout": 200.0,
                }
            ],
        )
        self.assertRecordValues(hunter, [{"bonus_payout": 200.0, "bonus_amount": 3600.0}])

    def test_metric_to_keep_low_pays_more_as_the_count_falls(self):
        """A scheme on overdue tasks (fewer is better): attainment is plan / fact."""
        overdue = self.metric("overdue_tasks")
        self._jans_scheme_on(overdue)
        self.october_plan.line_ids = [
            Command.create({"user_id": self.user_hunter.id, "metric_id": overdue.id, "target": 10})
        ]
        days = self.env["sales.discipline.daily"].create(
            [
                {
                    "date": date(2026, 10, day),
                    "user_id": self.user_hunter.id,
                    "company_id": self.company.id,
                    "overdue_tasks": count,
                }
                for day, count in ((5, 5), (6, 4), (7, 3))
            ]
        )
        hunter = self.line_of(self.compute_month(OCTOBER), self.employee_hunter)
        # 12 overdue task-days against a plan of at most 10: 10 / 12 = 83.33%
        # -> 50 + 1 x 3.33 = 53.33% of the bonus target 1,800 = 960.00. Read as
        # "more is better" it would have been 120%, paying 140%: 2,520.00.
        self.assertRecordValues(
            hunter.metric_line_ids,
            [
                {
                    "metric_code": "overdue_tasks",
                    "plan": 10.0,
                    "fact": 12.0,
                    "attainment": 83.33,
                    "payout": 53.33,
                    # 2 task-days fewer reach the plan, which pays 100%
                    "to_next_tier": 2.0,
                    "next_tier_payout": 100.0,
                }
            ],
        )
        self.assertRecordValues(hunter, [{"bonus_amount": 960.0}])
        self.assertEqual(hunter.next_tier_note, "Overdue tasks: 2.00 less pays 100% of the bonus")
        # 4 + 4 = 8 task-days: within the plan, 100% -> the full 1,800; no tier
        # above 100% can be reached by keeping a count low
        days[0].overdue_tasks = 4
        days[2].unlink()
        hunter = self.line_of(self.compute_month(OCTOBER), self.employee_hunter)
        self.assertRecordValues(
            hunter.metric_line_ids,
            [{"fact": 8.0, "attainment": 100.0, "payout": 100.0, "to_next_tier": 0.0}],
        )
        self.assertRecordValues(hunter, [{"bonus_amount": 1800.0, "next_tier_note": ""}])
