"""Pivot and list totals that mean something: no sums across units.

Targets of North for March: calls 50 (hunter) and 30 (closer), revenue
120,000 (hunter). KPI history of the hunter on 2 March: 4 calls and 5,000 of
revenue won; on 3 March 6 calls.
"""

from datetime import date

from odoo import Command
from odoo.tests import tagged

from .kpi_common import KpiCommon


@tagged("post_install", "-at_install")
class TestReportAggregates(KpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calls = cls.metric("calls_made")
        cls.revenue = cls.metric("revenue_won")
        cls.plan = cls.env["sales.kpi.plan"].create(
            {
                "name": "North March",
                "team_id": cls.team_north.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
                "line_ids": [
                    Command.create({"metric_id": metric.id, "user_id": user.id, "target": target})
                    for metric, user, target in (
                        (cls.calls, cls.user_hunter, 50),
                        (cls.calls, cls.user_closer, 30),
                        (cls.revenue, cls.user_hunter, 120000),
                    )
                ],
            }
        )
        cls.env["sales.kpi.fact"].create(
            [
                {
                    "date": day,
                    "metric_id": metric.id,
                    "user_id": cls.user_hunter.id,
                    "company_id": cls.env.company.id,
                    "amount": amount,
                    "record_count": count,
                }
                for day, metric, amount, count in (
                    (date(2026, 3, 2), cls.calls, 4, 4),
                    (date(2026, 3, 2), cls.revenue, 5000, 1),
                    (date(2026, 3, 3), cls.calls, 6, 6),
                )
            ]
        )

    def _groups(self, model, groupby, aggregates):
        if model == "sales.kpi.plan.line":
            domain = [("plan_id", "=", self.plan.id)]
        else:
            domain = [("user_id", "=", self.user_hunter.id)]
        return {
            group[: len(groupby)]: group[len(groupby) :]
            for group in self.env[model]._read_group(domain, groupby, aggregates)
        }

    def test_targets_add_up_within_one_metric_only(self):
        # one metric: the calls of two people add up (50 + 30)
        by_metric = self._groups("sales.kpi.plan.line", ["metric_id"], ["target:sum"])
        self.assertEqual(by_metric, {(self.calls,): (80.0,), (self.revenue,): (120000.0,)})
        # the hunter's calls and złoty: no total; the closer's calls alone: 30
        by_user = self._groups("sales.kpi.plan.line", ["user_id"], ["target:sum", "__count"])
        self.assertEqual(by_user, {(self.user_hunter,): (False, 2), (self.user_closer,): (30.0, 1)})
        # the grand total of the pivot mixes them too
        self.assertEqual(self._groups("sales.kpi.plan.line", [], ["target:sum"]), {(): (False,)})

    def test_kpi_history_adds_up_within_one_metric_only(self):
        by_day = self._groups("sales.kpi.fact", ["date:day"], ["amount:sum", "record_count:sum"])
        self.assertEqual(
            {str(day): values for (day,), values in by_day.items()},
            # 2 March: 4 calls and 5,000 won make no sum; 3 March: 6 calls
            {"2026-03-02": (False, False), "2026-03-03": (6.0, 6)},
        )
        by_metric = self._groups("sales.kpi.fact", ["metric_id"], ["amount:sum"])
        self.assertEqual(by_metric, {(self.calls,): (10.0,), (self.revenue,): (5000.0,)})

    def test_percentages_are_averaged(self):
        for model, fnames in (
            ("sales.bonus.line", ["discipline_score", "bonus_payout", "payout_share"]),
            ("sales.bonus.line.metric", ["weight", "attainment", "payout", "next_tier_payout"]),
        ):
            described = self.env[model].fields_get(fnames, ["aggregator"])
            self.assertEqual(
                {fname: described[fname].get("aggregator") for fname in fnames},
                dict.fromkeys(fnames, "avg"),
            )
