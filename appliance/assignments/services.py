"""Assignment services: set and edit assignments, submit, grade, reopen. All changes go here.

Grading choice: the teacher either enters a percent (0–100) or picks a mark 2–5. The signal
``submission_graded`` always carries a percent and the journal converts it with its own
thresholds; a picked mark is sent as the middle of its band under the default thresholds
(``MARK_PERCENT``) and kept in ``Submission.mark`` so the teacher and student see the mark
that was picked.
"""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO

import peewee

from appliance.accounts.models import User
from appliance.assignments.filetypes import TYPES, check_type, parse_types
from appliance.assignments.models import Assignment, Submission
from appliance.content import ContentStore
from appliance.courses.access import can_edit, can_view
from appliance.courses.markdown import render
from appliance.courses.models import Course, Section
from appliance.courses.resources import open_upload, store_upload
from appliance.db import utcnow, write
from appliance.errors import Forbidden, NotFound, ValidationError
from appliance.signals import submission_graded

MB = 1024 * 1024
TITLE_MAX = 200
TEXT_MAX = 100_000
# Default journal thresholds: >=85 → 5, >=70 → 4, >=50 → 3, else 2; a picked mark → its band's middle.
MARK_PERCENT = {5: 100.0, 4: 77.5, 3: 60.0, 2: 25.0}


def clock() -> dt.datetime:
    """The server's clock (naive UTC); the PC's clock is never asked. Tests replace this."""
    return utcnow()


def _fields(
    course: Course,
    *,
    max_upload_mb: int,
    title: str,
    instructions_md: str = "",
    section_id: str | None = None,
    due_at: dt.datetime | None = None,
    allow_text: bool = True,
    allow_file: bool = False,
    max_file_mb=10,
    file_types: str = "",
) -> dict:
    """Validated assignment fields from raw input; names the field that is wrong."""
    title = (title or "").strip()
    if not title:
        raise ValidationError("Please enter a title.", "title")
    if len(title) > TITLE_MAX:
        raise ValidationError("The title must have at most %(n)s characters.", "title", n=TITLE_MAX)
    instructions_md = instructions_md or ""
    if len(instructions_md) > TEXT_MAX:
        raise ValidationError(
            "The instructions must have at most %(n)s characters.", "instructions", n=TEXT_MAX
        )
    section = None
    if section_id:
        section = Section.get_or_none(
            (Section.id == section_id) & (Section.course == course) & (Section.deleted == False)
        )  # noqa: E712
        if section is None:
            raise ValidationError("Please choose a section of this course.", "section")
    if not allow_text and not allow_file:
        raise ValidationError(
            "Allow text, a file or both as the way to submit.", "submission_types"
        )
    types = parse_types(file_types or "")
    try:
        max_file_mb = int(max_file_mb)
    except (TypeError, ValueError):
        if allow_file:
            raise ValidationError(
                "The file size limit must be a whole number of megabytes.", "max_file_mb"
            ) from None
        max_file_mb = 10  # not used while files are not allowed
    if allow_file:
        if not types:
            raise ValidationError("List the file types students may submit.", "file_types")
        if not 1 <= max_file_mb <= max_upload_mb:
            raise ValidationError(
                "The file size limit must be between 1 and %(max)s MB.",
                "max_file_mb",
                max=max_upload_mb,
            )
    return {
        "title": title,
        "instructions_md": instructions_md,
        "instructions_html": render(instructions_md),
        "section": section,
        "due_at": due_at,
        "allow_text": bool(allow_text),
        "allow_file": bool(allow_file),
        "max_file_mb": min(max(max_file_mb, 1), max_upload_mb),
        "file_types": ",".join(types),
    }


def create_assignment(actor: User, course: Course, *, max_upload_mb: int, **form) -> Assignment:
    """A teacher of the course sets a new assignment; ``form`` holds the fields ``_fields`` takes."""
    if not can_edit(actor, course):
        raise Forbidden("You may not change this course.")
    fields = _fields(course, max_upload_mb=max_upload_mb, **form)
    with write():
        last = (
            Assignment.select(peewee.fn.MAX(Assignment.position))
            .where(Assignment.course == course)
            .scalar()
        )
        assignment = Assignment(course=course, position=0 if last is None else last + 1, **fields)
        assignment.save()
    return assignment


