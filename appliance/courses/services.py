"""Course services: courses, sections and lessons. Every change to them goes through here."""

from __future__ import annotations

from appliance.accounts.models import User
from appliance.courses.access import get_course, require_edit
from appliance.courses.markdown import render
from appliance.courses.models import LANGUAGES, Course, Lesson, Resource, Section
from appliance.courses.search import refresh_search_text
from appliance.db import write
from appliance.errors import Forbidden, NotFound, ValidationError

TITLE_MAX = 200


# Whole sentences per field, so each can be translated (and names the field it is about).
REQUIRED = {
    "title": "Please enter a title.",
    "section": "Please choose a section.",
    "term": "Please enter a term.",
    "definition": "Please enter a definition.",
}
TOO_LONG = {
    "title": "The title must have at most %(n)s characters.",
    "description": "The description must have at most %(n)s characters.",
    "subject": "The subject must have at most %(n)s characters.",
    "body_md": "The lesson text must have at most %(n)s characters.",
    "term": "The term must have at most %(n)s characters.",
    "definition": "The definition must have at most %(n)s characters.",
}


def clean_text(
    value: str | None, field: str, required: bool = False, max_length: int = TITLE_MAX
) -> str:
    """Strip a form value; raise a ValidationError naming ``field`` when it is wrong."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(REQUIRED[field], field)
    if len(value) > max_length:
        raise ValidationError(TOO_LONG[field], field, n=max_length)
    return value


def save_fields(row, fields: dict) -> None:
    """Set and save only these fields, so a stale copy never undoes another change (a move)."""
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(only=[getattr(type(row), name) for name in fields])


def _grade(value) -> int | None:
    value = str(value if value is not None else "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 11:
        raise ValidationError("The grade must be a number from 1 to 11, or empty.", "grade")
    return int(value)


def _course_fields(title, description, subject, grade, language) -> dict:
    if (language or "ky") not in LANGUAGES:
        raise ValidationError(
            "The language must be one of: %(languages)s.",
            "language",
            languages=", ".join(LANGUAGES),
        )
    return {
        "title": clean_text(title, "title", required=True),
        "description": clean_text(description, "description", max_length=20000),
        "subject": clean_text(subject, "subject", max_length=100),
        "grade": _grade(grade),
        "language": language or "ky",
    }


def create_course(
    actor: User,
    title: str,
    description: str = "",
    subject: str = "",
    grade=None,
    language: str = "ky",
) -> Course:
    """A teacher (or admin) creates a course they own."""
    if not actor.is_teacher:
        raise Forbidden("Only teachers create courses.")
    fields = _course_fields(title, description, subject, grade, language)
    with write():
        course = Course(owner=actor, **fields)
        course.save()
        refresh_search_text(course)
    return course


def update_course(
    actor: User,
    course: Course,
    title: str,
    description: str = "",
    subject: str = "",
    grade=None,
    language: str = "ky",
) -> Course:
    """Change a course's title, description, subject, grade and language."""
    require_edit(actor, course)
    fields = _course_fields(title, description, subject, grade, language)
    with write():
        save_fields(course, fields)
        refresh_search_text(course)
    return course


def delete_course(actor: User, course: Course) -> None:
    """Tombstone a course; its sections and lessons disappear with it."""
    require_edit(actor, course)
    with write():
        course.tombstone()


# --- sections ------------------------------------------------------------------------------


def sections_of(course: Course) -> list[Section]:
    return list(
        Section.live().where(Section.course == course).order_by(Section.position, Section.id)
    )


def get_section(course: Course, section_id: str) -> Section:
    section = Section.live().where((Section.id == section_id) & (Section.course == course)).first()
    if section is None:
        raise NotFound("No such section.")
    return section


def add_section(actor: User, course: Course, title: str) -> Section:
    """Append a section to the course."""
    require_edit(actor, course)
    title = clean_text(title, "title", required=True)
    with write():
        last = len(sections_of(course))
        section = Section(course=course, title=title, position=last)
        section.save()
    return section


