import io

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .bonus_sheet_workbook import write_day_workbook
from .sales_bonus_sheet_xlsx import INSTANT_READ, instant_rows, money_of

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SalesBonusInstantXlsx(models.AbstractModel):
    """The accountant's daily file: the instant bonuses a company approved on
    a day (those already paid too, marked so), to pay them the same day."""

    _name = "sales.bonus.instant.xlsx"
    _description = "Instant Bonuses of the Day XLSX Export"

    @api.model
    def _export_day_action(self, company, day):
        user = self.env.user
        if not (
            user.has_group("sales_dept_org.group_sales_dept_accountant")
            or user.has_group("sales_dept_org.group_sales_dept_director")
        ):
            raise AccessError(
                self.env._(
                    "Only the bonus accountant and the sales director export the instant "
                    "bonuses of a day."
                )
            )
        # the file belongs to its reader only: no record holds it, so only its
        # creator (and an administrator) may open it
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self._day_file_name(company, day),
                    "raw": self._day_workbook_bytes(company, day),
                    "mimetype": XLSX_MIMETYPE,
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    @api.model
    def _day_bonuses(self, company, day):
        """The bonuses of ``company`` approved on ``day``, as the user may read them."""
        return self.env["sales.bonus.instant"].search_fetch(
            [
                ("company_id", "=", company.id),
                ("approved_date", "=", day),
                ("state", "in", ("approved", "paid")),
            ],
            INSTANT_READ,
            order="employee_id, date, id",
        )

    @api.model
    def _day_title(self, company, day):
        return self.env._(
            "Instant bonuses approved on %(day)s, %(company)s",
            day=fields.Date.to_string(day),
            company=company.name,
        )

    @api.model
    def _day_file_name(self, company, day):
        return f"{self._day_title(company, day).rstrip('.')}.xlsx"

    @api.model
    def _day_workbook_bytes(self, company, day):
        stream = io.BytesIO()
        write_day_workbook(
            stream,
            {
                "title": self._day_title(company, day),
                "money": money_of(company.currency_id),
                "bonuses": instant_rows(self._day_bonuses(company, day)),
                "labels": self.env["sales.bonus.sheet.xlsx"]._workbook_labels(),
            },
        )
        return stream.getvalue()
