import io
from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.sales_bonus_line import LOCKED_STATES
from ..models.sales_bonus_scheme import BONUS_METRICS
from .bonus_sheet_workbook import write_workbook

SUMMED = ("fixed", "soft", "bonus", "instant", "clawback", "total")
LINE_FIELDS = {
    "fixed": "fixed_amount",
    "soft": "soft_amount",
    "bonus": "bonus_amount",
    "instant": "instant_amount",
    "clawback": "clawback_amount",
    "total": "total_amount",
}


class SalesBonusSheetXlsx(models.AbstractModel):
    """The accountant's export of a confirmed bonus sheet: summary, one sheet per
    team, the instant bonuses. Totals are summed in Decimal from the stored lines,
    so they equal the database to the cent."""

    _name = "sales.bonus.sheet.xlsx"
    _description = "Bonus Sheet XLSX Export"

    @api.model
    def _export_action(self, sheets):
        sheets.ensure_one()
        sheets.check_access("read")
        user = self.env.user
        if not (
            user.has_group("sales_dept_org.group_sales_dept_accountant")
            or user.has_group("sales_dept_org.group_sales_dept_director")
        ):
            raise AccessError(
                self.env._("Only the bonus accountant and the sales director export sheets.")
            )
        if sheets.state not in LOCKED_STATES:
            raise UserError(
                self.env._(
                    "Only a confirmed bonus sheet can be exported: %(sheet)s is %(state)s.",
                    sheet=sheets.name,
                    state=dict(sheets._fields["state"].selection)[sheets.state],
                )
            )
        # whoever may export the sheet sees all of it, whatever their line rules
        content = self._workbook_bytes(sheets.sudo())
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{sheets.name}.xlsx",
                    "raw": content,
                    "res_model": sheets._name,
                    "res_id": sheets.id,
                    "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                }
            )
        )
        # The export is the system's record, not an edit by the accountant.
        sheets.sudo().write(
            {
                "state": "exported",
                "exported_on": fields.Datetime.now(),
                "exported_by_id": self.env.user.id,
            }
        )
        sheets.sudo().message_post(
            body=self.env._("Exported to XLSX by %s.", self.env.user.name),
            attachment_ids=attachment.ids,
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    @api.model
    def _workbook_bytes(self, sheet):
        stream = io.BytesIO()
        write_workbook(stream, self._workbook_data(sheet))
        return stream.getvalue()

    @api.model
    def _workbook_data(self, sheet):
        """Everything the workbook shows, from a few batched reads: columns are
        taken whole from the cache (``mapped``), never field by field per line."""
        currency = sheet.currency_id
        lines = sheet.env["sales.bonus.line"].search_fetch(
            [("sheet_id", "=", sheet.id)],
            [
                "employee_id",
                "team_id",
                "sales_role",
                "target_pay",
                "discipline_score",
                "bonus_payout",
                "note",
                "line_type",
                *LINE_FIELDS.values(),
            ],
        )
        lines.employee_id.fetch(["name"])
        lines.team_id.fetch(["name"])
        attainments = self._attainments(lines)
        rows_by_team = defaultdict(list)
        for line, row in zip(lines, self._person_rows(lines, attainments), strict=True):
            rows_by_team[line.team_id].append(row)
        teams = [
            {
                "name": team.name or self.env._("No team"),
                "lines": rows,
                "totals": self._totals(rows),
            }
            for team, rows in sorted(
                rows_by_team.items(), key=lambda item: (item[0].name or "~", item[0].id)
            )
        ]
        used = {code for by_code in attainments.values() for code in by_code}
        return {
            "title": sheet.name,
            "money": {
                "decimals": currency.decimal_places,
                "symbol": currency.symbol,
                "position": currency.position,
            },
            "metrics": [(code, label) for code, label in BONUS_METRICS if code in used],
            "teams": teams,
            "totals": self._totals([row for team in teams for row in team["lines"]]),
            "instants": self._instant_rows(sheet),
        }

    @api.model
    def _attainments(self, lines):
        """{line id: {metric code: attainment}}"""
        metrics = lines.env["sales.bonus.line.metric"].search_fetch(
            [("line_id", "in", lines.ids)], ["line_id", "metric_code", "attainment"], order="id"
        )
        attainments = defaultdict(dict)
        for line_id, code, value in zip(
            (metric.line_id.id for metric in metrics),
            metrics.mapped("metric_code"),
            metrics.mapped("attainment"),
            strict=True,
        ):
            attainments[line_id][code] = value
        return attainments

    @api.model
    def _person_rows(self, lines, attainments):
        """One dict per line, in the lines' order."""
        roles = dict(lines._fields["sales_role"]._description_selection(lines.env))
        clawback = self.env._("Clawback")
        columns = {key: lines.mapped(name) for key, name in LINE_FIELDS.items()}
        per_pay_line = {
            key: lines.mapped(key) for key in ("target_pay", "discipline_score", "bonus_payout")
        }
        rows = []
        for index, (line, line_type, role, note) in enumerate(
            zip(
                lines,
                lines.mapped("line_type"),
                lines.mapped("sales_role"),
                lines.mapped("note"),
                strict=True,
            )
        ):
            row = {key: values[index] for key, values in columns.items()}
            is_pay = line_type == "pay"
            row.update(
                {key: values[index] if is_pay else None for key, values in per_pay_line.items()}
            )
            row.update(
                employee=line.employee_id.name,
                role=roles.get(role, "") if is_pay else clawback,
                note=note or "",
                attainments=attainments.get(line.id, {}),
            )
            rows.append(row)
        return rows

    @api.model
    def _instant_rows(self, sheet):
        instants = sheet.env["sales.bonus.instant"].search_fetch(
            [
                ("company_id", "=", sheet.company_id.id),
                ("date", ">=", sheet.date_from),
                ("date", "<=", sheet.date_to),
            ],
            ["date", "employee_id", "amount", "reason", "granted_by_id"],
            order="date, id",
        )
        return [
            {
                "date": fields.Date.to_string(bonus.date),
                "employee": bonus.employee_id.name,
                "amount": bonus.amount,
                "reason": bonus.reason,
                "granted_by": bonus.granted_by_id.name,
            }
            for bonus in instants
        ]

    @api.model
    def _totals(self, rows):
        return {
            key: float(sum((Decimal(str(row[key])) for row in rows), Decimal(0))) for key in SUMMED
        }
