"""Catalogue search. SQLite's LOWER() knows only ASCII, so Cyrillic is matched on a
Python-casefolded copy of each course's text kept in ``Course.search_text``."""

from __future__ import annotations

from appliance.accounts.models import User
from appliance.courses.access import visible_courses
from appliance.courses.models import Course, Lesson
from appliance.replication import HUB_ORIGIN


def fold(text: str) -> str:
    """Case-insensitive form of a text for any script ("МАТЕМАТИКА" → "математика")."""
    return " ".join((text or "").split()).casefold()


def refresh_search_text(course: Course) -> None:
    """Recompute the course's search text from its title, description and live lessons."""
    lessons = Lesson.live().where(Lesson.course == course).select(Lesson.title, Lesson.body_md)
    parts = [course.title, course.description]
    for lesson in lessons:
        parts += [lesson.title, lesson.body_md]
    course.search_text = fold("\n".join(parts))
    course.save(only=[Course.search_text])


def search_courses(
    user: User, query: str, grade: int | None = None, language: str = "", national: bool = False
):
    """Courses the user may open whose text contains every word of ``query``, optionally of one
    grade and language, or only the national ones (written at the hub)."""
    courses = visible_courses(user)
    for word in fold(query).split():
        courses = courses.where(Course.search_text.contains(word))
    if grade is not None:
        courses = courses.where(Course.grade == grade)
    if language:
        courses = courses.where(Course.language == language)
    if national:
        courses = courses.where(Course.origin == HUB_ORIGIN)
    return courses