def update_assignment(
    actor: User, assignment: Assignment, *, max_upload_mb: int, **form
) -> Assignment:
    """Change an assignment; submissions already made stay as they are (late flags too)."""
    _require_edit(actor, assignment)
    fields = _fields(assignment.course, max_upload_mb=max_upload_mb, **form)
    with write():
        for name, value in fields.items():
            setattr(assignment, name, value)
        assignment.save()
    return assignment


def delete_assignment(actor: User, assignment: Assignment) -> None:
    """Tombstone an assignment (its submissions stay in the database for the record)."""
    _require_edit(actor, assignment)
    with write():
        assignment.tombstone()


def _require_edit(actor: User, assignment: Assignment) -> None:
    if not can_edit(actor, assignment.course) or assignment.read_only_here:
        raise Forbidden("You may not change this course.")


def get_assignment(actor: User, assignment_id: str, edit: bool = False) -> Assignment:
    """A live assignment of a course the user may view (or edit); NotFound hides the rest."""
    assignment = (
        Assignment.select(Assignment, Course)
        .join(Course)
        .where((Assignment.id == assignment_id) & (Assignment.deleted == False))  # noqa: E712
        .first()
    )
    if assignment is None or not can_view(actor, assignment.course):
        raise NotFound("No such assignment.")
    if edit and not can_edit(actor, assignment.course):
        raise Forbidden("You may not change this course.")
    return assignment


def assignments_of(course: Course, section: Section | None = None) -> list[Assignment]:
    """A course's (or one section's) live assignments in order."""
    query = Assignment.live().where(Assignment.course == course)
    if section is not None:
        query = query.where(Assignment.section == section)
    return list(query.order_by(Assignment.position, Assignment.title))


def can_grade(actor: User, assignment: Assignment) -> bool:
    """Teachers who edit the course see and grade every submission."""
    return can_edit(actor, assignment.course)


def get_submission(actor: User, submission_id: str) -> Submission:
    """A submission the user may see: their own, or any in a course they teach."""
    submission = (
        Submission.select(Submission, Assignment)
        .join(Assignment)
        .where((Submission.id == submission_id) & ~Submission.deleted & ~Assignment.deleted)
        .first()
    )
    if submission is None:
        raise NotFound("No such submission.")
    assignment = submission.assignment
    own = submission.student_id == actor.id and can_view(actor, assignment.course)
    if not (own or can_grade(actor, assignment)):
        raise NotFound("No such submission.")
    return submission


def submission_of(student: User, assignment: Assignment) -> Submission | None:
    """The student's live submission to the assignment, if any."""
    return Submission.get_or_none(
        (Submission.assignment == assignment)
        & (Submission.student == student)
        & (Submission.deleted == False)
    )  # noqa: E712


def submissions_of(assignment: Assignment) -> list[Submission]:
    """Every live submission with its student, in one query."""
    return list(
        Submission.select(Submission, User)
        .join(User, on=(Submission.student == User.id))
        .where((Submission.assignment == assignment) & (Submission.deleted == False))  # noqa: E712
        .order_by(User.last_name, User.first_name, User.username)
    )


def _store_upload(
    stream: BinaryIO, filename: str, allowed: list[str], max_mb: int, store: ContentStore
) -> dict:
    """Check and store an uploaded file; returns its name, MIME, size and sha256."""
    filename, head = open_upload(stream, filename)
    filetype = check_type(filename, head, allowed)
    sha256, size = store_upload(store, head, stream, max_mb)
    return {"filename": filename, "mime": filetype.mime, "size": size, "sha256": sha256}


