"""The metric "Payments received" reads the payment's date stored on the reconciliation
(``account.partial.reconcile.credit_date``) instead of following
``credit_move_id.date``: the same day, read without visiting every line of it.

The shipped metric is pointed at the new field before the data files are
loaded, so that the update finds its definition unchanged and keeps the
stored facts. A metric an administrator changed is left as it is.

The covering index 18.0.1.0.1 added to reach a day's reconciliations from
their credit lines served that path only: it is dropped, and the new date
has its own index.
"""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """UPDATE sales_kpi_metric metric SET date_field = 'credit_date'
                 FROM ir_model_data data
                WHERE data.module = 'sales_dept_org'
                  AND data.name = 'kpi_metric_payments_received'
                  AND data.res_id = metric.id
                  AND metric.date_field = 'credit_move_id.date'"""
        )
    )
    cr.execute(SQL("DROP INDEX IF EXISTS account_partial_reconcile_sales_kpi_credit_idx"))
