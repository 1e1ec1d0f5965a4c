"""The metric catalogue: what a KPI counts is data, not code.

A metric names a source model, the date that places a record on a day, the
field naming the person credited, a domain and a measure (count, sum or
average of a field). Paths through many2one fields are allowed
(``debit_move_id.move_id.invoice_user_id``), so money received can be credited
to the invoice's salesperson on the payment's date without extra code.

This file holds the definition, its validation and how a figure is shown;
``sales_kpi_metric_facts.py`` reads the facts (the batch API).
"""

import ast
import functools

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import create_index, float_round
from odoo.tools.misc import get_lang
from odoo.tools.safe_eval import safe_eval

from odoo.addons.base.models.res_lang import intersperse

MEASURES = [
    ("count", "Count of records"),
    ("sum", "Sum of a field"),
    ("average", "Average of a field"),
]


class SalesKpiMetric(models.Model):
    _name = "sales.kpi.metric"
    _description = "KPI Metric"
    _order = "sequence, id"

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A metric code must be unique."),
    ]

    SOURCE_FIELDS = ("model_id", "date_field", "user_field", "measure", "measure_field", "domain")

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="Stable technical name that pay schemes and digests refer to."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the metric between companies."
    )
    description = fields.Text(translate=True)
    model_id = fields.Many2one(
        "ir.model",
        string="Source Model",
        required=True,
        ondelete="cascade",
        domain=[("transient", "=", False)],
    )
    model_name = fields.Char(related="model_id.model", store=True, string="Source Model Name")
    date_field = fields.Char(
        required=True,
        help="Date or datetime field placing a record on a day; a path such as "
        "credit_move_id.date is allowed.",
    )
    user_field = fields.Char(
        string="Person Field",
        required=True,
        default="user_id",
        help="Field (or path) holding the user credited with the record.",
    )
    measure = fields.Selection(MEASURES, required=True, default="count")
    measure_field = fields.Char(help="Numeric field summed or averaged (sum and average only).")
    domain = fields.Char(default="[]", required=True, help="Which source records count.")
    higher_is_better = fields.Boolean(
        string="More Is Better",
        default=True,
        help="Off for metrics to keep low (overdue tasks): staying under the plan is 100%.",
    )
    is_money = fields.Boolean(
        help="Amounts in the company currency; only their owner, the team head "
        "and the director see them on the board."
    )
    board_weight = fields.Float(
        default=1.0, help="Weight of this metric in the board's weighted attainment."
    )
    facts_stored_until = fields.Date(
        readonly=True,
        copy=False,
        help="Days up to this one are read from the stored daily facts; later days live.",
    )

    # ------------------------------------------------------------------
    # validation
    # ------------------------------------------------------------------
    @api.constrains(
        "model_id", "date_field", "user_field", "measure", "measure_field", "domain", "board_weight"
    )
    def _check_source_fields(self):
        errors = []
        for metric in self:
            errors += [f"{metric.name}: {error}" for error in metric._source_errors()]
        if errors:
            raise ValidationError(self.env._("Invalid KPI metric:\n%s", "\n".join(errors)))

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    def init(self):
        # The shipped metrics read a day or a month of a few or of all people:
        # (person, date) indexes on the sources that have none, partial where
        # only a few rows count (closed leads, done activities; the stage
        # log's milestones have theirs).
        for name, table, columns, where in (
            ("crm_lead_sales_kpi_closed_idx", "crm_lead", ["user_id", "date_closed"],
             "date_closed IS NOT NULL"),
            ("crm_lead_sales_kpi_won_idx", "crm_lead", ["closer_user_id", "date_closed"],
             "date_closed IS NOT NULL AND closer_user_id IS NOT NULL"),
            ("mail_message_sales_kpi_done_idx", "mail_message",
             ["create_uid", "date", "mail_activity_type_id"], "mail_activity_type_id IS NOT NULL"),
            ("sale_order_sales_kpi_user_date_idx", "sale_order", ["user_id", "date_order"], ""),
        ):  # fmt: skip
            create_index(self.env.cr, name, table, columns, where=where)

    def write(self, vals):
        """A metric that counts differently forgets the facts stored the old
        way. Writing the same definition again (a module update reloads the
        shipped metrics) keeps them."""
        if not any(name in vals for name in self.SOURCE_FIELDS):
            return super().write(vals)
        before = {metric: metric._source_definition() for metric in self}
        result = super().write(vals)
        changed = self.filtered(lambda metric: metric._source_definition() != before[metric])
        if changed:
            self.env["sales.kpi.fact"].sudo().search([("metric_id", "in", changed.ids)]).unlink()
            super(SalesKpiMetric, changed).write({"facts_stored_until": False})
        return result

    # ------------------------------------------------------------------
    # the definition
    # ------------------------------------------------------------------
    def _source_definition(self):
        self.ensure_one()
        return tuple(
            self[name].id if name == "model_id" else self[name] for name in self.SOURCE_FIELDS
        )

    def _source_errors(self):
        self.ensure_one()
        if self.model_name not in self.env:
            return [self.env._("the source model %s does not exist", self.model_name)]
        model = self.env[self.model_name]
        errors = (
            [self.env._("the board weight cannot be negative")] if self.board_weight < 0 else []
        )
        date_error, date_field = self._path_error(model, self.date_field)
        if date_error:
            errors.append(date_error)
        elif date_field.type not in ("date", "datetime"):
            errors.append(self.env._("%s is not a date", self.date_field))
        user_error, user_field = self._path_error(model, self.user_field)
        if user_error:
            errors.append(user_error)
        elif user_field.type != "many2one" or user_field.comodel_name != "res.users":
            errors.append(self.env._("%s does not name a user", self.user_field))
        if self.measure in ("sum", "average"):
            if not self.measure_field:
                errors.append(self.env._("a sum or an average needs a field to measure"))
            else:
                measure_error, measure_field = self._path_error(model, self.measure_field)
                if measure_error:
                    errors.append(measure_error)
                elif measure_field.type not in ("integer", "float", "monetary"):
                    errors.append(self.env._("%s is not a number", self.measure_field))
        try:
            model.sudo()._search(self._source_domain())
        except Exception as error:  # noqa: BLE001 - any bad domain is a user mistake
            errors.append(self.env._("the domain is invalid (%s)", error))
        return errors

    def _path_error(self, model, path):
        """(error or None, last field): every step exists and is stored, every
        step but the last a many2one."""
        field = None
        parts = (path or "").split(".")
        for index, name in enumerate(parts):
            field = model._fields.get(name)
            if field is None:
                return self.env._(
                    "the field %(path)s does not exist on %(model)s", path=path, model=model._name
                ), None
            if not (field.store or field.related):
                return self.env._("the field %s is not stored", path), None
            if index < len(parts) - 1:
                if field.type != "many2one":
                    return self.env._("%s is not a path of many2one fields", path), None
                model = model.env[field.comodel_name]
        return None, field

    @api.model
    def _value_formatter(self, currency):
        """format(metric, value) -> text, a figure as the board and the
        digests show it: money in ``currency`` laid out as
        ``format_amount`` does, an average with 2 decimals, counts rounded to
        whole ones, in the language's number format.
        The language is looked up once for the many figures of a board
        (``format_amount`` looks it up for each: a third of its time), and
        each amount is formatted once (plans repeat across people and metrics)."""
        lang = self.env["res.lang"].browse(get_lang(self.env).id)
        # what lang.format(pattern, value, grouping=True) reads on every call,
        # read once: a board formats thousands of figures
        data = lang._get_data(id=lang.id)
        grouping = ast.literal_eval(data.grouping)
        separator, point = data.thousands_sep or "", data.decimal_point
        pattern = f"%.{currency.decimal_places}f"
        symbol = currency.symbol or ""

        @functools.cache
        def number(pattern, value):
            whole, *decimals = (pattern % value).split(".")
            return point.join([intersperse(whole, grouping, separator)[0], *decimals])

        @functools.cache
        def count(value):
            return number("%.0f", float_round(value, precision_digits=0))

        @functools.cache
        def money(value):
            amount = (
                number(pattern, currency.round(value))
                .replace(" ", "\N{NO-BREAK SPACE}")
                .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
            )
            if currency.position == "before":
                return f"{symbol}\N{NO-BREAK SPACE}{amount}"
            return f"{amount}\N{NO-BREAK SPACE}{symbol}"

        kinds = {}  # metric id -> (money, average): read once, not once per figure

        def format_value(metric, value):
            if metric.id not in kinds:
                kinds[metric.id] = (metric.is_money, metric.measure == "average")
            is_money, is_average = kinds[metric.id]
            if is_money:
                return money(value)
            # an average with 2 decimals, a count whole (a day's share of 50
            # calls is 2, not 2.27), both with the language's separators
            if is_average:
                return number("%.2f", value)
            return count(value)

        return format_value

    def _source_domain(self):
        return safe_eval(self.domain or "[]", {"uid": self.env.uid})
