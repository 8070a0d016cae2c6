"""Assignment models: the task a teacher sets and each student's submission. Both replicated."""

from __future__ import annotations

import peewee

from appliance.accounts.models import User
from appliance.courses.models import Course, Section
from appliance.replication import Replicated


class Assignment(Replicated):
    """A task in a course (optionally in a section) that students answer with text and/or a file."""

    course = peewee.ForeignKeyField(Course, backref="assignments", on_delete="CASCADE")
    section = peewee.ForeignKeyField(Section, backref="assignments", null=True, on_delete="CASCADE")
    title = peewee.CharField(max_length=200)
    instructions_md = peewee.TextField(default="")
    instructions_html = peewee.TextField(default="")
    due_at = peewee.DateTimeField(null=True)  # naive UTC, compared with the server's clock
    allow_text = peewee.BooleanField(default=True)
    allow_file = peewee.BooleanField(default=False)
    max_file_mb = peewee.IntegerField(default=10)
    file_types = peewee.CharField(max_length=200, default="")  # "pdf,docx,jpg"
    position = peewee.IntegerField(default=0)

    @property
    def file_type_list(self) -> list[str]:
        return [ext for ext in self.file_types.split(",") if ext]


class Submission(Replicated):
    """A student's current answer to an assignment (a resubmission replaces it) and its grade."""

    assignment = peewee.ForeignKeyField(Assignment, backref="submissions", on_delete="CASCADE")
    student = peewee.ForeignKeyField(User, backref="submissions", on_delete="CASCADE")
    text = peewee.TextField(default="")
    filename = peewee.CharField(max_length=255, default="")
    mime = peewee.CharField(max_length=100, default="")
    size = peewee.BigIntegerField(default=0)
    sha256 = peewee.CharField(max_length=64, null=True)
    submitted_at = peewee.DateTimeField()  # the server's clock, naive UTC
    late = peewee.BooleanField(default=False)
    # Grading: the teacher enters a percent, or picks a mark (kept to show it as picked).
    percent = peewee.FloatField(null=True)
    mark = peewee.IntegerField(null=True)
    graded_at = peewee.DateTimeField(null=True)
    graded_by = peewee.ForeignKeyField(
        User, null=True, backref="graded_submissions", on_delete="SET NULL"
    )
    locked = peewee.BooleanField(default=False)  # graded and not reopened: no resubmission
    feedback = peewee.TextField(default="")
    feedback_filename = peewee.CharField(max_length=255, default="")
    feedback_mime = peewee.CharField(max_length=100, default="")
    feedback_size = peewee.BigIntegerField(default=0)
    feedback_sha256 = peewee.CharField(max_length=64, null=True)

    class Meta:
        indexes = ((("assignment", "student"), True),)

    @property
    def graded(self) -> bool:
        return self.percent is not None

    @property
    def status(self) -> str:
        """submitted, graded, reopened (may resubmit) or resubmitted (needs grading again)."""
        if not self.graded:
            return "submitted"
        if self.locked:
            return "graded"
        return "resubmitted" if self.submitted_at > self.graded_at else "reopened"
