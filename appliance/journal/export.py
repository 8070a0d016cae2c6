"""Export of a class journal for a quarter as CSV (UTF-8 with BOM, for Excel) and XLSX."""

from __future__ import annotations

import csv
import io

from appliance.journal import attendance
from appliance.journal.journals import Journal, column_label
from appliance.journal.marks import grid
from appliance.journal.models import Quarter
from appliance.journal.periods import period_table

HEADER = ("Student",)


def quarter_rows(journal: Journal, quarter: Quarter) -> list[list]:
    """A header row and one row per student: marks (or attendance) per column, mean, quarter mark."""
    data = grid(journal, quarter.start, quarter.end)
    periods = period_table(journal, quarter.year, students=data.students)
    key = f"q{quarter.number}"
    header = [
        "Student",
        *[column_label(c) for c in data.columns],
        "Mean",
        f"Quarter {quarter.number}",
    ]
    rows = [header]
    for student in data.students:
        row = [student.full_name]
        for column in data.columns:
            mark = data.marks.get((student.id, column.id))
            status = data.attendance.get((student.id, column.id), "")
            if mark is not None and mark.value is not None:
                row.append(mark.value)
            else:
                row.append(attendance.SYMBOLS.get(status, ""))
        cell = periods[student.id][key]
        row += [
            cell.mean if cell.mean is not None else "",
            cell.final if cell.final is not None else "",
        ]
        rows.append(row)
    return rows


def to_csv(rows: list[list]) -> bytes:
    """CSV bytes with a byte-order mark, so Excel opens Cyrillic names correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[list], title: str) -> bytes:
    """An XLSX workbook with one sheet holding the rows (marks as numbers)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    # Sheet titles are at most 31 characters and may not hold []:*?/\
    sheet.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Journal"
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 28
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