def rename_section(actor: User, section: Section, title: str) -> Section:
    require_edit(actor, section.course)
    title = clean_text(title, "title", required=True)
    with write():
        save_fields(section, {"title": title})
    return section


def _move(rows: list, item, direction: str) -> None:
    """Swap ``item`` with its neighbour up or down, renumbering positions 0..n-1."""
    ids = [row.id for row in rows]
    index = ids.index(item.id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.save(only=[type(row).position])


def move_section(actor: User, section: Section, direction: str) -> None:
    """Move a section one place up or down."""
    require_edit(actor, section.course)
    with write():
        _move(sections_of(section.course), section, direction)


def delete_section(actor: User, section: Section) -> None:
    """Tombstone a section with its lessons and file rows."""
    course = section.course
    require_edit(actor, course)
    with write():
        for model in (Lesson, Resource):
            for row in model.live().where(model.section == section):
                row.tombstone()
        section.tombstone()
        refresh_search_text(course)


# --- lessons -------------------------------------------------------------------------------


def ordered_lessons(course: Course) -> list[Lesson]:
    """The course's live lessons in reading order (by section, then lesson), one query."""
    return list(
        Lesson.live()
        .join(Section)
        .where((Lesson.course == course) & (Section.deleted == False))  # noqa: E712
        .order_by(Section.position, Section.id, Lesson.position, Lesson.id)
    )


def get_lesson(actor: User, course_id: str, lesson_id: str, edit: bool = False) -> Lesson:
    """The lesson when the user may view (or edit) its course; raises otherwise."""
    course = get_course(actor, course_id, edit=edit)
    lesson = (
        Lesson.live()
        .join(Section)
        .select(Lesson, Section)
        .where((Lesson.id == lesson_id) & (Lesson.course == course))
        .first()
    )
    if lesson is None or lesson.section.deleted:
        raise NotFound("No such lesson.")
    lesson.course = course
    return lesson


def neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after this one in reading order."""
    lessons = ordered_lessons(lesson.course)
    ids = [row.id for row in lessons]
    index = ids.index(lesson.id)
    before = lessons[index - 1] if index > 0 else None
    after = lessons[index + 1] if index + 1 < len(lessons) else None
    return before, after


def _lesson_fields(course: Course, section_id: str, title: str, body_md: str) -> dict:
    section = get_section(course, section_id) if section_id else None
    if section is None:
        raise ValidationError(REQUIRED["section"], "section")
    body_md = clean_text(body_md, "body_md", max_length=200_000)
    return {
        "section": section,
        "title": clean_text(title, "title", required=True),
        "body_md": body_md,
        "body_html": render(body_md),
    }


def add_lesson(
    actor: User, course: Course, section_id: str, title: str, body_md: str = ""
) -> Lesson:
    """Append a lesson to a section; the Markdown is rendered and sanitised now."""
    require_edit(actor, course)
    fields = _lesson_fields(course, section_id, title, body_md)
    with write():
        position = Lesson.live().where(Lesson.section == fields["section"]).count()
        lesson = Lesson(course=course, position=position, **fields)
        lesson.save()
        refresh_search_text(course)
    return lesson


def update_lesson(
    actor: User, lesson: Lesson, title: str, body_md: str, section_id: str | None = None
) -> Lesson:
    """Change a lesson's title, text and (optionally) section."""
    course = lesson.course
    require_edit(actor, course)
    fields = _lesson_fields(course, section_id or lesson.section_id, title, body_md)
    with write():
        save_fields(lesson, fields)
        refresh_search_text(course)
    return lesson


def move_lesson(actor: User, lesson: Lesson, direction: str) -> None:
    """Move a lesson one place up or down within its section."""
    require_edit(actor, lesson.course)
    with write():
        rows = list(
            Lesson.live()
            .where(Lesson.section == lesson.section_id)
            .order_by(Lesson.position, Lesson.id)
        )
        _move(rows, lesson, direction)


def delete_lesson(actor: User, lesson: Lesson) -> None:
    course = lesson.course
    require_edit(actor, course)
    with write():
        lesson.tombstone()
        refresh_search_text(course)
