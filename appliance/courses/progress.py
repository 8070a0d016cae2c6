"""Students' progress through lessons: views, "done" marks, and the teacher's table."""

from __future__ import annotations

from appliance.accounts.models import User
from appliance.courses.access import can_edit
from appliance.courses.enrolment import enrolled_students
from appliance.courses.models import Course, Lesson, LessonProgress
from appliance.courses.services import ordered_lessons
from appliance.db import utcnow, write
from appliance.errors import Forbidden


def _row(user: User, lesson: Lesson) -> LessonProgress:
    row = LessonProgress.get_or_none(
        (LessonProgress.user == user) & (LessonProgress.lesson == lesson)
    )
    return row or LessonProgress(user=user, lesson=lesson)


def record_view(user: User, lesson: Lesson) -> LessonProgress | None:
    """Count a student's view of a lesson; teachers' views are not progress."""
    if user.role != "student":
        return None
    with write():
        row = _row(user, lesson)
        now = utcnow()
        row.views += 1
        row.first_viewed_at = row.first_viewed_at or now
        row.last_viewed_at = now
        row.save()
    return row


def toggle_done(user: User, lesson: Lesson) -> LessonProgress:
    """Mark a lesson done, or not done when it already was."""
    if user.role != "student":
        raise Forbidden("Only students mark lessons as done.")
    with write():
        row = _row(user, lesson)
        row.done = not row.done
        row.done_at = utcnow() if row.done else None
        row.save()
    return row


def progress_of(user: User, lesson: Lesson) -> LessonProgress | None:
    return LessonProgress.get_or_none(
        (LessonProgress.user == user) & (LessonProgress.lesson == lesson)
    )


def course_table(actor: User, course: Course) -> dict:
    """Students × lessons with each cell's progress row, and per-student totals (3 queries)."""
    if not can_edit(actor, course) and not actor.is_admin:
        raise Forbidden("You may not see this course's progress.")
    students = enrolled_students(course)
    lessons = ordered_lessons(course)
    cells = {}
    if students and lessons:
        rows = LessonProgress.select().where(
            LessonProgress.user.in_([s.id for s in students])
            & LessonProgress.lesson.in_([lesson.id for lesson in lessons])
        )
        cells = {(row.user_id, row.lesson_id): row for row in rows}
    totals = {}
    for student in students:
        marks = [cells.get((student.id, lesson.id)) for lesson in lessons]
        # A "done" pressed without opening the lesson leaves a row with no views.
        totals[student.id] = {
            "viewed": sum(1 for m in marks if m and m.views),
            "done": sum(1 for m in marks if m and m.done),
        }
    return {"students": students, "lessons": lessons, "cells": cells, "totals": totals}
