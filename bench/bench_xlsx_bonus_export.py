"""XLSX export of a bonus sheet: 1,000 lines against xlsxwriter writing the same
cells from a plain list, and memory that stays flat as the lines grow.

The subject is the whole export (reading the sheet batch by batch, laying it
out). The baseline writes the very same cells (every sheet of the export, the
team sheets, summary and instant bonuses, cell by cell as the export wrote
them, read back from its file) from plain lists, in constant-memory mode, with
one format per kind. The memory figure is the peak of the whole export of a
sheet with ten times the lines (the same people cloned ten times in SQL): in
constant-memory mode, reading in batches, the peak should barely move.
"""

import io

import openpyxl
import xlsxwriter

from odoo import fields
from odoo.tools import SQL

from .generate import bulk

CALENDAR = True  # the month, the day: also run with the clock set (make bench-calendar)
TARGET = 2.0
MEMORY_TARGET = 1.5
LINES = 1000
TENFOLD = 10


def run(bench):
    sheet = _confirmed_sheet(bench.env)
    Export = bench.env["sales.bonus.sheet.xlsx"]
    sheets = _plain_sheets(Export._workbook_bytes(sheet))
    cells = sum(len(row) for _name, rows in sheets for row in rows)
    bench.note(f"{len(sheet.line_ids):,} lines, {len(sheets)} sheets, {cells:,} cells")

    def baseline():
        stream = io.BytesIO()
        workbook = xlsxwriter.Workbook(
            stream,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        text = workbook.add_format({})
        number = workbook.add_format({"num_format": "#,##0.00"})
        for name, rows in sheets:
            worksheet = workbook.add_worksheet(name)
            for row_index, row in enumerate(rows):
                for col, value in enumerate(row):
                    if isinstance(value, str):
                        worksheet.write_string(row_index, col, value, text)
                    elif value is not None:
                        worksheet.write_number(row_index, col, value, number)
        workbook.close()
        return stream.getvalue()

    bench.note(f"{bench.queries(lambda: Export._workbook_bytes(sheet))} queries per export")
    ratio = bench.compare(lambda: Export._workbook_bytes(sheet), baseline, repeat=5)
    bench.report("xlsx_bonus_export", ratio, TARGET)

    large = _tenfold_sheet(bench.env, sheet)
    small_peak = bench.memory(lambda: Export._workbook_bytes(sheet))
    large_peak = bench.memory(lambda: Export._workbook_bytes(large))
    bench.note(
        f"peak {small_peak / 1e6:.2f} MB for {len(sheet.line_ids):,} lines, "
        f"{large_peak / 1e6:.2f} MB for {len(large.line_ids):,}"
    )
    bench.report("xlsx_bonus_export_memory_10x", large_peak / small_peak, MEMORY_TARGET)


def _plain_sheets(content):
    """[(sheet name, rows of cell values)]: what the export wrote, as plain lists."""
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [
        (worksheet.title, [list(row) for row in worksheet.iter_rows(values_only=True)])
        for worksheet in workbook.worksheets
    ]


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


def _tenfold_sheet(env, sheet):
    """A confirmed sheet of the next month holding every line (and its metrics)
    of ``sheet`` TENFOLD times, each copy for a clone of the line's employee."""
    env.flush_all()
    large = env["sales.bonus.sheet"].create(
        {"company_id": sheet.company_id.id, "date_from": fields.Date.add(sheet.date_from, months=1)}
    )
    cr = env.cr
    copies = SQL(
        """(SELECT l.id AS line_id, l.employee_id, k,
                   (row_number() OVER (ORDER BY l.id, k) - 1)::int AS n
              FROM sales_bonus_line l, generate_series(1, %s) k
             WHERE l.sheet_id = %s) c""",
        TENFOLD,
        sheet.id,
    )
    count = len(sheet.line_ids) * TENFOLD
    first_employee = bulk.reserve_ids(cr, "hr_employee", count)
    bulk.clone(
        cr,
        "hr_employee",
        SQL("c.employee_id"),
        copies,
        {
            "id": SQL("%s + c.n", first_employee),
            "name": SQL("tmpl.name || ' ' || c.k"),
            "user_id": None,
            "active": False,  # clones: nobody's pay outside this bench
        },
    )
    first_line = bulk.reserve_ids(cr, "sales_bonus_line", count)
    bulk.clone(
        cr,
        "sales_bonus_line",
        SQL("c.line_id"),
        copies,
        {
            "id": SQL("%s + c.n", first_line),
            "sheet_id": large.id,
            "employee_id": SQL("%s + c.n", first_employee),
            "date_from": large.date_from,
            "state": "confirmed",
            "origin_line_id": None,
        },
    )
    metrics = SQL(
        """(SELECT m.id AS metric_id, %s + c.n AS line_id,
                   (row_number() OVER (ORDER BY c.n, m.id) - 1)::int AS n
              FROM sales_bonus_line_metric m JOIN %s ON c.line_id = m.line_id) mc""",
        first_line,
        copies,
    )
    cr.execute(SQL("SELECT count(*) FROM %s", metrics))
    first_metric = bulk.reserve_ids(cr, "sales_bonus_line_metric", cr.fetchone()[0])
    bulk.clone(
        cr,
        "sales_bonus_line_metric",
        SQL("mc.metric_id"),
        metrics,
        {"id": SQL("%s + mc.n", first_metric), "line_id": SQL("mc.line_id")},
    )
    cr.execute(SQL("UPDATE sales_bonus_sheet SET state = 'confirmed' WHERE id = %s", large.id))
    env.invalidate_all()
    return large


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
