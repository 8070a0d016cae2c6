"""Copying a course: a teacher's own editable copy of any course they can open."""

from __future__ import annotations

from appliance.accounts.models import User
from appliance.courses.access import can_view
from appliance.courses.models import Course, GlossaryEntry, Lesson, Resource, Section
from appliance.courses.search import refresh_search_text
from appliance.db import write
from appliance.errors import Forbidden

COURSE_FIELDS = ("title", "description", "subject", "grade", "language")


def _copy_rows(model, rows, **overrides):
    """Save a fresh copy of each row (new id, local origin); return {old id: new row}."""
    copies = {}
    skip = {"id", "origin", "school", "seq", "deleted", "updated_at", *overrides}
    for row in rows:
        data = {name: value for name, value in row.__data__.items() if name not in skip}
        data.update({name: value(row) for name, value in overrides.items()})
        copy = model(**data)
        copy.save()
        copies[row.id] = copy
    return copies


def copy_course(actor: User, course: Course) -> Course:
    """A new course owned by ``actor`` with the sections, lessons, glossary and file rows."""
    if not actor.is_teacher or not can_view(actor, course):
        raise Forbidden("You may not copy this course.")
    with write():
        new = Course(
            owner=actor,
            copied_from=course.id,
            **{name: getattr(course, name) for name in COURSE_FIELDS},
        )
        new.save()
        sections = _copy_rows(
            Section, Section.live().where(Section.course == course), course=lambda row: new
        )
        lessons = Lesson.live().where(Lesson.section.in_(list(sections)))
        _copy_rows(
            Lesson, lessons, course=lambda row: new, section=lambda row: sections[row.section_id]
        )
        # A file with no section belongs to the whole course; the bytes are shared by hash.
        files = Resource.live().where(
            (Resource.course == course)
            & (Resource.section.is_null() | Resource.section.in_(list(sections)))
        )
        _copy_rows(
            Resource,
            files,
            course=lambda row: new,
            section=lambda row: sections.get(row.section_id),
        )
        _copy_rows(
            GlossaryEntry,
            GlossaryEntry.live().where(GlossaryEntry.course == course),
            course=lambda row: new,
        )
        refresh_search_text(new)
    return new
