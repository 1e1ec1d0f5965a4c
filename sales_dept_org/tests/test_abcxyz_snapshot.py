"""ABC-XYZ snapshots on a crafted purchase history, worked out by hand.

Customers of the main company, all of team North (invoices without tax):
  p1 125 every month of 2025 (12 invoices)            = 1500   farmer
  p2 75 in Jan, Mar, May, Jul, Sep, Nov (6 invoices)  =  450   farmer
  p3 150 in Jan, May, Sep (3 invoices)                =  450   closer
  p4 25 every month + 100 in Dec refunded in Dec      =  300   hunter
  p5 120 in Jun and 120 in Jul                         =  240   hunter
  p6 60 once, in March                                 =   60   hunter
Total 3000. Also ignored: an invoice of p1 in Dec 2024 and in Jan 2026 (outside
the window), a draft invoice of p6.
"""

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged, users

from .invoice_common import SalesInvoiceCommon


@tagged("post_install", "-at_install")
class TestAbcxyzSnapshot(SalesInvoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        people = [cls.user_farmer] * 2 + [cls.user_closer] + [cls.user_hunter] * 3
        cls.p1, cls.p2, cls.p3, cls.p4, cls.p5, cls.p6 = Partner.create(
            [
                {"name": f"Customer {n}", "user_id": user.id}
                for n, user in enumerate(people, start=1)
            ]
        )
        specs = [(cls.p1, f"2025-{m:02d}-10", 125) for m in range(1, 13)]
        specs += [(cls.p2, f"2025-{m:02d}-05", 75) for m in (1, 3, 5, 7, 9, 11)]
        specs += [(cls.p3, f"2025-{m:02d}-20", 150) for m in (1, 5, 9)]
        specs += [(cls.p4, f"2025-{m:02d}-15", 25) for m in range(1, 13)]
        specs += [(cls.p4, "2025-12-01", 100), (cls.p4, "2025-12-20", 100, "out_refund")]
        specs += [(cls.p5, "2025-06-30", 120), (cls.p5, "2025-07-01", 120)]
        specs += [(cls.p6, "2025-03-03", 60)]
        specs += [(cls.p1, "2024-12-31", 9999), (cls.p1, "2026-01-02", 9999)]
        cls._post_invoices(specs)
        cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.p6.id,
                "invoice_date": "2025-04-04",
                "invoice_line_ids": [(0, 0, {"name": "Draft", "price_unit": 5000})],
            }
        )
        Snapshot = cls.env["sales.abcxyz.snapshot"]
        # window Jan..Dec 2025
        cls.snapshot_year = Snapshot.create({"date": "2026-01-15", "window_months": 12})
        # window Jul..Dec 2025
        cls.snapshot_half = Snapshot.create({"date": "2026-01-20", "window_months": 6})
        (cls.snapshot_year | cls.snapshot_half).action_compute()

    def _classes(self, snapshot):
        return {line.partner_id: line.abcxyz_class for line in snapshot.line_ids}

    def test_window_is_full_months_before_the_date(self):
        self.assertEqual(str(self.snapshot_year.date_from), "2025-01-01")
        self.assertEqual(str(self.snapshot_year.date_to), "2025-12-31")
        self.assertEqual(str(self.snapshot_half.date_from), "2025-07-01")

    def test_year_classes_worked_by_hand(self):
        # ABC, strictly larger customers' revenue over 3000:
        #   p1 0 -> A; p2, p3 tied at 450: 1500 = 50% -> both A (one by one they would
        #   end at 65% and 80%); p4 2400 = 80%, on the limit, not below -> B;
        #   p5 2700 = 90% -> B; p6 2940 = 98% -> C.
        # XYZ, monthly CV over 12 months:
        #   p1 constant -> 0 -> X; p2 75/0 alternating: mean 37.5, sd 37.5 -> 1.0 -> Y (limit)
        #   p3 three 150: mean 37.5, variance (3*112.5^2 + 9*37.5^2)/12 = 4218.75 -> 1.732 -> Z
        #   p4 25 each month, the Dec extra 100 refunded: constant -> X
        #   p5 120, 120 then zeros: mean 20, variance (2*100^2 + 10*20^2)/12 = 2000 -> 2.236 -> Z
        #   p6 one invoice -> Z
        self.assertEqual(
            self._classes(self.snapshot_year),
            {
                self.p1: "ax",
                self.p2: "ay",
                self.p3: "az",
                self.p4: "bx",
                self.p5: "bz",
                self.p6: "cz",
            },
        )
        lines = {line.partner_id: line for line in self.snapshot_year.line_ids}
        self.assertEqual(self.snapshot_year.revenue_total, 3000)
        self.assertEqual(lines[self.p4].revenue, 300)  # 12 * 25 + 100 - 100
        self.assertEqual(lines[self.p4].purchase_count, 13)  # the credit note is no purchase
        self.assertAlmostEqual(lines[self.p3].cv, 1.732, places=3)
        self.assertAlmostEqual(lines[self.p1].share, 50.0)  # 1500 / 3000
        self.assertEqual(lines[self.p1].user_id, self.user_farmer)
        self.assertEqual(lines[self.p3].user_id, self.user_closer)

    def test_half_year_classes_worked_by_hand(self):
        # Jul..Dec: p1 750 (X), p2 225 in Jul, Sep, Nov (CV 1.0, Y), p3 150 once (Z),
        # p4 150 in 7 invoices (X), p5 120 once (Z), p6 nothing (absent). Total 1395.
        # Above: p1 0, p2 750 = 53.8%, p3/p4 tied: 975 = 69.9% -> A; p5 1275 = 91.4% -> B.
        self.assertEqual(
            self._classes(self.snapshot_half),
            {self.p1: "ax", self.p2: "ay", self.p3: "az", self.p4: "ax", self.p5: "bz"},
        )

    def test_computing_twice_gives_the_same_lines(self):
        before = self._classes(self.snapshot_year)
        self.snapshot_year.action_compute()
        self.assertEqual(self._classes(self.snapshot_year), before)
        self.assertEqual(len(self.snapshot_year.line_ids), 6)

    def _compare_year_to_half(self):
        migration = self.env["sales.abcxyz.migration"].create(
            {"snapshot_from_id": self.snapshot_year.id, "snapshot_to_id": self.snapshot_half.id}
        )
        return migration.action_compare()

    def test_migration_matrix_and_drill_down(self):
        action = self._compare_year_to_half()
        Line = self.env["sales.abcxyz.migration.line"]
        groups = Line._read_group(action["domain"], ["class_from", "class_to"], ["__count"])
        # p1 AX->AX, p2 AY->AY, p3 AZ->AZ, p4 BX->AX, p5 BZ->BZ, p6 CZ->gone
        self.assertEqual(
            {(old, new): count for old, new, count in groups if count},
            {
                ("ax", "ax"): 1,
                ("ay", "ay"): 1,
                ("az", "az"): 1,
                ("bx", "ax"): 1,
                ("bz", "bz"): 1,
                ("cz", "none"): 1,
            },
        )
        moved = Line.search(action["domain"] + [("class_from", "=", "bx"), ("class_to", "=", "ax")])
        self.assertEqual((moved.partner_id, moved.user_id), (self.p4, self.user_hunter))
        # "Changed class": p4 BX -> AX and p6 CZ -> not classified
        changed = Line.search(action["domain"] + [("changed", "=", True)])
        self.assertEqual(changed.partner_id, self.p4 | self.p6)

    def test_migration_matrix_shows_every_class(self):
        """The pivot's grouped reads (rows, columns, cells) hold all 9 classes
        on each axis, "not classified" where a customer is, and empty cells
        count 0."""
        action = self._compare_year_to_half()
        Line = self.env["sales.abcxyz.migration.line"]
        classes = ["ax", "ay", "az", "bx", "by", "bz", "cx", "cy", "cz"]
        rows = Line._read_group(action["domain"], ["class_from"], ["__count"])
        self.assertEqual([value for value, _count in rows], classes)  # nobody new in half
        self.assertEqual(dict(rows), dict.fromkeys(classes, 0) | {
            "ax": 1, "ay": 1, "az": 1, "bx": 1, "bz": 1, "cz": 1
        })  # fmt: skip
        columns = Line._read_group(action["domain"], ["class_to"], ["__count"])
        self.assertEqual([value for value, _count in columns], [*classes, "none"])
        cells = Line._read_group(action["domain"], ["class_from", "class_to"], ["__count"])
        self.assertEqual(len(cells), 9 * 10)
        counts = {(old, new): count for old, new, count in cells}
        self.assertEqual(counts["bx", "ax"], 1)
        self.assertEqual(counts["cx", "cx"], 0)
        self.assertEqual(sum(counts.values()), 6)
        # the axes say which snapshot they are
        described = Line.fields_get(["class_from", "class_to"], ["selection"])
        self.assertEqual(dict(described["class_from"]["selection"])["ax"], "Before: AX")
        self.assertEqual(dict(described["class_to"]["selection"])["none"], "After: not classified")

    def test_classes_open_on_the_latest_snapshot(self):
        """The action filters on the latest computed snapshot by default: the
        half year (20 January), not the year (15 January) as well."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_dept_org.sales_abcxyz_snapshot_line_action"
        )
        self.assertIn("'search_default_filter_latest': 1", action["context"])
        Line = self.env["sales.abcxyz.snapshot.line"]
        latest = Line.search([("is_latest", "=", True), ("company_id", "=", self.env.company.id)])
        self.assertEqual(latest.snapshot_id, self.snapshot_half)
        self.assertEqual(len(latest), 5)
        older = Line.search([("is_latest", "=", False), ("company_id", "=", self.env.company.id)])
        self.assertEqual(older.snapshot_id, self.snapshot_year)
        self.assertEqual(latest.mapped("is_latest"), [True] * 5)
        # a snapshot taken but not computed yet does not hide the computed one
        self.env["sales.abcxyz.snapshot"].create({"date": "2026-02-01"})
        self.assertEqual(Line.search([("is_latest", "=", True)]).snapshot_id, self.snapshot_half)

    @users("sdo_farmer")
    def test_salesperson_reads_only_own_customers(self):
        snapshot = self.snapshot_year.with_user(self.env.user)
        lines = self.env["sales.abcxyz.snapshot.line"].search([("snapshot_id", "=", snapshot.id)])
        self.assertEqual(lines.partner_id, self.p1 | self.p2)
        with self.assertRaises(AccessError):
            snapshot.action_compute()
        action = self._compare_year_to_half()
        migrated = self.env["sales.abcxyz.migration.line"].search(action["domain"])
        self.assertEqual(migrated.partner_id, self.p1 | self.p2)

    @users("sdo_head")
    def test_head_reads_the_team_and_computes(self):
        lines = self.env["sales.abcxyz.snapshot.line"].search(
            [("snapshot_id", "=", self.snapshot_year.id)]
        )
        self.assertEqual(len(lines), 6)
        self.snapshot_year.with_user(self.env.user).action_compute()

    def test_other_company_invisible_and_not_counted(self):
        company_b = self.env["res.company"].create({"name": "Other Co"})
        self._ensure_chart(company_b)
        other = self.env["res.partner"].create(
            {"name": "Other customer", "company_id": company_b.id}
        )
        self._post_invoices([(other, "2025-05-05", 100000)], company=company_b)
        snapshot_b = (
            self.env["sales.abcxyz.snapshot"]
            .with_company(company_b)
            .create({"date": "2026-01-15", "company_id": company_b.id})
        )
        snapshot_b.action_compute()
        self.assertEqual(snapshot_b.line_ids.partner_id, other)
        self.snapshot_year.action_compute()
        self.assertEqual(self.snapshot_year.revenue_total, 3000)
        director = self.user_director.with_user(self.user_director)
        self.assertFalse(director.env["sales.abcxyz.snapshot"].search([("id", "=", snapshot_b.id)]))

    def _assert_refused(self, pattern, func, *args):
        # Odoo's assertRaises rolls the savepoint back, as a failed request would
        with self.assertRaises(ValidationError) as caught:
            func(*args)
        self.assertRegex(str(caught.exception), pattern)

    def test_bad_settings_are_refused_and_nothing_written(self):
        write = self.company.write
        self._assert_refused(r"A=95.0, B=80.0", write, {"abcxyz_a_limit": 95, "abcxyz_b_limit": 80})
        self._assert_refused(r"A=80.0, B=80.0", write, {"abcxyz_a_limit": 80, "abcxyz_b_limit": 80})
        self._assert_refused(r"at least 1 month \(got 0\)", write, {"abcxyz_window_months": 0})
        # both problems named in one message
        self._assert_refused(
            r"(?s)A=90.0, B=85.0.*got 0",
            write,
            {"abcxyz_a_limit": 90, "abcxyz_b_limit": 85, "abcxyz_window_months": 0},
        )
        settings = self.env["res.config.settings"].create(
            {"abcxyz_x_limit": 1.0, "abcxyz_y_limit": 0.5}
        )
        self._assert_refused(r"XYZ limits.*X=1.0, Y=0.5", settings.execute)
        self._assert_refused(
            r"at least 1 month",
            self.env["sales.abcxyz.snapshot"].create,
            {"date": "2026-03-01", "window_months": 0},
        )
        self.company.invalidate_recordset()
        self.assertEqual(
            (
                self.company.abcxyz_a_limit,
                self.company.abcxyz_b_limit,
                self.company.abcxyz_x_limit,
                self.company.abcxyz_y_limit,
                self.company.abcxyz_window_months,
            ),
            (80.0, 95.0, 0.5, 1.0, 12),
        )
        self.assertFalse(self.env["sales.abcxyz.snapshot"].search([("date", "=", "2026-03-01")]))

    def test_settings_move_both_limits_at_once(self):
        # raising A above the old B is valid when B rises in the same save
        self.env["res.config.settings"].create(
            {"abcxyz_a_limit": 96, "abcxyz_b_limit": 99}
        ).execute()
        self.assertEqual((self.company.abcxyz_a_limit, self.company.abcxyz_b_limit), (96, 99))
        self.assertEqual(self.company.abcxyz_window_months, 12)

    def test_cron_takes_one_snapshot_per_month_even_twice(self):
        Snapshot = self.env["sales.abcxyz.snapshot"]
        with freeze_time("2026-02-03 06:00:00"):
            Snapshot._cron_take_monthly_snapshot()
            Snapshot._cron_take_monthly_snapshot()
        taken = Snapshot.search([("company_id", "=", self.company.id), ("date", "=", "2026-02-01")])
        self.assertEqual(len(taken), 1)
        # window Feb 2025..Jan 2026: p1 loses Jan 2025 (125) and gains the 9999 of Jan 2026
        lines = {line.partner_id: line for line in taken.line_ids}
        self.assertEqual(lines[self.p1].revenue, 11 * 125 + 9999)
        self.assertTrue(taken.computed_on)
