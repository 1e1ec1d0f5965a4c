"""Won stages still on the shipped "Won needs Customer" rule create the
customer instead of refusing the win.

Up to 18.0.1.0.5 the install set "Customer" as the only field required to
enter crm's Won stage, so a deal without a customer could not be won (Odoo's
own CRM tours among others). From 18.0.1.0.6 the won stage creates the
missing customer, as Odoo's conversion to an opportunity does. crm's Won
stage, when still won and requiring exactly the shipped field, moves through
the ORM (the change is tracked in its chatter); a stage an administrator
changed is left as it is.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    won = env.ref("crm.stage_lead4", raise_if_not_found=False)
    if won and won.is_won and won.sales_required_field_ids.mapped("name") == ["partner_id"]:
        won.write({"sales_create_customer": True, "sales_required_field_ids": [(5, 0, 0)]})
