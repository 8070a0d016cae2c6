"""School year and quarters (admin data), quarter and year marks, rounding, overrides."""

import datetime as dt

import pytest

from appliance.errors import Forbidden, ValidationError
from appliance.journal import calendar, journals, marks, periods, scales
from appliance.journal.models import AuditEntry, PeriodMark
from tests.appliance.test_journal_marks import Setup

QUARTERS = [
    ("2025-09-01", "2025-10-31"),
    ("2025-11-10", "2025-12-27"),
    ("2026-01-12", "2026-03-20"),
    ("2026-04-01", "2026-05-25"),
]


@pytest.fixture
def setup(make_user):
    return Setup(make_user)


@pytest.fixture
def year(setup):
    return calendar.save_year(setup.admin, "2025–2026", "2025-09-01", "2026-05-31", QUARTERS)


def _marks(setup, student, values, day):
    for value in values:
        column = journals.add_column(setup.teacher, setup.journal, "manual", day, "Work")
        marks.save_grid(setup.teacher, setup.journal, [(student.id, column.id, "mark", str(value))])


def test_admin_saves_and_edits_the_year(setup, year):
    assert [(q.number, q.start) for q in calendar.quarters_of(year)][0] == (1, dt.date(2025, 9, 1))
    changed = list(QUARTERS)
    changed[3] = ("2026-04-01", "2026-05-31")
    calendar.save_year(setup.admin, "2025–2026", "2025-09-01", "2026-05-31", changed, year=year)
    assert calendar.quarters_of(year)[3].end == dt.date(2026, 5, 31)
    assert len(calendar.years()) == 1
    assert calendar.year_on(dt.date(2025, 12, 1)) == year
    assert calendar.quarter_on(year, dt.date(2025, 11, 1)) is None  # the autumn holidays
    with pytest.raises(Forbidden):
        calendar.save_year(setup.teacher, "2026–2027", "2026-09-01", "2027-05-31", QUARTERS)


@pytest.mark.parametrize(
    "quarters, field, message",
    [
        (
            [("2025-08-20", "2025-10-31")] + QUARTERS[1:],
            "q1",
            "Quarter 1 must lie inside the school year",
        ),
        (QUARTERS[:3] + [("2026-04-01", "2026-06-15")], "q4", "Quarter 4 must lie inside"),
        (
            [QUARTERS[0], ("2025-10-20", "2025-12-27")] + QUARTERS[2:],
            "q2_start",
            "Quarter 2 must start after quarter 1 ends",
        ),
        ([QUARTERS[1], QUARTERS[0]] + QUARTERS[2:], "q2_start", "quarters go in order"),
        (
            [QUARTERS[0], ("2025-12-27", "2025-11-10")] + QUARTERS[2:],
            "q2_end",
            "Quarter 2 ends before it starts",
        ),
        ([QUARTERS[0], ("10.11.2025", "2025-12-27")] + QUARTERS[2:], "q2_start", "YYYY-MM-DD"),
    ],
)
def test_bad_quarters_are_refused_naming_the_quarter(setup, quarters, field, message):
    with pytest.raises(ValidationError, match=message) as info:
        calendar.save_year(setup.admin, "2025–2026", "2025-09-01", "2026-05-31", quarters)
    assert info.value.field == field
    assert calendar.years() == []


def test_year_must_end_after_it_starts(setup):
    with pytest.raises(ValidationError, match="end after it starts"):
        calendar.save_year(setup.admin, "x", "2026-05-31", "2025-09-01", QUARTERS)


def test_quarter_marks_are_rounded_means_and_year_from_quarters(setup, year):
    _marks(setup, setup.anna, [5, 4], "2025-10-01")  # q1: 4.5
    _marks(setup, setup.anna, [3, 4, 4], "2025-12-01")  # q2: 3.67
    _marks(setup, setup.anna, [5], "2025-11-03")  # the holidays: in no quarter
    setup.graded(percent=100.0, when=dt.datetime(2026, 2, 2))  # q3: an automatic 5
    table = periods.period_table(setup.journal, year)
    anna = table[setup.anna.id]
    assert (anna["q1"].mean, anna["q1"].computed) == (4.5, 5)
    assert (anna["q2"].mean, anna["q2"].computed) == (3.67, 4)
    assert anna["q3"].computed == 5 and anna["q4"].computed is None
    assert (anna["year"].mean, anna["year"].computed) == (4.67, 5)
    assert table[setup.bek.id]["q1"].computed is None
    scales.update_rules(setup.admin, "5", False, "half_even", "85=5,70=4,50=3,0=2", "0=1")
    assert periods.period_table(setup.journal, year)[setup.anna.id]["q1"].computed == 4
    scales.update_rules(setup.admin, "5", False, "floor", "85=5,70=4,50=3,0=2", "0=1")
    anna = periods.period_table(setup.journal, year)[setup.anna.id]
    assert (anna["q1"].computed, anna["q2"].computed) == (4, 3)


def test_teacher_override_is_kept_apart_and_wins(setup, year):
    _marks(setup, setup.anna, [3, 3], "2025-10-01")
    assert periods.set_override(
        setup.teacher, setup.journal, year, setup.anna.id, "q1", "4", "project"
    )
    cell = periods.period_table(setup.journal, year)[setup.anna.id]["q1"]
    assert (cell.computed, cell.override, cell.final) == (3, 4, 4)
    assert periods.period_table(setup.journal, year)[setup.anna.id]["year"].computed == 4
    with pytest.raises(ValidationError, match="7 is not a mark"):
        periods.set_override(setup.teacher, setup.journal, year, setup.anna.id, "q1", "7")
    with pytest.raises(Forbidden):
        periods.set_override(setup.anna, setup.journal, year, setup.anna.id, "q1", "5")
    periods.set_override(setup.teacher, setup.journal, year, setup.anna.id, "q1", "")
    assert periods.period_table(setup.journal, year)[setup.anna.id]["q1"].final == 3
    assert PeriodMark.select().count() == 1
    entries = (
        AuditEntry.select().where(AuditEntry.object_type == "period").order_by(AuditEntry.position)
    )
    assert [(e.field, e.old, e.new, e.reason) for e in entries] == [
        ("q1", "", "4", "project"),
        ("q1", "4", "", ""),
    ]
