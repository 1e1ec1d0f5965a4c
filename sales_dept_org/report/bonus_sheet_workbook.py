"""Writes a bonus sheet, already gathered into plain Python data, as an XLSX workbook.

No odoo here: the model reads the data in batches, this module
only lays it out. The workbook is written row by row in xlsxwriter's
constant-memory mode (memory stays flat however many lines), every cell
format is created once, and user text (names, reasons, notes) is always
written as text: never a formula or a link, even when it starts with ``=``.

``data`` is a dict:
    title, money (decimals, symbol, position), metrics ([(metric key, label)]),
    teams: iterable of {"name", "lines": iterable of row dicts},
    instants: iterable of {"date", "employee", "amount", "reason", "granted_by", "state"},
    labels: {English text of LABELS: the reader's} (headers, sheet names, totals)
A row dict has the keys of PERSON_COLUMNS plus "attainments" {metric key: percent}.
Iterables may be generators reading the lines batch by batch: nothing here
keeps a row once written, so memory stays flat as the lines grow.
"""

from decimal import Decimal

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
    ("instant_paid", "Paid already", "money"),
    ("to_pay", "To pay", "money"),
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
    ("instant_paid", "Paid already", "money"),
    ("to_pay", "To pay", "money"),
]
# the money columns summed per team and in total
SUMMED = ("fixed", "soft", "bonus", "instant", "clawback", "total", "instant_paid", "to_pay")
INSTANT_COLUMNS = [
    ("date", "Date", "text"),
    ("employee", "Employee", "text"),
    ("amount", "Amount", "money"),
    ("reason", "Reason", "text"),
    ("granted_by", "Granted by", "text"),
    ("state", "Status", "text"),
]
# the accountant's file of a day's approved instant bonuses
DAY_COLUMNS = [
    ("employee", "Employee", "text"),
    ("team", "Team", "text"),
    ("date", "Date", "text"),
    ("amount", "Amount", "money"),
    ("reason", "Reason", "text"),
    ("granted_by", "Granted by", "text"),
    ("approved_by", "Approved by", "text"),
    ("state", "Status", "text"),
]
FORBIDDEN_IN_SHEET_NAMES = str.maketrans({char: " " for char in "[]:*?/\\"})
# every fixed text the workbook shows, to be given in the reader's language
LABELS = sorted(
    {header for columns in (PERSON_COLUMNS, SUMMARY_COLUMNS, INSTANT_COLUMNS, DAY_COLUMNS)
     for _key, header, _kind in columns} | {"Summary", "Instant bonuses", "Total"}
)  # fmt: skip


def money_format(decimals, symbol, position):
    """Excel number format of a currency: its decimals, its symbol before or after."""
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    quoted = '"{}"'.format(symbol.replace('"', ""))
    return f"{number} {quoted}" if position == "after" else f"{quoted} {number}"


def unique_sheet_name(name, used):
    """An Excel sheet name for ``name``: at most 31 characters, no []:*?/\\, not
    in ``used`` (lower-cased names, "summary" and "instant bonuses" included),
    which it joins."""
    base = (name.translate(FORBIDDEN_IN_SHEET_NAMES).strip() or "Team")[:31]
    candidate, counter = base, 2
    while candidate.lower() in used:
        suffix = f" ({counter})"
        candidate, counter = base[: 31 - len(suffix)] + suffix, counter + 1
    used.add(candidate.lower())
    return candidate


def translated(columns, label):
    return [(key, label(header), kind) for key, header, kind in columns]


def person_columns(metrics, label=str):
    """The person columns with one attainment column per metric after the
    payout, headers through ``label`` (the reader's language)."""
    columns = []
    for key, header, kind in translated(PERSON_COLUMNS, label):
        columns.append((key, header, kind))
        if key == "bonus_payout":
            columns += [
                (("attainment", code), f"{label} (%)", "percent") for code, label in metrics
            ]
    return columns


def _open(stream, data):
    """(workbook, cell formats created once, label function) for ``data``:
    user text is always written as text, never a formula or a link."""
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
    money = money_format(**data["money"])
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "header": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True}),
        "text": workbook.add_format({}),
        "money": workbook.add_format({"num_format": money}),
        "percent": workbook.add_format({"num_format": "0.00"}),
        "count": workbook.add_format({"num_format": "0"}),
        "total_text": workbook.add_format({"bold": True, "top": 1}),
        "total_money": workbook.add_format({"bold": True, "top": 1, "num_format": money}),
    }
    labels = data.get("labels") or {}

    def label(text):
        return labels.get(text) or text

    return workbook, formats, label


