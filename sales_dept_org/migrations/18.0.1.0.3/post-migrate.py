"""Repairs what earlier versions stored wrong or late.

- Team members' sales roles: they were computed from the user's employees as
  the context saw them, so a membership stored outside the employee's company
  (data files, RPC, crons, the demo) kept no role. Every stored role is
  computed again.
- The hunter of a lead: without member roles, leads recorded no hunter. An
  empty hunter is taken from the stage log: the first owner logged as a
  hunter.
- Stuck leads: the flag waited for the nightly job. Leads past their stage's
  limit are flagged now, and their heads told.
- Homes: people of the department without a home get their role's (Odoo's
  administrators keep theirs).
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    if column_exists(cr, "crm_team_member", "sales_role"):
        _recompute_member_roles(env)
    if column_exists(cr, "crm_lead", "hunter_user_id"):
        _recover_hunters(env)
    if column_exists(cr, "crm_lead", "is_stuck"):
        _flag_stuck_leads(env)
    _set_homes(env)


def _recompute_member_roles(env):
    members = env["crm.team.member"].with_context(active_test=False).search([])
    before = {member.id: member.sales_role for member in members}
    env.add_to_compute(members._fields["sales_role"], members)
    members.flush_recordset(["sales_role"])
    changed = sum(1 for member in members if member.sales_role != before[member.id])
    _logger.info("sales_dept_org: %s of %s team member roles repaired", changed, len(members))


def _recover_hunters(env):
    env.flush_all()
    env.cr.execute(
        SQL(
            """UPDATE crm_lead lead SET hunter_user_id = first_hunter.user_id
                 FROM (SELECT DISTINCT ON (log.lead_id) log.lead_id, log.user_id
                         FROM sales_lead_stage_log log
                        WHERE log.sales_role = 'hunter' AND log.user_id IS NOT NULL
                     ORDER BY log.lead_id, log.date_in, log.id) AS first_hunter
                WHERE lead.id = first_hunter.lead_id AND lead.hunter_user_id IS NULL"""
        )
    )
    _logger.info("sales_dept_org: hunter recovered on %s leads from the stage log", env.cr.rowcount)
    env["crm.lead"].invalidate_model(["hunter_user_id"])


def _flag_stuck_leads(env):
    leads = env["crm.lead"]
    before = leads.search_count([("is_stuck", "=", True)])
    leads._sales_mark_stuck()
    _logger.info(
        "sales_dept_org: %s leads flagged stuck",
        leads.search_count([("is_stuck", "=", True)]) - before,
    )


def _set_homes(env):
    users = env["res.users"].search([("share", "=", False)])
    before = {user.id: user.action_id.id for user in users}
    users._sales_set_home()
    changed = sum(1 for user in users if user.action_id.id != before[user.id])
    _logger.info("sales_dept_org: %s people given their role's home", changed)
