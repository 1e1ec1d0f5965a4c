"""The sales roles and teams on the generated department, when the addon has them.

The bulk copies carry the template rows' stored computed values, so the
fields the hand-off reads are filled here from the department's story:
teams with universals stay universal, the others are role-split; each
membership and employee knows its role and team (the leads' hunter and
closer come with the leads step).
"""

from odoo.tools import SQL

from . import bulk, step


@step(
    "organisation",
    applies=lambda gen: "sales_structure" in bulk.columns(gen.cr, "crm_team"),
)
def organisation(gen):
    cr = gen.cr
    cr.execute(
        SQL(
            """UPDATE crm_team t
                  SET sales_structure = s.structure
                 FROM (SELECT team_id,
                              CASE WHEN bool_or(role = 'universal') THEN 'universal'
                                   ELSE 'split' END AS structure
                         FROM bench_person WHERE team_id IS NOT NULL GROUP BY team_id) s
                WHERE s.team_id = t.id"""
        )
    )
    cr.execute(
        SQL(
            """UPDATE crm_team_member m SET sales_role = p.role
                 FROM bench_person p
                WHERE p.user_id = m.user_id AND p.team_id = m.crm_team_id"""
        )
    )
    cr.execute(
        SQL(
            """UPDATE hr_employee e SET sales_team_id = p.team_id
                 FROM bench_person p WHERE p.user_id = e.user_id"""
        )
    )
    gen.env.invalidate_all()
