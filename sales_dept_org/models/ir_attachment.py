from odoo import api, models
from odoo.exceptions import AccessError

PAY_FILE_MODEL = "sales.bonus.sheet"


class IrAttachment(models.Model):
    """A bonus sheet's files (its XLSX export) hold every pay line of the
    month: they are read, listed, attached and removed only by who reads
    every line of that sheet, whatever their right on the sheet itself."""

    _inherit = "ir.attachment"

    @api.model
    def _sales_pay_file_sheets(self):
        """The query of the sheets the user reads in full: the sheets they
        read, none of whose lines their rules hide (none without the rights)."""
        Sheet = self.env[PAY_FILE_MODEL]
        Line = self.env["sales.bonus.line"]
        if not (Sheet.has_access("read") and Line.has_access("read")):
            return []
        return Sheet.sudo()._search(
            [
                ("id", "in", Sheet._search([])),
                ("line_ids", "not any", [("id", "not in", Line._search([]))]),
            ]
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            domain = [
                "|",
                ("res_model", "!=", PAY_FILE_MODEL),
                ("res_id", "in", self._sales_pay_file_sheets()),
                *domain,
            ]
        return super()._search(domain, offset, limit, order)

    def check(self, mode, values=None):
        result = super().check(mode, values)
        if self.env.is_superuser():
            return result
        sheet_ids = {
            attachment.res_id
            for attachment in self.sudo()
            if attachment.res_model == PAY_FILE_MODEL and attachment.res_id
        }
        if values and values.get("res_model") == PAY_FILE_MODEL and values.get("res_id"):
            sheet_ids.add(values["res_id"])
        if sheet_ids:
            readable = (
                self.env[PAY_FILE_MODEL]
                .sudo()
                .search(
                    [("id", "in", list(sheet_ids)), ("id", "in", self._sales_pay_file_sheets())]
                )
            )
            if len(readable) < len(sheet_ids):
                raise AccessError(
                    self.env._(
                        "A bonus sheet's files hold the pay of everyone in it: only who "
                        "reads every line of the sheet reads or changes them."
                    )
                )
        return result
