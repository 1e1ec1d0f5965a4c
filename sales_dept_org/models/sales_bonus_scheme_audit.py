"""A scheme's metrics and tiers, told in the scheme's chatter when they change
(the scheme's own fields are tracked on it)."""

from odoo import models


class SalesBonusSchemeMetric(models.Model):
    _name = "sales.bonus.scheme.metric"
    _inherit = ["sales.bonus.scheme.metric", "sales.audit.line.mixin"]

    _audit_parent = "scheme_id"
    _audit_fields = ("sequence", "metric_id", "weight")

    def _audit_label(self):
        return self.metric_id.name


class SalesBonusSchemeTier(models.Model):
    _name = "sales.bonus.scheme.tier"
    _inherit = ["sales.bonus.scheme.tier", "sales.audit.line.mixin"]

    _audit_parent = "scheme_id"
    _audit_fields = ("sequence", "attainment_from", "attainment_to", "payout_from", "rate")

    def _audit_label(self):
        return self.env._("Tier from %s %%", self.attainment_from)
