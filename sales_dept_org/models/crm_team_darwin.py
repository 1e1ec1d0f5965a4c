"""crm.team: the Darwin principle. A team that turns it on shares its hand-offs
by weight: each night every member gets the weight of last month's
attainment band (``sales.darwin.band``), and the hand-off divides each
member's open leads by it (``crm_lead_handoff.py``). Off by default."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import darwin
from .sales_darwin_band import BANDS_DEFERRED


class CrmTeam(models.Model):
    _inherit = "crm.team"  # pylint: disable=consider-merging-classes-inherited

    sales_darwin = fields.Boolean(
        "Darwin Principle",
        help="Who did best last month gets more leads: every night each member gets the "
        "weight of last month's attainment band, and the hand-off shares leads in "
        "proportion to the weights.",
    )
    sales_darwin_band_ids = fields.One2many(
        "sales.darwin.band",
        "team_id",
        "Darwin Table",
        help="The team's own attainment bands; empty: the company's table.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        teams = super(CrmTeam, self.with_context(**{BANDS_DEFERRED: True})).create(vals_list)
        teams = teams.with_env(self.env)
        self.env["sales.darwin.band"]._check_darwin_tables(teams._sales_band_tables())
        return teams

    def write(self, vals):
        if "sales_darwin_band_ids" not in vals:
            return super().write(vals)
        tables = self._sales_band_tables()
        result = super(CrmTeam, self.with_context(**{BANDS_DEFERRED: True})).write(vals)
        self.env["sales.darwin.band"]._check_darwin_tables(tables | self._sales_band_tables())
        return result

    def _sales_band_tables(self):
        return {(band.company_id, band.team_id) for band in self.sales_darwin_band_ids}

    @api.model
    def _cron_sales_darwin(self):
        """Weighs the members of every Darwin team by last month's attainment,
        in each team's company: safe to run again (same month, same weights)."""
        teams = self.search([("sales_darwin", "=", True)])
        for company, company_teams in teams.grouped(
            lambda team: team.company_id or self.env.company
        ).items():
            company_teams._sales_darwin_weigh(company)

    def _sales_darwin_weigh(self, company):
        """Gives each active member of ``self`` (teams of ``company``) the
        weight of its last month's attainment, in one grouped read of the
        month and one UPDATE."""
        first_this_month = company._sales_date().replace(day=1)
        month_end = first_this_month - timedelta(days=1)
        month = month_end.replace(day=1)
        members = self.crm_team_member_ids
        attainments = self.env["sales.kpi.metric"]._sales_overall_attainments(
            members.user_id, month, month_end, company
        )
        bands = self.env["sales.darwin.band"]._sales_team_bands(self)
        rows = []
        for member in members:
            reached = attainments.get(member.user_id.id)
            percent = round(reached * 100, 2) if reached is not None else None
            weight = darwin.weight_for(bands[member.crm_team_id], percent)
            rows.append(
                SQL("(%s, %s::numeric, %s::date, %s::numeric)", member.id, weight, month, percent)
            )
        if not rows:
            return
        self.env.cr.execute(
            SQL(
                """UPDATE crm_team_member AS member
                      SET sales_weight = weighed.weight,
                          sales_weight_month = weighed.month,
                          sales_weight_attainment = weighed.attainment,
                          sales_weight_planned = weighed.attainment IS NOT NULL
                     FROM (VALUES %s) AS weighed(id, weight, month, attainment)
                    WHERE member.id = weighed.id""",
                SQL(", ").join(rows),
            )
        )
        members.invalidate_recordset(
            [
                "sales_weight",
                "sales_weight_month",
                "sales_weight_attainment",
                "sales_weight_planned",
            ]
        )
