"""Course models. All replicated: school courses go up to the hub, national ones come down."""

from __future__ import annotations

import peewee

from appliance.accounts.models import SchoolClass, User
from appliance.replication import Replicated

LANGUAGES = ("ky", "ru", "uz", "en")


class Course(Replicated):
    """A course a teacher (or the hub, for national courses) writes."""

    title = peewee.CharField(max_length=200)
    description = peewee.TextField(default="")
    subject = peewee.CharField(max_length=100, default="")
    grade = peewee.IntegerField(null=True)
    language = peewee.CharField(max_length=8, default="ky")
    owner = peewee.ForeignKeyField(User, null=True, backref="courses", on_delete="SET NULL")
    copied_from = peewee.CharField(max_length=36, null=True)
    search_text = peewee.TextField(default="")  # lower-cased title, description and lessons


class Section(Replicated):
    """A part of a course (a topic or a week), holding lessons and files."""

    course = peewee.ForeignKeyField(Course, backref="sections", on_delete="CASCADE")
    title = peewee.CharField(max_length=200)
    position = peewee.IntegerField(default=0)


class Lesson(Replicated):
    """A theory page written in Markdown; the sanitised HTML is kept beside it."""

    course = peewee.ForeignKeyField(Course, backref="lessons", on_delete="CASCADE")
    section = peewee.ForeignKeyField(Section, backref="lessons", on_delete="CASCADE")
    title = peewee.CharField(max_length=200)
    body_md = peewee.TextField(default="")
    body_html = peewee.TextField(default="")
    position = peewee.IntegerField(default=0)


class Resource(Replicated):
    """A file in a course (PDF, image, audio, video); the bytes live in the content store."""

    course = peewee.ForeignKeyField(Course, backref="resources", on_delete="CASCADE")
    section = peewee.ForeignKeyField(Section, backref="resources", null=True, on_delete="CASCADE")
    title = peewee.CharField(max_length=200)
    filename = peewee.CharField(max_length=255)
    mime = peewee.CharField(max_length=100)
    size = peewee.BigIntegerField()
    sha256 = peewee.CharField(max_length=64, index=True)
    position = peewee.IntegerField(default=0)


class GlossaryEntry(Replicated):
    """A term and its definition in a course's glossary."""

    course = peewee.ForeignKeyField(Course, backref="glossary", on_delete="CASCADE")
    term = peewee.CharField(max_length=200)
    definition = peewee.TextField()
    definition_html = peewee.TextField(default="")

    class Meta:
        table_name = "glossary_entry"


class Enrolment(Replicated):
    """A whole class or a single student enrolled in a course."""

    course = peewee.ForeignKeyField(Course, backref="enrolments", on_delete="CASCADE")
    school_class = peewee.ForeignKeyField(SchoolClass, null=True, on_delete="CASCADE")
    user = peewee.ForeignKeyField(User, null=True, on_delete="CASCADE")


class LessonProgress(Replicated):
    """A student's views of a lesson and whether they marked it done."""

    user = peewee.ForeignKeyField(User, backref="progress", on_delete="CASCADE")
    lesson = peewee.ForeignKeyField(Lesson, backref="progress", on_delete="CASCADE")
    views = peewee.IntegerField(default=0)
    first_viewed_at = peewee.DateTimeField(null=True)
    last_viewed_at = peewee.DateTimeField(null=True)
    done = peewee.BooleanField(default=False)
    done_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "lesson_progress"
        indexes = ((("user", "lesson"), True),)
