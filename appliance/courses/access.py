"""Who may see and edit which course."""

from __future__ import annotations

from appliance.accounts.models import User
from appliance.courses.models import Course, Enrolment


def courses_for(user: User):
    """The courses on the user's start page: a student's enrolled, a teacher's own, an admin's all."""
    query = Course.live()
    if user.is_admin:
        return query.order_by(Course.title)
    if user.role == "teacher":
        return query.where(Course.owner == user).order_by(Course.title)
    enrolled = Enrolment.live().where(
        (Enrolment.user == user)
        | ((Enrolment.school_class == user.school_class) & Enrolment.school_class.is_null(False))
    ).select(Enrolment.course)
    return query.where(Course.id.in_(enrolled)).order_by(Course.title)


def can_view(user: User, course: Course) -> bool:
    if course.deleted:
        return False
    if user.is_admin or (user.role == "teacher"):
        return True
    return courses_for(user).where(Course.id == course.id).exists()


def can_edit(user: User, course: Course) -> bool:
    """Teachers edit only their own courses, admins any; national courses are read-only here."""
    if course.deleted or course.read_only_here:
        return False
    return user.is_admin or (user.role == "teacher" and course.owner_id == user.id)
