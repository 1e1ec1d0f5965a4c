import io
from collections import defaultdict
from itertools import islice

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import split_every

from ..models.sales_bonus_line import LOCKED_STATES
from .bonus_sheet_workbook import write_workbook

# lines read (and forgotten) at a time while the workbook is written
LINE_BATCH = 1000
LINE_FIELDS = {
    "fixed": "fixed_amount",
    "soft": "soft_amount",
    "bonus": "bonus_amount",
    "instant": "instant_amount",
    "clawback": "clawback_amount",
    "total": "total_amount",
    "instant_paid": "instant_paid_amount",
    "to_pay": "to_pay_amount",
}
LINE_READ = [
    "employee_id",
    "sales_role",
    "target_pay",
    "discipline_score",
    "bonus_payout",
    "note",
    "line_type",
    *LINE_FIELDS.values(),
]


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
                    # "Sp. z o.o." ends with a dot: no second one before the extension
                    "name": f"{sheets.name.rstrip('.')}.xlsx",
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
        # the file stays on the sheet, out of the messages everyone reading it sees
        sheets.sudo().message_post(body=self.env._("Exported to XLSX by %s.", self.env.user.name))
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
        """Everything the workbook shows. The lines come as generators reading
        LINE_BATCH lines at a time (a few queries per batch, whatever the
        number of people) and forgetting each batch once written."""
        return {
            "title": sheet.name,
            "money": money_of(sheet.currency_id),
            "metrics": self._used_metrics(sheet),
            "teams": self._team_tables(sheet),
            "instants": self._instant_rows(sheet),
            "labels": self._workbook_labels(),
        }

    @api.model
    def _workbook_labels(self):
        """The workbook's fixed texts (``bonus_sheet_workbook.LABELS``) in the
        reader's language, each written out for the translation extractor."""
        return {
            "Amount": self.env._("Amount"),
            "Approved by": self.env._("Approved by"),
            "Bonus": self.env._("Bonus"),
            "Bonus payout (%)": self.env._("Bonus payout (%)"),
            "Clawback": self.env._("Clawback"),
            "Date": self.env._("Date"),
            "Discipline score (%)": self.env._("Discipline score (%)"),
            "Employee": self.env._("Employee"),
            "Fixed": self.env._("Fixed"),
            "Granted by": self.env._("Granted by"),
            "Instant bonuses": self.env._("Instant bonuses"),
            "Note": self.env._("Note"),
            "Paid already": self.env._("Paid already"),
            "People": self.env._("People"),
            "Reason": self.env._("Reason"),
            "Role": self.env._("Role"),
            "Soft": self.env._("Soft"),
            "Status": self.env._("Status"),
            "Summary": self.env._("Summary"),
            "Target pay": self.env._("Target pay"),
            "Team": self.env._("Team"),
            "To pay": self.env._("To pay"),
            "Total": self.env._("Total"),
        }

    @api.model
    def _used_metrics(self, sheet):
        """[(metric id, name)] of the metrics the sheet's lines are measured on,
        in catalogue order."""
        metrics = sheet.env["sales.kpi.metric"].union(
            *(
                metric
                for [metric] in sheet.env["sales.bonus.line.metric"]._read_group(
                    [("line_id.sheet_id", "=", sheet.id)], ["metric_id"]
                )
            )
        )
        return [(metric.id, metric.name) for metric in metrics.sorted()]

    @api.model
    def _team_tables(self, sheet):
        """One {"name", "lines"} per team, teams by name (no team last), lines
        by employee. The lines of all teams are one stream read batch by batch
        as they are written: each team's lines are taken before the next team."""
        Line = sheet.env["sales.bonus.line"]
        lines = Line.search_fetch(
            [("sheet_id", "=", sheet.id)], ["team_id"], order="employee_id, line_type, id"
        )
        by_team = defaultdict(list)
        for line in lines:
            by_team[line.team_id].append(line.id)
        teams = sorted(by_team, key=lambda team: (team.name or "~", team.id))
        lines.invalidate_recordset()
        rows = self._line_rows(Line, (line_id for team in teams for line_id in by_team[team]))
        for team in teams:
            yield {
                "name": team.name or self.env._("No team"),
                "lines": islice(rows, len(by_team[team])),
            }

    @api.model
    def _line_rows(self, Line, line_ids):
        """The row of each line of ``line_ids`` in turn, LINE_BATCH lines per read."""
        for batch in split_every(LINE_BATCH, line_ids):
            lines = Line.browse(batch)
            lines.fetch(LINE_READ)
            lines.employee_id.fetch(["name"])
            yield from self._person_rows(lines, self._attainments(lines))
            # the batch is written: forget it, so memory does not grow with the lines
            lines.employee_id.invalidate_recordset(["name"])
            lines.invalidate_recordset()

    @api.model
    def _attainments(self, lines):
        """{line id: {metric id: attainment}}"""
        metrics = lines.env["sales.bonus.line.metric"].search_fetch(
            [("line_id", "in", lines.ids)], ["line_id", "metric_id", "attainment"], order="id"
        )
        attainments = defaultdict(dict)
        for line_id, metric_id, value in zip(
            (metric.line_id.id for metric in metrics),
            (metric.metric_id.id for metric in metrics),
            metrics.mapped("attainment"),
            strict=True,
        ):
            attainments[line_id][metric_id] = value
        metrics.invalidate_recordset()  # read once per batch: not kept in the cache
        return attainments

    @api.model
    def _person_rows(self, lines, attainments):
        """One dict per line, in the lines' order."""
        roles = dict(lines._fields["sales_role"]._description_selection(lines.env))
        # a clawback or a mentor line shows its kind where a pay line shows the role
        kinds = dict(lines._fields["line_type"]._description_selection(lines.env))
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
                role=roles.get(role, "") if is_pay else kinds[line_type],
                note=note or "",
                attainments=attainments.get(line.id, {}),
            )
            rows.append(row)
        return rows

    @api.model
    def _instant_rows(self, sheet):
        """The month's approved instant bonuses, each with its status (paid on its day or not)."""
        instants = sheet.env["sales.bonus.instant"].search_fetch(
            [
                ("company_id", "=", sheet.company_id.id),
                ("date", ">=", sheet.date_from),
                ("date", "<=", sheet.date_to),
                ("state", "in", ("approved", "paid")),
            ],
            INSTANT_READ,
            order="date, id",
        )
        return instant_rows(instants)


# what a row of an instant bonus shows, read once for all of them
INSTANT_READ = [
    "date",
    "employee_id",
    "team_id",
    "amount",
    "reason",
    "granted_by_id",
    "approved_by_id",
    "state",
]


def money_of(currency):
    """The workbook's money format of ``currency``."""
    return {
        "decimals": currency.decimal_places,
        "symbol": currency.symbol,
        "position": currency.position,
    }


def instant_rows(instants):
    """One row dict per instant bonus, in their order (names read in one go)."""
    states = dict(instants._fields["state"]._description_selection(instants.env))
    return [
        {
            "date": fields.Date.to_string(bonus.date),
            "employee": bonus.employee_id.name,
            "team": bonus.team_id.name or "",
            "amount": bonus.amount,
            "reason": bonus.reason,
            "granted_by": bonus.granted_by_id.name,
            "approved_by": bonus.approved_by_id.name or "",
            "state": states[bonus.state],
        }
        for bonus in instants
    ]