def submit(
    student: User,
    assignment: Assignment,
    *,
    store: ContentStore,
    text: str = "",
    stream: BinaryIO | None = None,
    filename: str = "",
) -> Submission:
    """Hand in (or replace, until graded) a student's text and/or file; late by the server's clock."""
    if student.role != "student" or not can_view(student, assignment.course) or assignment.deleted:
        raise Forbidden("Only students of this course can submit.")
    existing = submission_of(student, assignment)
    if existing is not None and existing.locked:
        raise ValidationError("This submission was graded; it can no longer be changed.", "file")
    text = (text or "").strip() if assignment.allow_text else ""
    if len(text) > TEXT_MAX:
        raise ValidationError("The text must have at most %(n)s characters.", "text", n=TEXT_MAX)
    has_file = assignment.allow_file and stream is not None and bool(filename)
    kept_file = existing is not None and existing.sha256 and assignment.allow_file
    if not text and not has_file and not kept_file:
        raise ValidationError("Write an answer or choose a file to submit.", "text")
    file_fields = (
        _store_upload(stream, filename, assignment.file_type_list, assignment.max_file_mb, store)
        if has_file
        else {}
    )
    now = clock()
    with write():
        submission = existing or Submission(assignment=assignment, student=student)
        submission.text = text
        for name, value in file_fields.items():
            setattr(submission, name, value)
        submission.submitted_at = now
        submission.late = assignment.due_at is not None and now > assignment.due_at
        submission.save()
    return submission


def _percent(percent, mark) -> tuple[float, int | None]:
    """The percent to record from a percent or a picked mark (exactly one of them)."""
    percent = None if percent in (None, "") else percent
    mark = None if mark in (None, "") else mark
    if (percent is None) == (mark is None):
        raise ValidationError("Enter a percent or pick a mark (one of them).", "percent")
    if mark is not None:
        try:
            mark = int(mark)
        except (TypeError, ValueError):
            mark = None
        if mark not in MARK_PERCENT:
            raise ValidationError("The mark must be 2, 3, 4 or 5.", "mark")
        return MARK_PERCENT[mark], mark
    try:
        value = float(str(percent).replace(",", "."))
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        raise ValidationError("The percent must be a number from 0 to 100.", "percent")
    return value, None


def grade(
    teacher: User,
    submission: Submission,
    *,
    store: ContentStore,
    max_upload_mb: int,
    percent=None,
    mark=None,
    feedback: str = "",
    feedback_stream: BinaryIO | None = None,
    feedback_filename: str = "",
) -> Submission:
    """Record a mark and feedback, lock the submission and tell the journal (same transaction)."""
    assignment = submission.assignment
    if not can_grade(teacher, assignment) or submission.read_only_here:
        raise Forbidden("You may not grade this submission.")
    value, picked = _percent(percent, mark)
    feedback = (feedback or "").strip()
    if len(feedback) > TEXT_MAX:
        raise ValidationError(
            "The feedback must have at most %(n)s characters.", "feedback", n=TEXT_MAX
        )
    file_fields = {}
    if feedback_stream is not None and feedback_filename:
        stored = _store_upload(
            feedback_stream, feedback_filename, list(TYPES), max_upload_mb, store
        )
        file_fields = {"feedback_" + name: value for name, value in stored.items()}
    now = clock()
    # The journal's receiver writes inside this transaction: the mark and the grade commit together.
    with write():
        submission.percent, submission.mark = value, picked
        submission.feedback = feedback
        for name, field_value in file_fields.items():
            setattr(submission, name, field_value)
        submission.graded_at = now
        submission.graded_by = teacher
        submission.locked = True
        submission.save()
        submission_graded.send(
            assignment,
            course_id=assignment.course_id,
            student_id=submission.student_id,
            item_id=assignment.id,
            item_title=assignment.title,
            item_kind="assignment",
            percent=value,
            when=now,
        )
    return submission


def reopen(teacher: User, submission: Submission) -> Submission:
    """Let the student resubmit a graded submission (the grade stays until it is graded again)."""
    if not can_grade(teacher, submission.assignment) or submission.read_only_here:
        raise Forbidden("You may not grade this submission.")
    with write():
        submission.locked = False
        submission.save(only=[Submission.locked])
    return submission
