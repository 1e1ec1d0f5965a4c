from itertools import product

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.sales_abcxyz_snapshot import ABCXYZ_CLASSES

# the axes of the matrix say which snapshot they are: "Before: AX", "After: AX"
CLASSES_BEFORE = [(key, f"Before: {label}") for key, label in ABCXYZ_CLASSES] + [
    ("none", "Before: not classified")
]
CLASSES_AFTER = [(key, f"After: {label}") for key, label in ABCXYZ_CLASSES] + [
    ("none", "After: not classified")
]
CLASS_AXES = ("class_from", "class_to")


class SalesAbcxyzMigration(models.TransientModel):
    """Compares two snapshots: one line per customer found in either of them,
    read as a pivot (class before × class after) that drills down to the
    customers and their farmer. Built from the snapshot lines the user may
    read, so a salesperson sees the migration of their own customers."""

    _name = "sales.abcxyz.migration"
    _description = "ABC-XYZ Migration Between Two Snapshots"

    snapshot_from_id = fields.Many2one("sales.abcxyz.snapshot", "Before", required=True)
    snapshot_to_id = fields.Many2one("sales.abcxyz.snapshot", "After", required=True)
    line_ids = fields.One2many("sales.abcxyz.migration.line", "migration_id", readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        latest = self.env["sales.abcxyz.snapshot"].search([], limit=2)
        if len(latest) == 2:
            values.setdefault("snapshot_to_id", latest[0].id)
            values.setdefault("snapshot_from_id", latest[1].id)
        return values

    def action_compare(self):
        self.ensure_one()
        if self.snapshot_from_id.company_id != self.snapshot_to_id.company_id:
            raise UserError(self.env._("Compare two snapshots of the same company."))
        self.line_ids.unlink()
        Line = self.env["sales.abcxyz.snapshot.line"]
        lines = Line.search_fetch(
            [("snapshot_id", "in", (self.snapshot_from_id | self.snapshot_to_id).ids)],
            ["snapshot_id", "partner_id", "user_id", "team_id", "abcxyz_class", "revenue"],
        )
        before_lines = lines.filtered(lambda line: line.snapshot_id == self.snapshot_from_id)
        before = {line.partner_id: line for line in before_lines}
        after = {line.partner_id: line for line in lines - before_lines}
        empty = Line.browse()
        values = []
        for partner in sorted(before.keys() | after.keys(), key=lambda p: p.id):
            old, new = before.get(partner, empty), after.get(partner, empty)
            values.append(
                {
                    "migration_id": self.id,
                    "partner_id": partner.id,
                    "user_id": (new or old).user_id.id,
                    "team_id": (new or old).team_id.id,
                    "class_from": old.abcxyz_class or "none",
                    "class_to": new.abcxyz_class or "none",
                    "changed": (old.abcxyz_class or "none") != (new.abcxyz_class or "none"),
                    "revenue_from": old.revenue,
                    "revenue_to": new.revenue,
                }
            )
        self.env["sales.abcxyz.migration.line"].create(values)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Migration %(before)s → %(after)s",
                before=self.snapshot_from_id.name,
                after=self.snapshot_to_id.name,
            ),
            "res_model": "sales.abcxyz.migration.line",
            "view_mode": "pivot,list",
            "views": [(False, "pivot"), (False, "list")],
            "domain": [("migration_id", "=", self.id)],
            "context": {"create": False},
            "help": Markup('<p class="o_view_nocontent_empty_folder">%s</p><p>%s</p>')
            % (
                self.env._("No customer in either snapshot"),
                self.env._(
                    "Compute both snapshots first (their Compute button, in Reports ▸ "
                    "ABC-XYZ Snapshots), then compare them again."
                ),
            ),
        }


class SalesAbcxyzMigrationLine(models.TransientModel):
    _name = "sales.abcxyz.migration.line"
    _description = "ABC-XYZ Migration of One Customer"
    _order = "class_from, class_to, partner_id"

    migration_id = fields.Many2one("sales.abcxyz.migration", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "Farmer", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    currency_id = fields.Many2one(related="migration_id.snapshot_to_id.currency_id")
    class_from = fields.Selection(CLASSES_BEFORE, "Class before", readonly=True)
    class_to = fields.Selection(CLASSES_AFTER, "Class after", readonly=True)
    changed = fields.Boolean("Changed class", readonly=True)
    revenue_from = fields.Monetary("Revenue before", readonly=True)
    revenue_to = fields.Monetary("Revenue after", readonly=True)

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        """Grouped by class before and/or after only, every one of the 9 classes
        is a row and a column, empty or not (the 9 x 9 matrix), plus "not
        classified" where some customer is."""
        rows = super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        if not groupby or set(groupby) - set(CLASS_AXES) or having or offset or limit:
            return rows
        keys = [key for key, _label in ABCXYZ_CLASSES]
        found = {tuple(row[: len(groupby)]): row for row in rows}
        axes = [
            keys + (["none"] if any(key[index] == "none" for key in found) else [])
            for index in range(len(groupby))
        ]
        empty = tuple(self._read_group_empty_value(spec) for spec in aggregates)
        return [found.get(key, (*key, *empty)) for key in product(*axes)]
