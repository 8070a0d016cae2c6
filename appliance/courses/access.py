"""Who may see and edit which course."""

from __future__ import annotations

from appliance.accounts.models import User
from appliance.courses.models import Course, Enrolment
from appliance.errors import Forbidden, NotFound


def _enrolled_course_ids(user: User):
    """A subquery of the course ids the student is enrolled in (via the class or alone)."""
    return (
        Enrolment.live()
        .where(
            (Enrolment.user == user)
            | (
                (Enrolment.school_class == user.school_class)
                & Enrolment.school_class.is_null(False)
            )
        )
        .select(Enrolment.course)
    )


def courses_for(user: User):
    """The courses on the user's start page: a student's enrolled, a teacher's own, an admin's all."""
    query = Course.live()
    if user.is_admin:
        return query.order_by(Course.title)
    if user.role == "teacher":
        return query.where(Course.owner == user).order_by(Course.title)
    return query.where(Course.id.in_(_enrolled_course_ids(user))).order_by(Course.title)


def visible_courses(user: User):
    """Every course the user may open: teachers and admins see all, students their enrolled."""
    if user.is_teacher:
        return Course.live().order_by(Course.title)
    return courses_for(user)


def can_view(user: User, course: Course) -> bool:
    """Teachers and admins view every live course; students only those they are enrolled in."""
    if course.deleted:
        return False
    if user.is_teacher:
        return True
    return courses_for(user).where(Course.id == course.id).exists()


def can_edit(user: User, course: Course) -> bool:
    """Teachers edit only their own courses, admins any; national courses are read-only here."""
    if course.deleted or course.read_only_here:
        return False
    return user.is_admin or (user.role == "teacher" and course.owner_id == user.id)


def require_edit(user: User, course: Course) -> None:
    """Raise Forbidden unless the user may change the course."""
    if not can_edit(user, course):
        raise Forbidden("You may not change this course.")


def get_course(user: User, course_id: str, edit: bool = False) -> Course:
    """The course when the user may view (or, with ``edit``, change) it; raises otherwise."""
    course = Course.get_or_none((Course.id == course_id) & (Course.deleted == False))  # noqa: E712
    # A student does not learn that a course they are not enrolled in exists.
    if course is None or not can_view(user, course):
        raise NotFound("No such course.")
    if edit:
        require_edit(user, course)
    return course
