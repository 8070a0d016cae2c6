"""Marks: the teacher's grid, automatic results from quizzes and assignments, overrides."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from appliance.accounts.models import User
from appliance.courses.access import can_edit
from appliance.courses.models import Course
from appliance.db import write
from appliance.errors import Forbidden, ValidationError
from appliance.journal import attendance, audit
from appliance.journal.journals import Journal, column_label, item_column
from appliance.journal.models import JournalColumn, Mark
from appliance.journal.scales import Rules, get_rules, parse_mark, percent_to_mark
from appliance.localtime import school_date

log = logging.getLogger(__name__)

REASON_MAX = 500


def marks_map(
    columns: list[JournalColumn], student: User | None = None
) -> dict[tuple[str, str], Mark]:
    """(student id, column id) → mark for the columns (of one student if given), in one query."""
    if not columns:
        return {}
    rows = Mark.live().where(Mark.column.in_([c.id for c in columns]))
    if student is not None:
        rows = rows.where(Mark.student == student)
    return {(m.student_id, m.column_id): m for m in rows}


def _mark_row(column: JournalColumn, student_id: str) -> Mark:
    row = Mark.live().where((Mark.column == column) & (Mark.student == student_id)).first()
    return row or Mark(column=column, student=student_id)


def set_manual(
    actor: User, column: JournalColumn, student: User, value: int | None, reason: str = ""
) -> bool:
    """The teacher's mark (an override on quiz and assignment columns); None clears it. Audited."""
    row = _mark_row(column, student.id)
    if row.manual_value == value:
        return False
    old = row.manual_value
    row.manual_value = value
    row.save()
    audit.append(actor, "mark", row.id, student.id, column.id, "manual", old, value, reason)
    return True


def set_mark(
    actor: User, journal: Journal, column_id: str, student_id: str, text: str, reason: str = ""
) -> Mark:
    """Set one cell's mark from text (one cell of the grid)."""
    save_grid(actor, journal, [(student_id, column_id, "mark", text)], reason)
    return _mark_row(journal.column(column_id), student_id)


@dataclass
class Change:
    column: JournalColumn
    student: User
    what: str  # "mark" or "attendance"
    value: object


def _validate(journal: Journal, cells, rules: Rules) -> list[Change]:
    """Every cell checked before anything is stored; errors name the student and the column."""
    students = {s.id: s for s in journal.students()}
    columns = {c.id: c for c in journal.columns()}
    changes = []
    for student_id, column_id, what, text in cells:
        student, column = students.get(student_id), columns.get(column_id)
        if student is None or column is None:
            raise ValidationError(
                "The journal changed while you were editing it; reload the page.", "grid"
            )
        field = f"{what[0]}-{student_id}-{column_id}"
        names = {"student": student.full_name, "column": column_label(column)}
        if what == "mark":
            try:
                value = parse_mark(text, rules)
            except ValidationError as exc:
                raise ValidationError(
                    "%(student)s, %(column)s: %(value)s is not a mark on the scale (%(marks)s).",
                    field,
                    **names,
                    **exc.params,
                ) from None
        elif column.kind != "lesson":
            raise ValidationError(
                "%(student)s, %(column)s: attendance is kept on lesson dates only.", field, **names
            )
        else:
            try:
                value = attendance.parse_status(text)
            except ValidationError:
                raise ValidationError(
                    "%(student)s, %(column)s: attendance must be absent, late, excused or blank.",
                    field,
                    **names,
                ) from None
        changes.append(Change(column, student, what, value))
    return changes


def save_grid(actor: User, journal: Journal, cells, reason: str = "") -> int:
    """Store changed cells [(student id, column id, "mark"|"attendance", text)] all or nothing."""
    if not can_edit(actor, journal.course):
        raise Forbidden("You may not change this journal.")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(
            "The reason must have at most %(n)s characters.", "reason", n=REASON_MAX
        )
    changes = _validate(journal, cells, get_rules())
    changed = 0
    with write():
        for change in changes:
            if change.what == "mark":
                changed += set_manual(actor, change.column, change.student, change.value, reason)
            else:
                changed += attendance.set_status(
                    actor, change.column, change.student, change.value, reason
                )
    return changed


def record_result(
    course_id: str,
    student_id: str,
    item_id: str,
    item_title: str,
    item_kind: str,
    percent: float | None,
    when: dt.datetime | None,
) -> Mark | None:
    """A quiz or assignment result enters the journal as an automatic mark (None: ungraded)."""
    student = User.live().where(User.id == student_id).first()
    course = Course.live().where(Course.id == course_id).first()
    if student is None or course is None or student.school_class_id is None:
        # A journal is kept per class: a student without a class has none to write into.
        log.info(
            "no journal for student %s in course %s; result not recorded", student_id, course_id
        )
        return None
    value = (
        None if percent is None else percent_to_mark(float(percent), get_rules().current_thresholds)
    )
    day = school_date(when)  # the school's date, not UTC's (6 hours apart in Kyrgyzstan)
    with write():
        column = item_column(course, student.school_class, item_id, item_kind, item_title, day)
        row = _mark_row(column, student.id)
        if row.auto_value == value and row.auto_percent == percent and row._persisted:
            return row
        old = row.auto_value
        row.auto_value = value
        row.auto_percent = None if percent is None else float(percent)
        row.save()
        if old != value:
            shown = "ungraded" if percent is None else f"{float(percent):.1f}%"
            audit.append(
                None,
                "mark",
                row.id,
                student.id,
                column.id,
                "auto",
                old,
                value,
                f"{item_kind} result {shown}",
                actor_name="automatic",
            )
    return row


@dataclass
class Grid:
    """What the teacher's page shows: students × columns with marks and attendance."""

    students: list
    columns: list
    marks: dict
    attendance: dict


def grid(journal: Journal, start: dt.date | None = None, end: dt.date | None = None) -> Grid:
    columns = journal.columns(start, end)
    return Grid(journal.students(), columns, marks_map(columns), attendance.attendance_map(columns))
