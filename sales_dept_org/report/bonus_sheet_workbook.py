"""Writes a bonus sheet, already gathered into plain Python data, as an XLSX workbook.

No odoo here: the model gathers the data in a few batched reads, this module
only lays it out. The workbook is written row by row in xlsxwriter's
constant-memory mode (memory stays flat however many lines), every cell
format is created once, and user text (names, reasons, notes) is always
written as text: never a formula or a link, even when it starts with ``=``.

``data`` is a dict:
    title, money (decimals, symbol, position), metrics ([(code, label)]),
    teams: [{"name", "lines": [row dict], "totals": row dict}],
    totals: row dict, instants: [{"date", "employee", "amount", "reason", "granted_by"}]
A row dict has the keys of PERSON_COLUMNS plus "attainments" {code: percent}.
"""

import xlsxwriter

# key, header, kind (text | money | percent)
PERSON_COLUMNS = [
    ("employee", "Employee", "text"),
    ("role", "Role", "text"),
    ("target_pay", "Target pay", "money"),
    ("fixed", "Fixed", "money"),
    ("discipline_score", "Discipline score (%)", "percent"),
    ("soft", "Soft", "money"),
    ("bonus_payout", "Bonus payout (%)", "percent"),
    ("bonus", "Bonus", "money"),
    ("instant", "Instant bonuses", "money"),
    ("clawback", "Clawback", "money"),
    ("total", "Total", "money"),
    ("note", "Note", "text"),
]
SUMMARY_COLUMNS = [
    ("team", "Team", "text"),
    ("people", "People", "count"),
    ("fixed", "Fixed", "money"),
    ("soft", "Soft", "money"),
    ("bonus", "Bonus", "money"),
    ("instant", "Instant bonuses", "money"),
    ("clawback", "Clawback", "money"),
    ("total", "Total", "money"),
]
INSTANT_COLUMNS = [
    ("date", "Date", "text"),
    ("employee", "Employee", "text"),
    ("amount", "Amount", "money"),
    ("reason", "Reason", "text"),
    ("granted_by", "Granted by", "text"),
]
FORBIDDEN_IN_SHEET_NAMES = str.maketrans({char: " " for char in "[]:*?/\\"})


def money_format(decimals, symbol, position):
    """Excel number format of a currency: its decimals, its symbol before or after."""
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    quoted = '"{}"'.format(symbol.replace('"', ""))
    return f"{number} {quoted}" if position == "after" else f"{quoted} {number}"


def sheet_names(team_names):
    """Excel sheet names: at most 31 characters, no []:*?/\\, unique, not "Summary"."""
    used, names = {"summary", "instant bonuses"}, []
    for name in team_names:
        base = (name.translate(FORBIDDEN_IN_SHEET_NAMES).strip() or "Team")[:31]
        candidate, counter = base, 2
        while candidate.lower() in used:
            suffix = f" ({counter})"
            candidate, counter = base[: 31 - len(suffix)] + suffix, counter + 1
        used.add(candidate.lower())
        names.append(candidate)
    return names


def person_columns(metrics):
    """The person columns with one attainment column per metric after the payout."""
    columns = []
    for key, header, kind in PERSON_COLUMNS:
        columns.append((key, header, kind))
        if key == "bonus_payout":
            columns += [
                (("attainment", code), f"{label} (%)", "percent") for code, label in metrics
            ]
    return columns


def write_workbook(stream, data):
    workbook = xlsxwriter.Workbook(
        stream,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": False,
        },
    )
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "header": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True}),
        "text": workbook.add_format({}),
        "money": workbook.add_format({"num_format": money_format(**data["money"])}),
        "percent": workbook.add_format({"num_format": "0.00"}),
        "count": workbook.add_format({"num_format": "0"}),
        "total_text": workbook.add_format({"bold": True, "top": 1}),
        "total_money": workbook.add_format(
            {"bold": True, "top": 1, "num_format": money_format(**data["money"])}
        ),
    }
    names = sheet_names([team["name"] for team in data["teams"]])
    _write_table(
        workbook.add_worksheet("Summary"),
        formats,
        data["title"],
        SUMMARY_COLUMNS,
        [
            dict(team["totals"], team=team["name"], people=len(team["lines"]))
            for team in data["teams"]
        ],
        dict(
            data["totals"], team="Total", people=sum(len(team["lines"]) for team in data["teams"])
        ),
    )
    columns = person_columns(data["metrics"])
    for name, team in zip(names, data["teams"], strict=True):
        _write_table(
            workbook.add_worksheet(name),
            formats,
            f"{data['title']}: {team['name']}",
            columns,
            team["lines"],
            dict(team["totals"], employee="Total"),
        )
    _write_table(
        workbook.add_worksheet("Instant bonuses"),
        formats,
        data["title"],
        INSTANT_COLUMNS,
        data["instants"],
        None,
    )
    workbook.close()


def _write_table(worksheet, formats, title, columns, rows, totals):
    """Title, header, one row per dict, then the totals row (rows in order: constant memory)."""
    worksheet.write_string(0, 0, title, formats["title"])
    for col, (_key, header, _kind) in enumerate(columns):
        worksheet.write_string(2, col, header, formats["header"])
        worksheet.set_column(col, col, 14 if col else 28)
    row_index = 3
    for row in rows:
        _write_row(worksheet, formats, row_index, columns, row, total=False)
        row_index += 1
    if totals is not None:
        _write_row(worksheet, formats, row_index, columns, totals, total=True)
    worksheet.freeze_panes(3, 1)


def _write_row(worksheet, formats, row_index, columns, row, total):
    text_format = formats["total_text"] if total else formats["text"]
    money = formats["total_money"] if total else formats["money"]
    for col, (key, _header, kind) in enumerate(columns):
        value = row.get("attainments", {}).get(key[1]) if isinstance(key, tuple) else row.get(key)
        if value is None or value is False or value == "":
            if total:
                worksheet.write_blank(row_index, col, None, text_format)
            continue
        if kind == "text":
            worksheet.write_string(row_index, col, str(value), text_format)
        elif kind == "money":
            worksheet.write_number(row_index, col, value, money)
        else:
            worksheet.write_number(row_index, col, value, formats[kind])
