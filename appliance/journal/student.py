"""A student's own marks: every course where their class has a journal."""

from __future__ import annotations

from dataclasses import dataclass

from appliance.accounts.models import User
from appliance.courses.access import can_view
from appliance.courses.models import Course
from appliance.journal.attendance import attendance_map
from appliance.journal.journals import Journal
from appliance.journal.marks import marks_map
from appliance.journal.models import JournalColumn, SchoolYear
from appliance.journal.periods import PeriodCell, period_table


@dataclass
class CourseMarks:
    course: Course
    columns: list
    marks: dict  # column id → Mark
    attendance: dict  # column id → status
    periods: dict[str, PeriodCell]


def own_marks(student: User, year: SchoolYear | None) -> list[CourseMarks]:
    """The student's marks, attendance and quarter marks per course (their own only)."""
    if student.school_class_id is None:
        return []
    course_ids = (
        JournalColumn.live()
        .where(JournalColumn.school_class == student.school_class_id)
        .select(JournalColumn.course)
        .distinct()
    )
    result = []
    for course in Course.live().where(Course.id.in_(course_ids)).order_by(Course.title):
        if not can_view(student, course):
            continue
        journal = Journal(course, student.school_class)
        columns = journal.columns(year.start, year.end) if year else journal.columns()
        # Only this student's rows are read: nobody else's marks reach the page.
        marks = {cid: m for (_sid, cid), m in marks_map(columns, student).items()}
        absences = {cid: s for (_sid, cid), s in attendance_map(columns, student).items()}
        periods = period_table(journal, year, students=[student])[student.id] if year else {}
        result.append(CourseMarks(course, columns, marks, absences, periods))
    return result
