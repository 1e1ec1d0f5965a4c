from odoo import api, models


class SalesReportUnitMixin(models.AbstractModel):
    """Measures whose sum means something only within one unit.

    A target of 50 calls and one of 120,000 zł, or the reached counts of two
    funnel stages, add up to nothing a person can read. Grouped by anything
    that mixes units (``_unit_field``: the metric, the stage), the measures
    named in ``_unit_measures`` come back empty (False: the pivot and the
    list leave the cell blank); within one unit they aggregate as their
    field says. One extra ``count_distinct`` in the same grouped query tells
    the two apart."""

    _name = "sales.report.unit.mixin"
    _description = "Measures Aggregated Within One Unit"

    _unit_field = "metric_id"
    _unit_measures = ()

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        mixed = [
            index
            for index, spec in enumerate(aggregates)
            if spec.split(":")[0] in self._unit_measures
        ]
        if not mixed or self._unit_field in groupby:
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        rows = super()._read_group(
            domain,
            groupby,
            (*aggregates, f"{self._unit_field}:count_distinct"),
            having,
            offset,
            limit,
            order,
        )
        result = []
        for *values, units in rows:
            if units > 1:
                for index in mixed:
                    values[len(groupby) + index] = False
            result.append(tuple(values))
        return result
