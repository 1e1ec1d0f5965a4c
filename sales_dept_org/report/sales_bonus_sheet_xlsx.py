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
        """Everything the workbook shows, from three batched reads."""
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
        metrics = sheet.env["sales.bonus.line.metric"].search_fetch(
            [("line_id", "in", lines.ids)], ["line_id", "metric_code", "attainment"]
        )
        attainments = defaultdict(dict)
        for metric in metrics:
            attainments[metric.line_id.id][metric.metric_code] = metric.attainment
        used = {metric.metric_code for metric in metrics}
        roles = dict(
            sheet.env["sales.bonus.line"]._fields["sales_role"]._description_selection(sheet.env)
        )
        by_team = defaultdict(list)
        for line in lines:
            by_team[line.team_id].append(self._person_row(line, roles, attainments[line.id]))
        teams = [
            {
                "name": team.name or self.env._("No team"),
                "lines": rows,
                "totals": self._totals(rows),
            }
            for team, rows in sorted(
                by_team.items(), key=lambda item: (item[0].name or "~", item[0].id)
            )
        ]
        instants = sheet.env["sales.bonus.instant"].search_fetch(
            [
                ("company_id", "=", sheet.company_id.id),
                ("date", ">=", sheet.date_from),
                ("date", "<=", sheet.date_to),
            ],
            ["date", "employee_id", "amount", "reason", "granted_by_id"],
            order="date, id",
        )
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
            "instants": [
                {
                    "date": fields.Date.to_string(bonus.date),
                    "employee": bonus.employee_id.name,
                    "amount": bonus.amount,
                    "reason": bonus.reason,
                    "granted_by": bonus.granted_by_id.name,
                }
                for bonus in instants
            ],
        }

    @api.model
    def _person_row(self, line, roles, attainments):
        row = {key: line[field] for key, field in LINE_FIELDS.items()}
        return dict(
            row,
            employee=line.employee_id.name,
            role=self.env._("Clawback")
            if line.line_type == "clawback"
            else roles.get(line.sales_role, ""),
            target_pay=line.target_pay if line.line_type == "pay" else None,
            discipline_score=line.discipline_score if line.line_type == "pay" else None,
            bonus_payout=line.bonus_payout if line.line_type == "pay" else None,
            note=line.note or "",
            attainments=attainments,
        )

    @api.model
    def _totals(self, rows):
        return {
            key: float(sum((Decimal(str(row[key])) for row in rows), Decimal(0))) for key in SUMMED
        }
