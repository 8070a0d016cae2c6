"""Teachers' pages about who takes a course: enrolment and the progress table."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.accounts import services as accounts
from appliance.courses import enrolment, progress
from appliance.courses.access import get_course
from appliance.errors import ValidationError
from web.auth.session import current_user, login_required
from web.courses.routes import bp, form_error


@bp.route("/courses/<course_id>/enrol", methods=["GET", "POST"])
@login_required
def enrol(course_id):
    me = current_user()
    course = get_course(me, course_id, edit=True)
    context = {}
    if request.method == "POST":
        action = request.form.get("action")
        try:
            if action == "classes":
                enrolment.set_classes(me, course, request.form.getlist("classes"))
            elif action == "student":
                enrolment.enrol_student(me, course, request.form.get("student", ""))
            elif action == "remove":
                enrolment.unenrol(me, course, request.form.get("enrolment", ""))
            flash(_("Enrolment saved."), "ok")
            return redirect(url_for("courses.enrol", course_id=course.id))
        except ValidationError as exc:
            context = form_error(exc)
    rows = enrolment.enrolments_of(course)
    return render_template(
        "courses/enrol.html",
        course=course,
        classes=accounts.list_classes(),
        enrolled_classes={e.school_class_id for e in rows if e.school_class_id},
        singles=[e for e in rows if e.user_id],
        students=accounts.list_users("student"),
        **context,
    ), 400 if context else 200


@bp.route("/courses/<course_id>/progress")
@login_required
def course_progress(course_id):
    me = current_user()
    course = get_course(me, course_id, edit=True)
    return render_template(
        "courses/progress.html", course=course, **progress.course_table(me, course)
    )
