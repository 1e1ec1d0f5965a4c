"""Computing the month's bonus sheet for 1,000 salespeople.

Subject: recomputing a computed sheet (every input read in batches, the pay
maths in Python, each line checked against what is stored). Baseline: one
hand-written SQL query gathering the same inputs for everyone (people, role
schemes, teams, instant bonuses). The plans and facts per metric come from the
KPI issue's batch API once it is on main; until then neither side reads them,
so this ratio is the pay side's own overhead over bare SQL. Then the query
count for a quarter of the people against all of them: it must not grow.
"""

from odoo.tools import SQL

from .bench_xlsx_bonus_export import people_company

TARGET = 2.0
QUERIES_TARGET = 1.0
PEOPLE = 1000


def run(bench):
    env = bench.env
    company = people_company(env, PEOPLE)
    Sheet = env["sales.bonus.sheet"]
    month = Sheet._fields["date_from"].default(Sheet)
    sheet = Sheet._get_or_create_month(company, month)
    sheet._compute_sheet()
    bench.note(f"{len(sheet.line_ids):,} lines")

    def baseline():
        env.cr.execute(
            SQL(
                """SELECT e.id, e.sales_role, s.id, s.target_pay, s.fixed_share, s.soft_share,
                          m.crm_team_id, (SELECT sum(i.amount) FROM sales_bonus_instant i
                                           WHERE i.employee_id = e.id
                                             AND i.date BETWEEN %(start)s AND %(end)s)
                     FROM hr_employee e
                     LEFT JOIN sales_bonus_scheme s
                            ON s.company_id = e.company_id AND s.sales_role = e.sales_role
                           AND s.employee_id IS NULL AND s.active
                     LEFT JOIN crm_team_member m ON m.user_id = e.user_id AND m.active
                    WHERE e.company_id = %(company)s AND e.sales_role IS NOT NULL AND e.active
                    ORDER BY e.id""",
                start=sheet.date_from,
                end=sheet.date_to,
                company=company.id,
            )
        )
        return env.cr.fetchall()

    bench.report("bonus_sheet_compute", bench.compare(sheet._compute_sheet, baseline), TARGET)

    everyone, people = bench.queries(sheet._compute_sheet), len(sheet.line_ids)
    quarter = _archive_all_but_a_quarter(env, company)
    sheet._compute_sheet()  # drops the archived people's lines
    few = bench.queries(sheet._compute_sheet)
    bench.note(f"{few} queries for {quarter} people, {everyone} for {people:,}")
    bench.report("bonus_sheet_queries", everyone / few, QUERIES_TARGET)


def _archive_all_but_a_quarter(env, company):
    employees = env["hr.employee"].search(
        [("company_id", "=", company.id), ("sales_role", "!=", False)], order="id"
    )
    keep = len(employees) // 4
    employees[keep:].write({"active": False})
    return keep
