from odoo import api, fields, models, tools
from odoo.tools import SQL

CUSTOMER_TYPES = [("new", "New customer"), ("existing", "Existing customer")]


class SalesFunnelReport(models.Model):
    """The funnel read from the stage log: one row per lead and stage it reached.

    A lead reached every stage up to its furthest one (the highest stage in
    its log, or its current stage), skipped stages included, as in
    ``engine/funnel.py``: a conversion never exceeds 100%. It passed a stage
    when its furthest stage is later, was lost there when it is lost (archived,
    not won) with this stage as its furthest. Summed over any cut, reached,
    passed, lost and won give the funnel; the two conversions are averages of
    0/100 per row, so any grouping shows passed / reached and won / reached.

    The period is the lead's creation (a cohort: the leads of March and how
    far they got). Cuts: new or existing customer (a posted invoice or a
    confirmed order of the customer before the lead was created), product
    category (of the largest line of the lead's quotations; empty: not set),
    channel (UTM source and medium), target group (tags, industry), manager,
    team and region (state and country of the lead, else of the customer).
    """

    _name = "sales.funnel.report"
    _description = "Sales Funnel"
    _auto = False
    _order = "stage_sequence, stage_id"
    _rec_name = "lead_id"
    _inherit = ["sales.report.unit.mixin"]
    # a lead is counted once per stage it reached: summed over stages, these
    # count it again and again (lost there counts it once: it adds up)
    _unit_field = "stage_id"
    _unit_measures = ("reached", "passed", "won", "conversion_next", "conversion_won")
    # what the view reads: flushed before any query on it
    _depends = {
        "crm.lead": [
            "active", "stage_id", "create_date", "company_id", "team_id", "user_id",
            "partner_id", "source_id", "medium_id", "state_id", "country_id",
        ],
        "crm.stage": ["sequence", "is_won", "team_id"],
        "sales.lead.stage.log": ["lead_id", "stage_id", "date_in"],
        "res.partner": ["industry_id", "state_id", "country_id", "commercial_partner_id"],
        "account.move": ["commercial_partner_id", "move_type", "state", "invoice_date"],
        "sale.order": ["partner_id", "state", "date_order", "opportunity_id"],
        "sale.order.line": ["order_id", "product_id", "price_subtotal"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
    }  # fmt: skip

    lead_id = fields.Many2one("crm.lead", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    stage_sequence = fields.Integer(readonly=True, aggregator=None)
    date = fields.Datetime("Lead created", readonly=True)
    date_in = fields.Datetime("Entered stage", readonly=True, aggregator=None)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", "Manager", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    customer_type = fields.Selection(CUSTOMER_TYPES, readonly=True)
    product_categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    tag_ids = fields.Many2many(related="lead_id.tag_ids", string="Tags")
    industry_id = fields.Many2one("res.partner.industry", readonly=True)
    state_id = fields.Many2one("res.country.state", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    reached = fields.Integer(readonly=True)
    passed = fields.Integer(readonly=True)
    lost_there = fields.Integer("Lost here", readonly=True)
    won = fields.Integer(readonly=True)
    conversion_next = fields.Float(
        "To next stage (%)", readonly=True, aggregator="avg", digits=(16, 1)
    )
    conversion_won = fields.Float("To won (%)", readonly=True, aggregator="avg", digits=(16, 1))

    @api.model
    def action_open_leads(self, domain, label):
        """The leads behind a figure of the funnel: those with a row of this
        report in ``domain`` (a bar's stage and cut, with the search), lost
        ones included, since they reached the stage too; ``label`` names
        the bar."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Leads reached: %s", label),
            "res_model": "crm.lead",
            "views": [(False, "list"), (False, "kanban"), (False, "form")],
            "domain": [("sales_funnel_ids", "any", domain)],
            "context": {"active_test": False, "create": False},
        }

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )

    def _query(self):
        return SQL(
            """
WITH furthest AS (
    SELECT DISTINCT ON (moves.lead_id) moves.lead_id, stage.id AS stage_id,
           stage.sequence, COALESCE(stage.is_won, FALSE) AS is_won
      FROM (SELECT lead_id, stage_id FROM sales_lead_stage_log
            UNION
            SELECT id, stage_id FROM crm_lead WHERE stage_id IS NOT NULL) AS moves
      JOIN crm_stage stage ON stage.id = moves.stage_id
  ORDER BY moves.lead_id, stage.sequence DESC, stage.id DESC
),
first_purchase AS (
    -- each customer's first invoice and first confirmed order, once per customer
    SELECT partner_id, MIN(invoice_date) AS invoice_date, MIN(order_date) AS order_date
      FROM (SELECT commercial_partner_id AS partner_id, invoice_date, NULL::timestamp AS order_date
              FROM account_move
             WHERE move_type = 'out_invoice' AND state = 'posted'
            UNION ALL
            SELECT buyer.commercial_partner_id, NULL, sale.date_order
              FROM sale_order sale
              JOIN res_partner buyer ON buyer.id = sale.partner_id
             WHERE sale.state = 'sale') AS purchases
  GROUP BY partner_id
),
lead_facts AS (
    SELECT lead.id AS lead_id, lead.create_date, lead.company_id, lead.team_id,
           lead.user_id, lead.partner_id, lead.source_id, lead.medium_id,
           partner.industry_id,
           COALESCE(lead.state_id, partner.state_id) AS state_id,
           COALESCE(lead.country_id, partner.country_id) AS country_id,
           furthest.stage_id AS furthest_id, furthest.sequence AS furthest_sequence,
           (lead.active AND furthest.is_won) AS is_won,
           (NOT lead.active AND NOT furthest.is_won) AS is_lost,
           CASE WHEN first_purchase.invoice_date < lead.create_date::date
                  OR first_purchase.order_date < lead.create_date
                THEN 'existing' ELSE 'new' END AS customer_type,
           (SELECT template.categ_id
              FROM sale_order quotation
              JOIN sale_order_line line ON line.order_id = quotation.id
              JOIN product_product product ON product.id = line.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
             WHERE quotation.opportunity_id = lead.id AND quotation.state != 'cancel'
          ORDER BY line.price_subtotal DESC, template.categ_id
             LIMIT 1) AS product_categ_id
      FROM crm_lead lead
      JOIN furthest ON furthest.lead_id = lead.id
 LEFT JOIN res_partner partner ON partner.id = lead.partner_id
 LEFT JOIN first_purchase ON first_purchase.partner_id = partner.commercial_partner_id
)
SELECT facts.lead_id::bigint * 100000 + stage.id AS id,
       facts.lead_id, stage.id AS stage_id, stage.sequence AS stage_sequence,
       facts.create_date AS date,
       (SELECT MIN(log.date_in) FROM sales_lead_stage_log log
         WHERE log.lead_id = facts.lead_id AND log.stage_id = stage.id) AS date_in,
       facts.company_id, facts.team_id, facts.user_id, facts.partner_id,
       facts.customer_type, facts.product_categ_id, facts.source_id, facts.medium_id,
       facts.industry_id, facts.state_id, facts.country_id,
       1 AS reached,
       passed.value AS passed,
       CASE WHEN facts.is_lost AND stage.id = facts.furthest_id THEN 1 ELSE 0 END AS lost_there,
       CASE WHEN facts.is_won THEN 1 ELSE 0 END AS won,
       100.0 * passed.value AS conversion_next,
       CASE WHEN facts.is_won THEN 100.0 ELSE 0.0 END AS conversion_won
  FROM lead_facts facts
  JOIN crm_stage stage
    ON (stage.team_id IS NULL OR stage.team_id = facts.team_id)
   AND (stage.sequence, stage.id) <= (facts.furthest_sequence, facts.furthest_id)
 CROSS JOIN LATERAL (
       SELECT CASE WHEN (stage.sequence, stage.id) < (facts.furthest_sequence, facts.furthest_id)
                   THEN 1 ELSE 0 END AS value) AS passed
"""
        )
