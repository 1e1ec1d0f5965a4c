"""sales.bonus.sheet: mentors. Each trainee of the sheet's people who has a
mentor of the company adds one mentor line to the mentor: a share of the
trainee's target bonus (the company's mentor share), times the trainee's
overall attainment of the month, capped like the trainee's bonus
(``engine.pay.mentor_pay``). The attainments of all trainees are read at
once (``sales.kpi.metric._sales_overall_attainments``)."""

from odoo import models
from odoo.tools.misc import format_amount

from ..engine import pay
from .sales_bonus_scheme import to_decimal


class SalesBonusSheet(models.Model):
    _inherit = "sales.bonus.sheet"  # pylint: disable=consider-merging-classes-inherited

    def _prepare_mentor_vals(self, context):
        """One line of values per trainee with a mentor: what the mentor earns
        for them, or nothing and a note saying why."""
        share = to_decimal(self.company_id.sales_mentor_share)
        trainees = context["employees"].filtered(
            lambda employee: (
                employee.is_trainee and employee.mentor_id.company_id == self.company_id
            )
        )
        if not trainees or not share:
            return []
        attainments = self.env["sales.kpi.metric"]._sales_overall_attainments(
            trainees.user_id, self.date_from, self.date_to, self.company_id
        )
        return [
            self._prepare_mentor_line_vals(trainee, share, attainments, context)
            for trainee in trainees
        ]

    def _prepare_mentor_line_vals(self, trainee, share, attainments, context):
        mentor = trainee.mentor_id
        vals = {
            "line_type": "mentor",
            "employee_id": mentor.id,
            "user_id": mentor.user_id.id,
            "team_id": context["teams"].get(mentor.user_id.id, self.env["crm.team"]).id,
            "sales_role": mentor.sales_role,
            "trainee_id": trainee.id,
        }
        scheme = context["schemes"].get(trainee.id)
        if not scheme:
            return dict(
                vals,
                note=self.env._(
                    "Mentor of %s: the trainee has no bonus scheme, nothing is paid.",
                    trainee.name,
                ),
            )
        params = context["params"][scheme.id]
        digits = self.currency_id.decimal_places
        *_parts, bonus_target = pay.split_target(params["target"], *params["shares"][:2], digits)
        reached = attainments.get(trainee.user_id.id)
        percent = None if reached is None else to_decimal(reached) * pay.HUNDRED
        amount = pay.mentor_pay(bonus_target, share, percent, params["cap"], digits)
        mentor_target = pay.to_cents(bonus_target * share / pay.HUNDRED, digits)
        if amount is None:
            return dict(
                vals,
                bonus_target=float(mentor_target),
                note=self.env._(
                    "Mentor of %s: the trainee has no plan this month, nothing is paid.",
                    trainee.name,
                ),
            )
        capped = percent if params["cap"] is None else min(percent, params["cap"])
        return dict(
            vals,
            scheme_id=scheme.id,
            bonus_target=float(mentor_target),
            bonus_payout=float(round(capped, 2)),
            bonus_amount=float(amount),
            note=self.env._(
                "Mentor of %(trainee)s: %(share)s%% of the target bonus %(target)s "
                "at %(attainment)s%% attainment",
                trainee=trainee.name,
                share=pay.pct(share),
                target=format_amount(self.env, float(bonus_target), self.currency_id),
                attainment=pay.pct(round(percent, 2)),
            ),
        )
