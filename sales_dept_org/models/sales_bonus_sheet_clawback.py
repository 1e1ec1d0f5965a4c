"""sales.bonus.sheet: clawbacks. A deal or payment reversed after its month
was confirmed changes no locked line: the bonus the line would pay with
today's facts, less what it paid and what was clawed back already, lands as
a negative clawback line in the next open month, pointing to the original."""

from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import models
from odoo.tools import float_compare

from ..engine import pay
from .sales_bonus_line import LOCKED_STATES
from .sales_bonus_scheme import to_decimal

# How far back a computation looks for reversed deals of locked months.
CLAWBACK_MONTHS = 12


class SalesBonusSheet(models.Model):
    _inherit = "sales.bonus.sheet"  # pylint: disable=consider-merging-classes-inherited

    def _corrected_sheets(self):
        """Locked sheets whose corrections land here: those after the last open sheet,
        within CLAWBACK_MONTHS (older corrections are settled by hand)."""
        earlier = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("date_from", "<", self.date_from),
                ("date_from", ">=", self.date_from - relativedelta(months=CLAWBACK_MONTHS)),
            ],
            order="date_from desc",
        )
        corrected = self.browse()
        for sheet in earlier:
            if sheet.state not in LOCKED_STATES:
                break
            corrected |= sheet
        return corrected

    def _prepare_clawback_vals(self):
        vals_list = []
        for sheet in self._corrected_sheets():
            pay_lines = sheet.line_ids.filtered(
                lambda line: line.line_type == "pay" and line.scheme_id
            )
            metrics = pay_lines.metric_line_ids.metric_id
            facts_now = sheet._get_plan_fact(pay_lines.user_id, metrics)
            clawed = self._clawed_amounts(pay_lines)
            for line in pay_lines:
                vals = self._prepare_clawback_line_vals(line, facts_now, clawed.get(line.id, 0.0))
                if vals:
                    vals_list.append(vals)
        return vals_list

    def _clawed_amounts(self, origin_lines):
        """What locked sheets have already clawed back per original line."""
        groups = self.env["sales.bonus.line"]._read_group(
            [
                ("origin_line_id", "in", origin_lines.ids),
                ("state", "in", LOCKED_STATES),
                ("sheet_id", "!=", self.id),
            ],
            ["origin_line_id"],
            ["clawback_amount:sum"],
        )
        return {line.id: amount for line, amount in groups}

    def _prepare_clawback_line_vals(self, line, facts_now, already_clawed):
        """The bonus the locked line would pay with today's facts, minus what it paid."""
        snapshot = line.scheme_snapshot
        tiers = [
            pay.Tier(*(None if value is None else Decimal(value) for value in tier))
            for tier in snapshot["tiers"]
        ]
        weighted, changes = [], []
        for metric in line.metric_line_ids:
            fact = facts_now.get((line.user_id.id, metric.metric_id.id), (0.0, 0.0))[1]
            weighted.append(
                (
                    to_decimal(metric.weight),
                    pay.attainment_percent(
                        to_decimal(metric.plan),
                        to_decimal(fact),
                        metric.metric_id.higher_is_better,
                    ),
                )
            )
            if float_compare(fact, metric.fact, precision_digits=2):
                changes.append(f"{metric.metric_id.name} {metric.fact:,.2f} -> {fact:,.2f}")
        cap = Decimal(snapshot["cap"]) if snapshot["cap"] else None
        payout = pay.bonus_payout(pay.metric_results(tiers, weighted), cap)
        bonus_now = pay.to_cents(
            to_decimal(line.bonus_target) * payout / pay.HUNDRED, self.currency_id.decimal_places
        )
        delta = bonus_now - to_decimal(line.bonus_amount) - to_decimal(already_clawed)
        if delta >= 0:
            return None
        return {
            "line_type": "clawback",
            "origin_line_id": line.id,
            "employee_id": line.employee_id.id,
            "user_id": line.user_id.id,
            "team_id": line.team_id.id,
            "sales_role": line.sales_role,
            "clawback_amount": float(delta),
            "note": self.env._(
                "Clawback for %(month)s: %(changes)s",
                month=line.date_from.strftime("%Y-%m"),
                changes="; ".join(changes),
            ),
        }
