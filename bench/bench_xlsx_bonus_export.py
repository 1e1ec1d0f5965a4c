"""XLSX export of a bonus sheet: 1,000 lines against xlsxwriter writing the same
cells from a plain list, and memory that stays flat as the lines grow.

The subject is the whole export (reading the sheet in batches, laying it out);
the baseline writes the very same rows, already in a list, with one format per
kind. The memory figure writes ten times the lines: in constant-memory mode the
peak should barely move.
"""

import io

import xlsxwriter

from odoo.addons.sales_dept_org.report.bonus_sheet_workbook import (
    person_columns,
    write_workbook,
)

TARGET = 2.0
MEMORY_TARGET = 1.5
LINES = 1000


def run(bench):
    sheet = _confirmed_sheet(bench.env)
    Export = bench.env["sales.bonus.sheet.xlsx"]
    data = Export._workbook_data(sheet)
    rows = _plain_rows(data)
    bench.note(f"{len(sheet.line_ids):,} lines in {len(data['teams'])} team sheets")

    def baseline():
        stream = io.BytesIO()
        workbook = xlsxwriter.Workbook(
            stream,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        money = workbook.add_format({"num_format": "#,##0.00"})
        worksheet = workbook.add_worksheet("Plain")
        for row_index, row in enumerate(rows):
            for col, value in enumerate(row):
                if isinstance(value, str):
                    worksheet.write_string(row_index, col, value)
                elif value is not None:
                    worksheet.write_number(row_index, col, value, money)
        workbook.close()
        return stream.getvalue()

    bench.note(f"{bench.queries(lambda: Export._workbook_bytes(sheet))} queries per export")
    ratio = bench.compare(lambda: Export._workbook_bytes(sheet), baseline, repeat=5)
    bench.report("xlsx_bonus_export", ratio, TARGET)

    tenfold = dict(data, teams=[dict(team, lines=team["lines"] * 10) for team in data["teams"]])
    small = bench.memory(lambda: write_workbook(io.BytesIO(), data))
    large = bench.memory(lambda: write_workbook(io.BytesIO(), tenfold))
    bench.note(f"peak {small / 1e6:.2f} MB for {len(rows):,} rows, {large / 1e6:.2f} MB for 10x")
    bench.report("xlsx_bonus_export_memory_10x", large / small, MEMORY_TARGET)


def _confirmed_sheet(env):
    """A confirmed sheet of LINES people: the biggest company, topped up with
    employees (the runner rolls everything back)."""
    company = people_company(env, LINES)
    Sheet = env["sales.bonus.sheet"]
    month = Sheet._fields["date_from"].default(Sheet)
    sheet = Sheet._get_or_create_month(company, month)
    if sheet.state not in ("confirmed", "exported"):
        sheet._compute_sheet()
        sheet.action_confirm()
    return sheet


def _plain_rows(data):
    """The cells of every person table as a list of lists (what the baseline writes)."""
    columns = person_columns(data["metrics"])
    rows = []
    for team in data["teams"]:
        for line in team["lines"]:
            cells = [
                line["attainments"].get(key[1]) if isinstance(key, tuple) else line.get(key)
                for key, _header, _kind in columns
            ]
            rows.append([None if cell in ("", False) else cell for cell in cells])
    return rows


def people_company(env, count):
    """The company with most salespeople, topped up to ``count`` of them."""
    (company, people), *_rest = env["hr.employee"]._read_group(
        [("sales_role", "!=", False)], ["company_id"], ["__count"], order="__count desc"
    )
    if people < count:
        users = env["res.users"].create(
            [
                {
                    "name": f"Bench closer {index}",
                    "login": f"bench_closer_{index}",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                }
                for index in range(count - people)
            ]
        )
        env["hr.employee"].create(
            [
                {
                    "name": user.name,
                    "user_id": user.id,
                    "sales_role": "closer",
                    "company_id": company.id,
                }
                for user in users
            ]
        )
    return company
