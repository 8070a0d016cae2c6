"""Export of a class journal for a quarter: CSV with a BOM and XLSX, read back."""

import csv
import io

import pytest
from openpyxl import load_workbook

from appliance.journal import calendar, export, journals, marks
from tests.appliance.test_journal_marks import Setup
from tests.appliance.test_journal_periods import QUARTERS


@pytest.fixture
def rows(make_user):
    setup = Setup(make_user)
    year = calendar.save_year(setup.admin, "2025–2026", "2025-09-01", "2026-05-31", QUARTERS)
    lesson = journals.add_column(setup.teacher, setup.journal, "lesson", "2025-09-15", "Дроби")
    later = journals.add_column(setup.teacher, setup.journal, "lesson", "2025-12-01", "Q2 lesson")
    marks.save_grid(
        setup.teacher,
        setup.journal,
        [
            (setup.anna.id, lesson.id, "mark", "4"),
            (setup.bek.id, lesson.id, "attendance", "absent"),
            (setup.anna.id, later.id, "mark", "2"),
        ],
    )
    setup.graded(percent=88.0)  # 2025-10-06, in quarter 1
    return export.quarter_rows(setup.journal, calendar.quarters_of(year)[0])


def test_quarter_rows_hold_marks_attendance_and_quarter_mark(rows):
    assert rows[0] == ["Student", "15.09 Дроби", "06.10 Test quiz-1", "Mean", "Quarter 1"]
    assert rows[1] == ["Abdyrakhmanova Anna", 4, 5, 4.5, 5]
    assert rows[2] == ["Bekov Bek", "н", "", "", ""]


def test_csv_has_a_bom_and_reads_back(rows):
    data = export.to_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf")
    back = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert back[0][1] == "15.09 Дроби" and back[1] == ["Abdyrakhmanova Anna", "4", "5", "4.5", "5"]


def test_xlsx_reads_back_with_openpyxl(rows):
    book = load_workbook(io.BytesIO(export.to_xlsx(rows, "7А Algebra: Q1")))
    sheet = book.active
    assert sheet.title == "7А Algebra Q1"
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["Student", "15.09 Дроби", "06.10 Test quiz-1"]
    assert values[1] == ["Abdyrakhmanova Anna", 4, 5, 4.5, 5]
    assert values[2][1] == "н"
