"""Plans by level: a month plan (the default), a quarter or a year plan, and
the month plans beneath a quarter or year plan.

The month plans of a parent are checked against it per person (or team line)
and metric: their targets must not add up to more than the parent's. The
company chooses what a breach does (``sales_plan_sum_check``): a warning
shown on the parent plan's form, or a block (a ValidationError naming the
person, the metric, the sum and the parent's figure).

Plans of one level never overlap for a person and metric; a month plan may
overlap its quarter or year plan. Where plans of several levels cover a day,
the lowest level's target is the day's target (``sales_kpi_plan.py``,
``_day_target_rows``).
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .sales_kpi_plan import LEVEL_RANK, PLAN_LEVELS


class SalesKpiPlan(models.Model):
    _inherit = "sales.kpi.plan"  # pylint: disable=consider-merging-classes-inherited

    level = fields.Selection(
        PLAN_LEVELS,
        required=True,
        default="month",
        tracking=True,
        help="Month: the targets people work to day by day. Quarter, Year: a frame "
        "the month plans beneath it are checked against.",
    )
    parent_id = fields.Many2one(
        "sales.kpi.plan",
        string="Parent Plan",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        domain="[('level', 'in', ('quarter', 'year')), ('company_id', '=', company_id)]",
        help="The quarter or year plan this month plan falls under.",
    )
    child_ids = fields.One2many("sales.kpi.plan", "parent_id", string="Month Plans")
    sum_warning = fields.Text(
        compute="_compute_sum_warning",
        help="Where the month plans beneath add up to more than this plan.",
    )

    @api.depends("child_ids.line_ids.target", "line_ids.target", "company_id")
    def _compute_sum_warning(self):
        excess = self._sum_excess()
        for plan in self:
            plan.sum_warning = "\n".join(excess.get(plan.id, [])) or False

    @api.constrains("level", "parent_id", "date_from", "date_to", "company_id")
    def _check_parent(self):
        """A parent is a quarter or year plan above the child's level, of the
        child's company, whose period holds the child's (a parent's new
        period is checked against its children)."""
        errors = []
        for plan in (self | self.child_ids).filtered("parent_id"):
            parent = plan.parent_id
            if LEVEL_RANK[parent.level] <= LEVEL_RANK[plan.level]:
                errors.append(
                    self.env._(
                        "%(plan)s: the parent plan %(parent)s must be of a higher level",
                        plan=plan.name,
                        parent=parent.name,
                    )
                )
            elif parent.company_id != plan.company_id:
                errors.append(
                    self.env._(
                        "%(plan)s: the parent plan %(parent)s belongs to another company",
                        plan=plan.name,
                        parent=parent.name,
                    )
                )
            elif plan.date_from < parent.date_from or plan.date_to > parent.date_to:
                errors.append(
                    self.env._(
                        "%(plan)s: its period lies outside the parent plan %(parent)s",
                        plan=plan.name,
                        parent=parent.name,
                    )
                )
        if errors:
            raise ValidationError(self.env._("Invalid plan:\n%s", "\n".join(errors)))
        if self.line_ids:  # a new level or period can make the lines overlap others
            self.line_ids._check_overlap()
        self._check_sums()

    def _check_sums(self):
        """Raises on a sum over the parent's figure, in companies that block."""
        plans = self | self.parent_id
        excess = plans.filtered(
            lambda plan: plan.company_id.sales_plan_sum_check == "block"
        )._sum_excess()
        if excess:
            messages = sorted(message for lines in excess.values() for message in lines)
            raise ValidationError(
                self.env._(
                    "The month plans add up to more than their parent:\n%s", "\n".join(messages)
                )
            )

    def _sum_excess(self):
        """{parent plan id: [message]} where the lines of the plans beneath
        ``self`` add up to more than the parent's line of the same person (or
        team) and metric. One grouped query for any number of plans; the
        parent's line missing, nothing is checked for that figure."""
        parents = self.filtered("id")
        if not parents:
            return {}
        self.env["sales.kpi.plan.line"].flush_model(["plan_id", "metric_id", "user_id", "target"])
        self.flush_model(["parent_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT child.parent_id, line.user_id, line.metric_id,
                          ROUND(SUM(line.target)::numeric, 2), ROUND(parent_line.target::numeric, 2)
                     FROM sales_kpi_plan child
                     JOIN sales_kpi_plan_line line ON line.plan_id = child.id
                     JOIN sales_kpi_plan_line parent_line
                       ON parent_line.plan_id = child.parent_id
                      AND parent_line.metric_id = line.metric_id
                      AND parent_line.user_id IS NOT DISTINCT FROM line.user_id
                    WHERE child.parent_id IN %s
                 GROUP BY child.parent_id, line.user_id, line.metric_id, parent_line.target
                   HAVING ROUND(SUM(line.target)::numeric, 2)
                        > ROUND(parent_line.target::numeric, 2)""",
                tuple(parents.ids),
            )
        )
        people = {
            user.id: user.name
            for user in self.env["res.users"].sudo().browse({row[1] for row in rows if row[1]})
        }
        metrics = {
            metric.id: metric.name
            for metric in self.env["sales.kpi.metric"].sudo().browse({row[2] for row in rows})
        }
        plans = {plan.id: plan.name for plan in self.sudo().browse({row[0] for row in rows})}
        result = {}
        for plan_id, user_id, metric_id, total, figure in rows:
            result.setdefault(plan_id, []).append(
                self.env._(
                    "%(person)s, %(metric)s: the month plans add up to %(total)s, "
                    "%(parent)s says %(figure)s",
                    person=people[user_id] if user_id else self.env._("team"),
                    metric=metrics[metric_id],
                    total=float(total),
                    parent=plans[plan_id],
                    figure=float(figure),
                )
            )
        return result