def write_workbook(stream, data):
    """Writes ``data`` to ``stream``. The teams and their lines may be
    generators: each row is written as it comes and forgotten, the totals are
    summed on the way, and the summary (the first sheet) is filled last."""
    workbook, formats, label = _open(stream, data)
    summary_name, instants_name = label("Summary")[:31], label("Instant bonuses")[:31]

    summary = workbook.add_worksheet(summary_name)
    used_names = {summary_name.lower(), instants_name.lower()}
    columns = person_columns(data["metrics"], label)
    team_totals, grand = [], _Totals()
    for team in data["teams"]:
        table = _Table(
            workbook.add_worksheet(unique_sheet_name(team["name"], used_names)),
            formats,
            f"{data['title']}: {team['name']}",
            columns,
        )
        totals = _Totals()
        for row in team["lines"]:
            table.add_row(row)
            totals.add(row)
        table.add_totals(dict(totals.sums(), employee=label("Total")))
        team_totals.append(dict(totals.sums(), team=team["name"], people=totals.count))
        grand.merge(totals)
    table = _Table(summary, formats, data["title"], translated(SUMMARY_COLUMNS, label))
    for row in team_totals:
        table.add_row(row)
    table.add_totals(dict(grand.sums(), team=label("Total"), people=grand.count))
    instants = workbook.add_worksheet(instants_name)
    table = _Table(instants, formats, data["title"], translated(INSTANT_COLUMNS, label))
    for row in data["instants"]:
        table.add_row(row)
    workbook.close()


def write_day_workbook(stream, data):
    """Writes the instant bonuses approved on a day: ``data`` has title, money,
    labels and "bonuses" (row dicts with the keys of DAY_COLUMNS), then a total."""
    workbook, formats, label = _open(stream, data)
    table = _Table(
        workbook.add_worksheet(label("Instant bonuses")[:31]),
        formats,
        data["title"],
        translated(DAY_COLUMNS, label),
    )
    total = Decimal(0)
    for row in data["bonuses"]:
        table.add_row(row)
        total += Decimal(str(row["amount"]))
    table.add_totals({"employee": label("Total"), "amount": float(total)})
    workbook.close()


class _Totals:
    """Sums of the money columns in Decimal: equal to the database to the cent."""

    def __init__(self):
        self.values = dict.fromkeys(SUMMED, Decimal(0))
        self.count = 0

    def add(self, row):
        for key in SUMMED:
            self.values[key] += Decimal(str(row[key]))
        self.count += 1

    def merge(self, other):
        for key in SUMMED:
            self.values[key] += other.values[key]
        self.count += other.count

    def sums(self):
        return {key: float(value) for key, value in self.values.items()}


class _Table:
    """Title, header, then rows in order (constant memory writes row by row),
    each column's key, kind and format looked up once, not once per cell."""

    def __init__(self, worksheet, formats, title, columns):
        self.worksheet, self.row_index = worksheet, 3
        self.blank_format = formats["total_text"]
        worksheet.write_string(0, 0, title, formats["title"])
        for col, (_key, header, _kind) in enumerate(columns):
            worksheet.write_string(2, col, header, formats["header"])
            worksheet.set_column(col, col, 14 if col else 28)
        worksheet.freeze_panes(3, 1)
        self.cells = self._cells(formats, columns, total=False)
        self.total_cells = self._cells(formats, columns, total=True)

    @staticmethod
    def _cells(formats, columns, total):
        """(column, key, metric key or None, is text, format) per column."""
        by_kind = dict(formats)
        if total:
            by_kind.update(text=formats["total_text"], money=formats["total_money"])
        return [
            (
                col,
                key,
                key[1] if isinstance(key, tuple) else None,
                kind == "text",
                by_kind[kind],
            )
            for col, (key, _header, kind) in enumerate(columns)
        ]

    def add_row(self, row):
        worksheet, row_index = self.worksheet, self.row_index
        attainments = row.get("attainments") or {}
        for col, key, code, is_text, cell_format in self.cells:
            value = attainments.get(code) if code else row.get(key)
            if value is None or value is False or value == "":
                continue
            if is_text:
                worksheet.write_string(row_index, col, str(value), cell_format)
            else:
                worksheet.write_number(row_index, col, value, cell_format)
        self.row_index += 1

    def add_totals(self, row):
        """The totals row: bold, a line above, every cell of it (blanks too)."""
        worksheet, row_index = self.worksheet, self.row_index
        for col, key, code, is_text, cell_format in self.total_cells:
            value = None if code else row.get(key)
            if value is None or value is False or value == "":
                worksheet.write_blank(row_index, col, None, self.blank_format)
            elif is_text:
                worksheet.write_string(row_index, col, str(value), cell_format)
            else:
                worksheet.write_number(row_index, col, value, cell_format)
        self.row_index += 1
