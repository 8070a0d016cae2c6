"""Journal models. All replicated: marks, attendance and their audit log go to the hub."""

from __future__ import annotations

import peewee

from appliance.accounts.models import SchoolClass, User
from appliance.courses.models import Course
from appliance.replication import Replicated

COLUMN_KINDS = ("lesson", "manual", "quiz", "assignment")
ATTENDANCE = ("absent", "late", "excused")  # blank means present
PERIODS = ("q1", "q2", "q3", "q4", "year")


class JournalSettings(Replicated):
    """The school's marking rules: scale, whether 1 is allowed, rounding, percent thresholds."""

    scale = peewee.CharField(max_length=4, default="5")
    allow_one = peewee.BooleanField(default=False)
    rounding = peewee.CharField(max_length=16, default="half_up")
    thresholds = peewee.TextField(default="")  # JSON {"5": [[85, 5], ...], "10": [...]}

    class Meta:
        table_name = "journal_settings"


class SchoolYear(Replicated):
    """A school year (such as 2025–2026) with its start and end dates."""

    name = peewee.CharField(max_length=40)
    start = peewee.DateField()
    end = peewee.DateField()

    class Meta:
        table_name = "school_year"


class Quarter(Replicated):
    """One of the four quarters of a school year."""

    year = peewee.ForeignKeyField(SchoolYear, backref="quarters", on_delete="CASCADE")
    number = peewee.IntegerField()
    start = peewee.DateField()
    end = peewee.DateField()


class JournalColumn(Replicated):
    """A column of a class's journal in a course: a dated lesson or a graded item."""

    course = peewee.ForeignKeyField(Course, backref="journal_columns", on_delete="CASCADE")
    school_class = peewee.ForeignKeyField(
        SchoolClass, backref="journal_columns", on_delete="CASCADE"
    )
    kind = peewee.CharField(max_length=16)
    date = peewee.DateField(index=True)
    title = peewee.CharField(max_length=200, default="")
    item_id = peewee.CharField(max_length=36, null=True, index=True)  # quiz or assignment

    class Meta:
        table_name = "journal_column"


class Mark(Replicated):
    """A student's mark in a column: the automatic one and the teacher's, kept apart."""

    column = peewee.ForeignKeyField(JournalColumn, backref="marks", on_delete="CASCADE")
    student = peewee.ForeignKeyField(User, backref="journal_marks", on_delete="CASCADE")
    auto_value = peewee.IntegerField(null=True)
    auto_percent = peewee.FloatField(null=True)
    manual_value = peewee.IntegerField(null=True)

    class Meta:
        indexes = ((("column", "student"), True),)

    @property
    def value(self) -> int | None:
        """What counts: the teacher's mark wins over the automatic one."""
        return self.manual_value if self.manual_value is not None else self.auto_value

    @property
    def overridden(self) -> bool:
        return self.manual_value is not None and self.auto_value is not None


class Attendance(Replicated):
    """A student's attendance at a lesson column; a blank status means present."""

    column = peewee.ForeignKeyField(JournalColumn, backref="attendance", on_delete="CASCADE")
    student = peewee.ForeignKeyField(User, backref="attendance", on_delete="CASCADE")
    status = peewee.CharField(max_length=16, default="")

    class Meta:
        indexes = ((("column", "student"), True),)


class PeriodMark(Replicated):
    """A teacher's override of a computed quarter or year mark (the computed one is not stored)."""

    course = peewee.ForeignKeyField(Course, on_delete="CASCADE")
    school_class = peewee.ForeignKeyField(SchoolClass, on_delete="CASCADE")
    student = peewee.ForeignKeyField(User, on_delete="CASCADE")
    year = peewee.ForeignKeyField(SchoolYear, on_delete="CASCADE")
    period = peewee.CharField(max_length=8)
    value = peewee.IntegerField(null=True)

    class Meta:
        table_name = "period_mark"
        indexes = ((("course", "student", "year", "period"), True),)


class AuditEntry(Replicated):
    """One change of a mark or attendance entry; append-only and hash-chained per origin."""

    position = peewee.BigIntegerField()  # the origin's local sequence number: order by this
    at = peewee.DateTimeField()  # for display only (school clocks are wrong)
    actor_id = peewee.CharField(max_length=36, null=True)
    actor_name = peewee.CharField(max_length=200, default="")
    object_type = peewee.CharField(max_length=32)
    object_id = peewee.CharField(max_length=36)
    student_id = peewee.CharField(max_length=36, index=True)
    column_id = peewee.CharField(max_length=36, null=True, index=True)
    field = peewee.CharField(max_length=32)
    old = peewee.CharField(max_length=32, default="")
    new = peewee.CharField(max_length=32, default="")
    reason = peewee.CharField(max_length=500, default="")
    prev_hash = peewee.CharField(max_length=64)
    hash = peewee.CharField(max_length=64)

    class Meta:
        table_name = "audit_entry"
        indexes = ((("origin", "position"), True),)

    def save(self, force_insert: bool = False, only=None):
        """Insert once; an audit entry is never changed afterwards."""
        if self._persisted and not getattr(self, "_replicating", False):
            raise PermissionError("audit entries are append-only")
        return super().save(force_insert=force_insert, only=only)

    def tombstone(self) -> None:
        raise PermissionError("audit entries are append-only")
