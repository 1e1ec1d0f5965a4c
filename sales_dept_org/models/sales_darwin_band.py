"""The Darwin table: attainment bands giving a team member's weight in the
hand-off (``engine/darwin.py``). A company's table serves its Darwin teams; a
team may keep its own instead. A company without a table uses the shipped one."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import darwin

# context key: a write of several bands at once checks the tables once, at its end
BANDS_DEFERRED = "sales_darwin_bands_deferred"


class SalesDarwinBand(models.Model):
    _name = "sales.darwin.band"
    _description = "Darwin Attainment Band"
    _order = "company_id, team_id, attainment_from"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    team_id = fields.Many2one(
        "crm.team",
        index=True,
        ondelete="cascade",
        help="The team whose own table this band belongs to; empty: the company's table.",
    )
    attainment_from = fields.Float(
        "From (% of plan)",
        required=True,
        help="Last month's attainment from which the band's weight applies, up to the next band.",
    )
    weight = fields.Float(
        required=True,
        default=1.0,
        digits=(3, 2),
        help="Leads are shared in proportion to it: a member of weight 1.5 takes three "
        "leads while one of weight 0.5 takes one.",
    )

    @api.depends("team_id.company_id")
    def _compute_company_id(self):
        for band in self:
            band.company_id = band.team_id.company_id or band.company_id or self.env.company

    @api.model_create_multi
    def create(self, vals_list):
        bands = super().create(vals_list)
        bands._check_tables()
        return bands

    def write(self, vals):
        before = self._tables()
        result = super().write(vals)
        self._check_tables(before)
        return result

    def unlink(self):
        before = self._tables()
        result = super().unlink()
        self._check_tables(before)
        return result

    def _tables(self):
        return {(band.company_id, band.team_id) for band in self}

    def _check_tables(self, tables=()):
        """Checks the whole tables the bands of ``self`` (and ``tables``, the
        ones they left) belong to: every problem of every table, raised once."""
        if self.env.context.get(BANDS_DEFERRED):
            return
        self.browse()._check_darwin_tables(set(tables) | self.exists()._tables())

    @api.model
    def _check_darwin_tables(self, tables):
        problems = []
        for (company, team), bands in self._read_tables(tables).items():
            if not bands:  # an empty table: the company's, or the shipped one, serves
                continue
            where = (
                self.env._("team %(team)s", team=team.name)
                if team
                else self.env._("company %(company)s", company=company.name)
            )
            problems += [
                self.env._("The Darwin table of %(where)s: %(problem)s", where=where, problem=text)
                for text in self._problem_texts(darwin.check_bands(bands))
            ]
        if problems:
            raise ValidationError("\n".join(problems))

    @api.model
    def _read_tables(self, tables):
        """{(company, team): [(attainment from, weight)]} of ``tables``, one query."""
        tables = {(company, team) for company, team in tables}
        result = {table: [] for table in tables}
        if not tables:
            return result
        teams = self.env["crm.team"].union(*(team for _company, team in tables))
        companies = self.env["res.company"].union(*(company for company, _team in tables))
        for band in self._sales_read_bands(teams, companies):
            table = (band.company_id, band.team_id)
            if table in result:
                result[table].append((band.attainment_from, band.weight))
        return result

    @api.model
    def _sales_read_bands(self, teams, companies):
        """The bands of ``teams``' own tables and of ``companies``' tables."""
        return self.sudo().search_fetch(
            [
                "|",
                ("team_id", "in", teams.ids),
                "&",
                ("team_id", "=", False),
                ("company_id", "in", companies.ids),
            ],
            ["company_id", "team_id", "attainment_from", "weight"],
        )

    @api.model
    def _problem_texts(self, problems):
        texts = {
            "no_zero": lambda values: self.env._(
                "the lowest band must start at 0%%, not %(start)s%%.", start=values["start"]
            ),
            "weight": lambda values: self.env._(
                "the band from %(start)s%% has weight %(weight)s; a weight must be above 0.",
                **values,
            ),
            "twice": lambda values: self.env._(
                "two bands start at %(start)s%%.", start=values["start"]
            ),
            "decreasing": lambda values: self.env._(
                "the band from %(start)s%% weighs %(weight)s, less than the band from "
                "%(below)s%% below it (%(below_weight)s).",
                **values,
            ),
        }
        return [
            texts[kind]({name: f"{value:g}" for name, value in values.items()})
            for kind, values in problems
        ]

    @api.model
    def _sales_team_bands(self, teams):
        """{team: [(attainment from, weight)]}: the team's own table, else its
        company's, else the shipped one. One query for all teams."""
        own, of_company = defaultdict(list), defaultdict(list)
        for band in self._sales_read_bands(teams, teams.company_id | self.env.company):
            row = (band.attainment_from, band.weight)
            if band.team_id:
                own[band.team_id].append(row)
            else:
                of_company[band.company_id].append(row)
        return {
            team: own.get(team)
            or of_company.get(team.company_id or self.env.company)
            or list(darwin.DEFAULT_BANDS)
            for team in teams
        }
