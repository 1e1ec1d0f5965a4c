"""Upgrade scripts of ``sales_dept_org/migrations/``, run on the old schema
rebuilt inside the test transaction (rolled back after each test)."""

import importlib.util
import json
from datetime import date, timedelta
from pathlib import Path
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .kpi_common import KpiCommon

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _script(version, name):
    path = MIGRATIONS / version / name
    spec = importlib.util.spec_from_file_location(f"sales_dept_org_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigrations(TransactionCase):
    def test_18_0_1_0_1_scheme_metrics_find_their_kpi_metric(self):
        """18.0.1.0.0 kept a metric code per scheme metric; the pre-script gives
        each row the shipped metric with that code before the update."""
        lines = self.env["sales.bonus.scheme.metric"].search([], order="id")
        self.assertTrue(lines, "the default schemes pay on shipped metrics")
        expected = {line.id: line.metric_id.id for line in lines}
        codes = {line.id: line.metric_id.code for line in lines}
        self.env.flush_all()
        cr = self.env.cr
        # the 18.0.1.0.0 schema: a code column and no metric_id
        cr.execute("ALTER TABLE sales_bonus_scheme_metric ADD COLUMN metric_code varchar")
        for line_id, code in codes.items():
            cr.execute(
                SQL("UPDATE sales_bonus_scheme_metric SET metric_code = %s WHERE id = %s",
                    code, line_id)
            )  # fmt: skip
        cr.execute("ALTER TABLE sales_bonus_scheme_metric DROP COLUMN metric_id")

        _script("18.0.1.0.1", "pre-migrate.py").migrate(cr, "18.0.1.0.0")

        cr.execute("SELECT id, metric_id FROM sales_bonus_scheme_metric")
        self.assertEqual(dict(cr.fetchall()), expected)
        # the line metric table has no code column on this schema: left alone
        cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'sales_bonus_line_metric' AND column_name = 'metric_code'"
        )
        self.assertFalse(cr.fetchall())

    def test_fresh_install_is_left_alone(self):
        cr = self.env.cr
        cr.execute("SELECT id, metric_id FROM sales_bonus_scheme_metric ORDER BY id")
        before = cr.fetchall()
        _script("18.0.1.0.1", "pre-migrate.py").migrate(cr, None)
        cr.execute("SELECT id, metric_id FROM sales_bonus_scheme_metric ORDER BY id")
        self.assertEqual(cr.fetchall(), before)

    def test_18_0_1_0_2_payments_metric_reads_the_stored_credit_date(self):
        """The shipped payments metric moves to the stored date; a metric an
        administrator points elsewhere keeps its date."""
        payments = self.env.ref("sales_dept_org.kpi_metric_payments_received")
        custom = payments.copy({"code": "payments_custom"})
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL("UPDATE sales_kpi_metric SET date_field = 'credit_move_id.date' WHERE id IN %s",
                (payments.id, custom.id))
        )  # fmt: skip
        # the 18.0.1.0.1 covering index of the old path
        cr.execute(
            "CREATE INDEX account_partial_reconcile_sales_kpi_credit_idx"
            " ON account_partial_reconcile (credit_move_id) INCLUDE (debit_move_id, amount)"
        )

        _script("18.0.1.0.2", "pre-migrate.py").migrate(cr, "18.0.1.0.1")

        cr.execute(
            "SELECT 1 FROM pg_indexes"
            " WHERE indexname = 'account_partial_reconcile_sales_kpi_credit_idx'"
        )
        self.assertFalse(cr.fetchall())

        cr.execute(
            SQL("SELECT id, date_field FROM sales_kpi_metric WHERE id IN %s",
                (payments.id, custom.id))
        )  # fmt: skip
        self.assertEqual(
            dict(cr.fetchall()),
            {payments.id: "credit_date", custom.id: "credit_move_id.date"},
        )

    def test_18_0_1_0_4_credit_by_contribution(self):
        """A database of 18.0.1.0.2: no qualifying stage, no milestone on the
        stage history, a won lead without its closer, facts stored the old
        way. The scripts around the data update mark crm's Qualified stage,
        the lead's milestone and its closer, and store the facts again over
        the range they covered."""
        hunter = self.env["res.users"].create({"name": "Old Hunter", "login": "old_hunter"})
        qualified, won = self.env.ref("crm.stage_lead2"), self.env.ref("crm.stage_lead4")
        lead = (
            self.env["crm.lead"]
            .with_context(sales_stage_rules_off=True, sales_handoff_off=True)
            .create(
                {"name": "Old deal", "type": "opportunity", "user_id": hunter.id,
                 "hunter_user_id": hunter.id, "stage_id": qualified.id}
            )
        )  # fmt: skip
        log = lead.sales_stage_log_ids
        log.date_in = "2026-03-03 10:00:00"
        metric = self.env.ref("sales_dept_org.kpi_metric_leads_qualified")
        self.env["sales.kpi.fact"]._store_facts(
            metric, self.env["res.company"].search([]), date(2026, 3, 31)
        )
        self.assertEqual(metric.facts_stored_until, date(2026, 3, 31))
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("UPDATE crm_stage SET sales_qualifying = FALSE")
        cr.execute(SQL("UPDATE sales_lead_stage_log SET first_qualified = NULL WHERE id = %s",
                       log.id))  # fmt: skip
        cr.execute(SQL("UPDATE crm_lead SET stage_id = %s, closer_user_id = NULL WHERE id = %s",
                       won.id, lead.id))  # fmt: skip
        self.env.invalidate_all()

        _script("18.0.1.0.4", "pre-migrate.py").migrate(cr, "18.0.1.0.2")
        # the data update redefines the metric: its stored facts are forgotten
        metric.write({"domain": "[]"})
        self.assertFalse(metric.facts_stored_until)
        metric.write({"domain": "[('first_qualified', '=', True)]"})
        _script("18.0.1.0.4", "post-migrate.py").migrate(cr, "18.0.1.0.2")

        self.assertTrue(qualified.sales_qualifying)
        self.assertTrue(log.first_qualified)
        self.assertEqual(lead.closer_user_id, hunter)
        # stored again from the first stored day to 31 March: 1 on the 3rd
        self.assertEqual(metric.facts_stored_until, date(2026, 3, 31))
        facts = self.env["sales.kpi.fact"].search([("metric_id", "=", metric.id)])
        self.assertEqual(
            [(fact.user_id, fact.date, fact.amount) for fact in facts],
            [(hunter, date(2026, 3, 3), 1.0)],
        )
        cr.execute("SELECT 1 FROM pg_tables WHERE tablename = 'sales_kpi_fact_restore_18_0_1_0_4'")
        self.assertFalse(cr.fetchall())

    def test_18_0_1_0_5_shipped_schemes_pay_three_times_more(self):
        """Role schemes still on their old shipped split move to 30 / 10 / 60; a
        scheme an administrator changed stays."""
        Scheme = self.env["sales.bonus.scheme"]
        company = self.env.company
        roles = {
            scheme.sales_role: scheme
            for scheme in Scheme.search(
                [("company_id", "=", company.id), ("employee_id", "=", False)]
            )
        }
        old = {
            "hunter": (60.0, 10.0, 30.0),
            "farmer": (40.0, 10.0, 50.0),
            "head": (45.0, 5.0, 50.0),
        }
        for role, (fixed, soft, bonus) in old.items():
            roles[role].write({"fixed_share": fixed, "soft_share": soft, "bonus_share": bonus})

        _script("18.0.1.0.5", "post-bonus_schemes.py").migrate(self.env.cr, "18.0.1.0.2")

        def shares(scheme):
            return scheme.fixed_share, scheme.soft_share, scheme.bonus_share

        self.assertEqual(shares(roles["hunter"]), (30.0, 10.0, 60.0))
        self.assertEqual(shares(roles["farmer"]), (30.0, 10.0, 60.0))
        # the head's 45 / 5 / 50 was an administrator's choice
        self.assertEqual(shares(roles["head"]), (45.0, 5.0, 50.0))
        self.assertFalse(roles["hunter"].three_times_warning)

    def test_18_0_1_0_6_won_creates_the_customer(self):
        """crm's Won stage still requiring only the shipped "Customer" now
        creates it; a Won stage an administrator changed is left alone."""
        won = self.env.ref("crm.stage_lead4")
        customer = self.env["ir.model.fields"]._get("crm.lead", "partner_id")
        revenue = self.env["ir.model.fields"]._get("crm.lead", "expected_revenue")
        script = _script("18.0.1.0.6", "post-won_creates_customer.py")

        won.write(
            {
                "sales_create_customer": False,
                "sales_required_field_ids": [(6, 0, (revenue + customer).ids)],
            }
        )
        script.migrate(self.env.cr, "18.0.1.0.5")
        self.assertFalse(won.sales_create_customer)
        self.assertEqual(won.sales_required_field_ids, revenue + customer)

        won.write(
            {"sales_create_customer": False, "sales_required_field_ids": [(6, 0, customer.ids)]}
        )
        script.migrate(self.env.cr, "18.0.1.0.5")
        self.assertTrue(won.sales_create_customer)
        self.assertFalse(won.sales_required_field_ids)

    def test_18_0_1_0_7_handoff_turns_leave_the_memberships(self):
        """Each membership's stored turn becomes its first row in the turn
        table, the sequence continues after the highest, the column goes;
        a fresh install (or a schema without the column) is left alone."""
        cr = self.env.cr
        script = _script("18.0.1.0.7", "post-migrate-handoff-turns.py")
        members = self.env["crm.team.member"].create(
            [
                {"crm_team_id": self.env.ref("sales_team.team_sales_department").id,
                 "user_id": user.id}
                for user in self.env["res.users"].create(
                    [{"name": f"Member {n}", "login": f"sdo_turn_{n}"} for n in range(3)]
                )
            ]
        )  # fmt: skip
        self.env.flush_all()
        cr.execute("DELETE FROM sales_handoff_turn")
        # the 18.0.1.0.6 schema: the turn on the membership
        cr.execute("ALTER TABLE crm_team_member ADD COLUMN sales_handoff_ticket integer")
        for member, ticket in zip(members, (7, 0, 41), strict=True):
            cr.execute(
                SQL("UPDATE crm_team_member SET sales_handoff_ticket = %s WHERE id = %s",
                    ticket, member.id)
            )  # fmt: skip
        script.migrate(cr, None)
        cr.execute("SELECT count(*) FROM sales_handoff_turn")
        self.assertEqual(cr.fetchone(), (0,), "a fresh install is left alone")

        script.migrate(cr, "18.0.1.0.6")
        cr.execute("SELECT member_id, ticket FROM sales_handoff_turn ORDER BY ticket")
        self.assertEqual(cr.fetchall(), [(members[0].id, 7), (members[2].id, 41)])
        cr.execute("SELECT nextval(pg_get_serial_sequence('sales_handoff_turn', 'ticket'))")
        self.assertEqual(cr.fetchone(), (42,))
        cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'crm_team_member' AND column_name = 'sales_handoff_ticket'"
        )
        self.assertFalse(cr.fetchall())
        script.migrate(cr, "18.0.1.0.6")  # again: nothing to move
        cr.execute("SELECT count(*) FROM sales_handoff_turn")
        self.assertEqual(cr.fetchone(), (2,))


