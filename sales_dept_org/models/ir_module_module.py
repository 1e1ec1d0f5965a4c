from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """The texts the addon seeds from code (stage scripts and checklists,
        the default schemes' names) follow its translations: loaded with a
        language, they get it too."""
        result = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "sales_dept_org" in modules:
            langs = [lang for lang in langs if lang != "en_US"]
            self.env["crm.stage"]._sales_translate_default_texts(langs)
            schemes = (
                self.env["sales.bonus.scheme"]
                .with_context(active_test=False)
                .search([("employee_id", "=", False)])
            )
            schemes._sales_translate_default_names(langs)
        return result
