"""sales.kpi.metric: a person's overall attainment of a period, as the board
ranks people: every active metric with a plan, weighted by its board weight,
each counting up to the company's board attainment cap
(``engine/kpi.overall_attainment``). The Darwin weighting reads last month's
through it."""

from odoo import api, models

from ..engine import kpi


class SalesKpiMetric(models.Model):
    _inherit = "sales.kpi.metric"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _sales_overall_attainments(self, users, date_from, date_to, company):
        """{user id: attainment (1 is the plan) or None without any plan} of
        ``users`` in ``company`` from ``date_from`` to ``date_to``: one query
        for the metrics, one for everyone's targets and one statement for
        everyone's facts, whatever the number of people."""
        if not users:
            return {}
        in_company = {"allowed_company_ids": company.ids}
        metrics = (
            self.sudo()
            .with_context(**in_company)
            .search_fetch(
                [("active", "=", True)],
                [*self.SOURCE_FIELDS, "model_name", "facts_stored_until"]
                + ["board_weight", "higher_is_better"],
            )
        )
        targets = (
            self.env["sales.kpi.plan"]
            .sudo()
            .with_context(**in_company)
            ._get_targets(users, date_from, date_to)
        )
        facts = metrics._read_facts(users, date_from, date_to)
        cap = company.sales_board_attainment_cap
        cap = cap / 100 if cap else None
        return {
            user_id: kpi.overall_attainment(
                [
                    (
                        metric.board_weight,
                        targets.get((metric.id, user_id), 0.0),
                        facts.get((metric.id, user_id), 0.0),
                        metric.higher_is_better,
                    )
                    for metric in metrics
                ],
                cap,
            )[0]
            for user_id in users.ids
        }
