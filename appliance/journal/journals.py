"""Which journals exist (a class in a course) and who may open or change them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from appliance.accounts.models import SchoolClass, User
from appliance.accounts.services import students_of
from appliance.courses.access import can_edit, courses_for, get_course
from appliance.courses.models import Course, Enrolment
from appliance.db import write
from appliance.errors import Forbidden, NotFound, ValidationError
from appliance.journal.calendar import to_date
from appliance.journal.models import JournalColumn

TITLE_MAX = 200


@dataclass
class Journal:
    """A class's journal in a course."""

    course: Course
    school_class: SchoolClass

    def students(self) -> list[User]:
        return students_of(self.school_class)

    def columns(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[JournalColumn]:
        """Live columns by date (lessons before graded items on the same day)."""
        query = JournalColumn.live().where(
            (JournalColumn.course == self.course)
            & (JournalColumn.school_class == self.school_class)
        )
        if start is not None:
            query = query.where(JournalColumn.date >= start)
        if end is not None:
            query = query.where(JournalColumn.date <= end)
        columns = list(query.order_by(JournalColumn.date, JournalColumn.seq))
        order = {"lesson": 0, "manual": 1, "quiz": 2, "assignment": 3}
        return sorted(columns, key=lambda c: (c.date, order.get(c.kind, 9)))

    def column(self, column_id: str) -> JournalColumn:
        column = (
            JournalColumn.live()
            .where(
                (JournalColumn.id == column_id)
                & (JournalColumn.course == self.course)
                & (JournalColumn.school_class == self.school_class)
            )
            .first()
        )
        if column is None:
            raise NotFound("No such journal column.")
        return column

    def student(self, student_id: str) -> User:
        student = (
            User.live()
            .where(
                (User.id == student_id)
                & (User.role == "student")
                & (User.school_class == self.school_class)
            )
            .first()
        )
        if student is None:
            raise NotFound("No such student in this class.")
        return student


def column_label(column: JournalColumn) -> str:
    """How a column is named in errors, exports and headers."""
    day = column.date.strftime("%d.%m")
    return f"{day} {column.title}".strip() if column.title else day


def classes_of(course: Course) -> list[SchoolClass]:
    """Classes with a journal in the course: enrolled ones and any that already have columns."""
    enrolled = (
        Enrolment.live()
        .where((Enrolment.course == course) & Enrolment.school_class.is_null(False))
        .select(Enrolment.school_class)
    )
    with_columns = (
        JournalColumn.live()
        .where(JournalColumn.course == course)
        .select(JournalColumn.school_class)
    )
    return list(
        SchoolClass.live()
        .where(SchoolClass.id.in_(enrolled) | SchoolClass.id.in_(with_columns))
        .order_by(SchoolClass.grade, SchoolClass.name)
    )


def journals_for(user: User) -> list[Journal]:
    """The journals a teacher (own courses) or admin (all) keeps."""
    if not user.is_teacher:
        return []
    return [
        Journal(course, klass)
        for course in courses_for(user)
        if can_edit(user, course)
        for klass in classes_of(course)
    ]


def get_journal(user: User, course_id: str, class_id: str, edit: bool = False) -> Journal:
    """A journal the user may open: the course's teachers and admins only."""
    course = get_course(user, course_id)
    if not can_edit(user, course):
        # Students see their own marks elsewhere; other teachers have no business here.
        raise Forbidden("Only the course's teachers open its class journal.")
    klass = SchoolClass.live().where(SchoolClass.id == class_id).first()
    if klass is None or klass not in classes_of(course):
        raise NotFound("This class has no journal in this course.")
    return Journal(course, klass)


def _title(text: str, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError("Please enter a title.", "title")
    if len(text) > TITLE_MAX:
        raise ValidationError("The title must have at most %(n)s characters.", "title", n=TITLE_MAX)
    return text


def add_column(actor: User, journal: Journal, kind: str, date, title: str = "") -> JournalColumn:
    """The teacher adds a lesson date (optional topic) or a graded column (title required)."""
    if not can_edit(actor, journal.course):
        raise Forbidden("You may not change this journal.")
    if kind not in ("lesson", "manual"):
        raise ValidationError("Please choose a lesson or a graded column.", "kind")
    day = to_date(date)
    if day is None:
        raise ValidationError("Please enter the date as YYYY-MM-DD.", "date")
    title = _title(title, required=kind == "manual")
    with write():
        column = JournalColumn(
            course=journal.course,
            school_class=journal.school_class,
            kind=kind,
            date=day,
            title=title,
        )
        column.save()
    return column


def item_column(
    course: Course, klass: SchoolClass, item_id: str, kind: str, title: str, day: dt.date
) -> JournalColumn:
    """The automatic column of a quiz or assignment for a class (created on first result)."""
    column = (
        JournalColumn.live()
        .where(
            (JournalColumn.course == course)
            & (JournalColumn.school_class == klass)
            & (JournalColumn.item_id == item_id)
        )
        .first()
    )
    title = (title or "")[:TITLE_MAX]
    if column is None:
        column = JournalColumn(
            course=course, school_class=klass, kind=kind, date=day, title=title, item_id=item_id
        )
        column.save()
    elif column.title != title:
        column.title = title
        column.save()
    return column
