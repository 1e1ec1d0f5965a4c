"""The shipped stage rules, scripts and checklists, in every active language.

The scripts and checklists are code terms (``_lt``): ``make pot`` exports
them and ``pl.po`` translates them. They are written in English and then
given the translation of each active language, term by term, so a text a
person has edited keeps their words (a term they changed matches nothing)."""

from markupsafe import Markup

from odoo import api, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The article's pipeline: new → qualified (meeting set) → proposal →
# negotiation → won. Keys are crm's stage xml ids (and ours for negotiation).
DEFAULT_STAGE_RULES = {
    "crm.stage_lead1": {
        "responsible_role": "hunter",
        "sales_allow_skip": False,
        "sales_max_days": 2,
        "script": _lt(
            "Call the lead within the hour. Ask about the need, the budget, "
            "who decides and by when. Goal: book a meeting."
        ),
        "checklist": [_lt("Need confirmed"), _lt("Decision maker known"), _lt("Meeting booked")],
    },
    "crm.stage_lead2": {
        "responsible_role": "hunter",
        # reaching it counts as a lead qualified for the hunter
        "sales_qualifying": True,
        "required": ["phone"],
        "done": ["mail.mail_activity_data_meeting"],
        "sales_allow_skip": False,
        "sales_max_days": 7,
        "script": _lt(
            "Hold the meeting: show the offer that fits the need, agree the "
            "scope of the proposal and the date to present it."
        ),
        "checklist": [_lt("Meeting held"), _lt("Scope agreed"), _lt("Proposal date set")],
    },
    "crm.stage_lead3": {
        "responsible_role": "closer",
        "required": ["partner_id", "expected_revenue"],
        "sales_allow_skip": False,
        "sales_max_days": 10,
        "script": _lt(
            "Send the proposal the same day and call the next day to walk "
            "through it. Find the objections early."
        ),
        "checklist": [_lt("Proposal sent"), _lt("Proposal discussed"), _lt("Objections listed")],
    },
    "sales_dept_org.crm_stage_negotiation": {
        "responsible_role": "closer",
        "required": ["date_deadline"],
        "sales_allow_skip": False,
        "sales_max_days": 14,
        "script": _lt("Answer the objections, agree price and terms, set the closing date."),
        "checklist": [_lt("Terms agreed"), _lt("Closing date set")],
    },
    "crm.stage_lead4": {
        "responsible_role": "farmer",
        # the farmer takes the customer: a lead won without one gets it
        "sales_create_customer": True,
        "script": _lt(
            "Thank the customer, hand them to their farmer, plan the first delivery call."
        ),
        "checklist": [_lt("Order confirmed"), _lt("Farmer introduced")],
    },
}


class CrmStage(models.Model):
    _inherit = "crm.stage"

    @api.model
    def _sales_default_stages(self):
        """{xml id: stage} of the shipped pipeline's stages that exist."""
        stages = {
            xmlid: self.env.ref(xmlid, raise_if_not_found=False) for xmlid in DEFAULT_STAGE_RULES
        }
        return {xmlid: stage for xmlid, stage in stages.items() if stage}

    @api.model
    def _sales_apply_default_rules(self):
        """The shipped rules, script and checklist on the standard stages (all
        editable afterwards), their texts in every active language."""
        lead_fields = self.env["ir.model.fields"].search([("model", "=", "crm.lead")])
        field_by_name = {field.name: field for field in lead_fields}
        en = self.env(context=dict(self.env.context, lang="en_US"))
        stages = self._sales_default_stages()
        for xmlid, stage in stages.items():
            rules = DEFAULT_STAGE_RULES[xmlid]
            values = {
                key: value
                for key, value in rules.items()
                if key.startswith("sales_") or key == "responsible_role"
            }
            values["sales_required_field_ids"] = [
                (6, 0, [field_by_name[name].id for name in rules.get("required", [])])
            ]
            values["sales_required_activity_type_ids"] = [
                (6, 0, [self.env.ref(ref).id for ref in rules.get("done", [])])
            ]
            script = rules["script"]
            values["sales_script"] = Markup("<p>%s</p>") % en._(script)
            values["sales_checklist"] = Markup("<ul>%s</ul>") % Markup("").join(
                Markup("<li>%s</li>") % en._(item) for item in rules["checklist"]
            )
            stage.with_env(en).write(values)
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        self._sales_translate_default_texts(langs)
        return self.browse([stage.id for stage in stages.values()])

    @api.model
    def _sales_translate_default_texts(self, langs):
        """Gives the shipped scripts and checklists their translation in
        ``langs``, term by term: a text a person rewrote keeps their words."""
        en = self.env(context=dict(self.env.context, lang="en_US"))
        for xmlid, stage in self._sales_default_stages().items():
            rules = DEFAULT_STAGE_RULES[xmlid]
            for field_name, terms in (
                ("sales_script", [rules["script"]]),
                ("sales_checklist", rules["checklist"]),
            ):
                translations = {
                    lang: {en._(term): self.env(context={"lang": lang})._(term) for term in terms}
                    for lang in langs
                }
                stage.sudo().update_field_translations(field_name, translations)
