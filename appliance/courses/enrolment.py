"""Enrolling whole classes or single students in a course, and who is enrolled."""

from __future__ import annotations

from peewee import JOIN

from appliance.accounts.models import SchoolClass, User
from appliance.courses.access import require_edit
from appliance.courses.models import Course, Enrolment
from appliance.db import write
from appliance.errors import NotFound, ValidationError


def enrolments_of(course: Course) -> list[Enrolment]:
    """The course's live enrolments with their class and user, in one query."""
    Class, Student = SchoolClass.alias(), User.alias()
    query = (
        Enrolment.live()
        .select(Enrolment, Class, Student)
        .join(
            Class,
            on=(Enrolment.school_class == Class.id),
            join_type=JOIN.LEFT_OUTER,
            attr="school_class",
        )
        .switch(Enrolment)
        .join(Student, on=(Enrolment.user == Student.id), join_type=JOIN.LEFT_OUTER, attr="user")
        .where(Enrolment.course == course)
    )
    return list(query)


def set_classes(actor: User, course: Course, class_ids: list[str]) -> None:
    """Enrol exactly these classes: add the new ones, tombstone the unchecked ones."""
    require_edit(actor, course)
    wanted = set(class_ids)
    classes = {c.id for c in SchoolClass.live().where(SchoolClass.id.in_(list(wanted)))}
    if wanted - classes:
        raise ValidationError("Please choose classes from the list.", "classes")
    with write():
        current = {e.school_class_id: e for e in enrolments_of(course) if e.school_class_id}
        for class_id in wanted - current.keys():
            Enrolment(course=course, school_class=class_id).save()
        for class_id in current.keys() - wanted:
            current[class_id].tombstone()


def enrol_student(actor: User, course: Course, student_id: str) -> Enrolment:
    """Enrol one student (once) in the course."""
    require_edit(actor, course)
    student = User.live().where((User.id == student_id) & (User.role == "student")).first()
    if student is None:
        raise ValidationError("Please choose a student from the list.", "student")
    with write():
        for enrolment in enrolments_of(course):
            if enrolment.user_id == student.id:
                return enrolment
        enrolment = Enrolment(course=course, user=student)
        enrolment.save()
    return enrolment


def unenrol(actor: User, course: Course, enrolment_id: str) -> None:
    """Remove one enrolment (a class or a student) from the course."""
    require_edit(actor, course)
    enrolment = (
        Enrolment.live()
        .where((Enrolment.id == enrolment_id) & (Enrolment.course == course))
        .first()
    )
    if enrolment is None:
        raise NotFound("No such enrolment.")
    with write():
        enrolment.tombstone()


def enrolled_students(course: Course) -> list[User]:
    """Students enrolled through their class or alone, ordered by name, in one query."""
    enrolled = Enrolment.live().where(Enrolment.course == course)
    classes = enrolled.select(Enrolment.school_class).where(Enrolment.school_class.is_null(False))
    singles = enrolled.select(Enrolment.user).where(Enrolment.user.is_null(False))
    return list(
        User.live()
        .where((User.role == "student") & (User.school_class.in_(classes) | User.id.in_(singles)))
        .order_by(User.last_name, User.first_name, User.username)
    )