@tagged("post_install", "-at_install")
class TestDayTargetsMigration(KpiCommon):
    """18.0.1.0.8: the day targets of the plan lines, filled period by period.

    March 2026 starts on a Sunday: 22 weekdays; with the public holiday on
    Tuesday 10 March, 21 working days (the closer: 2,100 -> 100 a day); the
    hunter also takes Monday 16 and Tuesday 17 off: 19 days (1,900 -> 100 a
    day). April 2026 starts on a Wednesday: 22 weekdays (2,200 -> 100 a day)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._march_2026_leaves()
        calls = cls.metric("calls_made")

        def plan(name, month, targets, team_target):
            return cls.env["sales.kpi.plan"].create(
                {
                    "name": name,
                    "team_id": cls.team_north.id,
                    "date_from": date(2026, month, 1),
                    "date_to": date(2026, month + 1, 1) - timedelta(days=1),
                    "line_ids": [Command.create({"metric_id": calls.id, "target": team_target})]
                    + [
                        Command.create({"metric_id": calls.id, "user_id": user.id, "target": t})
                        for user, t in targets
                    ],
                }
            )

        cls.march = plan("North March", 3, [(cls.user_hunter, 1900), (cls.user_closer, 2100)], 4000)
        cls.april = plan("North April", 4, [(cls.user_closer, 2200)], 2200)
        cls.lines = (cls.march | cls.april).line_ids

    @staticmethod
    def _month(first, last, off=()):
        """100 on each weekday from ``first`` to ``last`` but ``off``, else 0."""
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return [0.0 if day.weekday() > 4 or day in off else 100.0 for day in days]

    def _stored(self):
        self.env.cr.execute(
            SQL(
                "SELECT id, day_targets FROM sales_kpi_plan_line WHERE id IN %s",
                tuple(self.lines.ids),
            )
        )
        return dict(self.env.cr.fetchall())

    def _line(self, plan, user):
        return plan.line_ids.filtered(lambda line: line.user_id == user)

    def test_18_0_1_0_0_day_targets_filled_as_the_compute_spreads_them(self):
        """Before 18.0.1.0.2 the column did not exist: the pre step adds it
        empty, the post step fills the person lines (here one line a batch)
        with what the field's compute gives; the team lines stay empty."""
        computed = self._stored()
        march, april = date(2026, 3, 1), date(2026, 4, 1)
        holiday, leave = date(2026, 3, 10), (date(2026, 3, 16), date(2026, 3, 17))
        hunter = self._line(self.march, self.user_hunter)
        closer = self._line(self.march, self.user_closer)
        closer_april = self._line(self.april, self.user_closer)
        expected = {
            hunter.id: self._month(march, date(2026, 3, 31), (holiday, *leave)),
            closer.id: self._month(march, date(2026, 3, 31), (holiday,)),
            closer_april.id: self._month(april, date(2026, 4, 30)),
            **{line.id: None for line in self.lines.filtered(lambda line: not line.user_id)},
        }
        self.assertEqual(
            [sum(expected[line.id]) for line in (hunter, closer, closer_april)],
            [1900.0, 2100.0, 2200.0],
        )
        self.assertEqual(computed, expected)
        self.env.flush_all()
        pre = _script("18.0.1.0.8", "pre-day_targets.py")
        post = _script("18.0.1.0.8", "post-day_targets.py")
        cr = self.env.cr
        for today in ("2026-03-01", "2026-03-15", "2026-03-31"):
            with self.subTest(today=today), freeze_time(f"{today} 09:00:00"), cr.savepoint():
                cr.execute("ALTER TABLE sales_kpi_plan_line DROP COLUMN day_targets")
                self.env.invalidate_all()

                pre.migrate(cr, "18.0.1.0.0")
                self.assertEqual(set(self._stored().values()), {None})

                with patch.object(post, "BATCH", 1):
                    post.migrate(cr, "18.0.1.0.0")
                self.assertEqual(self._stored(), expected)
                self.assertEqual(closer.effective_target, 2100.0)

    def test_filled_day_targets_are_left_alone(self):
        """A database that has the column (18.0.1.0.2 on) keeps its day
        targets: a closed month keeps what it was measured and paid on, even
        where the working hours changed since."""
        closer = self._line(self.march, self.user_closer)
        measured = [50.0] * 31
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL("UPDATE sales_kpi_plan_line SET day_targets = %s WHERE id = %s",
                json.dumps(measured), closer.id)
        )  # fmt: skip
        before = self._stored()
        for version in ("18.0.1.0.2", "18.0.1.0.7"):
            with self.subTest(version=version):
                _script("18.0.1.0.8", "pre-day_targets.py").migrate(cr, version)
                _script("18.0.1.0.8", "post-day_targets.py").migrate(cr, version)
                self.assertEqual(self._stored(), before)
        # an old database's lines already filled (a second run) are not spread again
        post = _script("18.0.1.0.8", "post-day_targets.py")
        post.migrate(cr, "18.0.1.0.0")
        self.assertEqual(self._stored(), before)
        self.assertEqual(before[closer.id], measured)
