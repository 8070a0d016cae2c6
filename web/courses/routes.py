"""Course pages: the start page, the catalogue, a course, its edit form, sections and copies."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.assignments.services import assignments_of
from appliance.courses import services
from appliance.courses.access import can_edit, courses_for, get_course
from appliance.courses.copying import copy_course
from appliance.courses.models import LANGUAGES, Course
from appliance.courses.resources import resources_by_section
from appliance.courses.search import search_courses
from appliance.errors import ValidationError
from web.auth.session import current_user, login_required, role_required
from web.errors import error_message

bp = Blueprint("courses", __name__)


def form_error(exc: ValidationError) -> dict:
    """Template context that shows a validation error beside the form."""
    return {"error": error_message(exc), "error_field": exc.field}


@bp.route("/")
def home():
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login"))
    return render_template("courses/home.html", courses=list(courses_for(user)))


@bp.route("/catalogue")
@login_required
def catalogue():
    q = request.args.get("q", "").strip()
    grade = request.args.get("grade", type=int)
    language = request.args.get("language", "")
    language = language if language in LANGUAGES else ""
    national = request.args.get("national") == "1"
    courses = search_courses(current_user(), q, grade, language, national).select(
        Course.id,
        Course.title,
        Course.subject,
        Course.grade,
        Course.language,
        Course.origin,
        Course.description,
    )
    filters = {"grade": grade, "language": language, "national": national}
    return render_template(
        "courses/catalogue.html", courses=list(courses), q=q, filters=filters, languages=LANGUAGES
    )


def form_page(template: str, context: dict, save, saved_message: str):
    """GET shows the form; POST calls ``save()`` (which returns where to go next) or shows
    the form again with the error, nothing saved."""
    if request.method == "POST":
        try:
            target = save()
        except ValidationError as exc:
            return render_template(template, **context, **form_error(exc)), 400
        flash(saved_message, "ok")
        return redirect(target)
    return render_template(template, **context)


def _course_form(course=None):
    """Show and save the new-course or edit-course form."""
    me = current_user()
    form = request.form
    context = {
        "course": course,
        "form": form if request.method == "POST" else course,
        "languages": LANGUAGES,
    }

    def save():
        fields = {
            name: form.get(name, "")
            for name in ("title", "description", "subject", "grade", "language")
        }
        if course is None:
            saved = services.create_course(me, **fields)
        else:
            saved = services.update_course(me, course, **fields)
        return url_for("courses.course", course_id=saved.id)

    return form_page("courses/course_form.html", context, save, _("Course saved."))


@bp.route("/courses/new", methods=["GET", "POST"])
@role_required("teacher", "admin")
def new_course():
    return _course_form()


@bp.route("/courses/<course_id>/edit", methods=["GET", "POST"])
@login_required
def edit_course(course_id):
    return _course_form(get_course(current_user(), course_id, edit=True))


@bp.route("/courses/<course_id>")
@login_required
def course(course_id):
    me = current_user()
    course = get_course(me, course_id)
    sections = services.sections_of(course)
    by_section = {section.id: [] for section in sections}
    for lesson in services.ordered_lessons(course):
        by_section[lesson.section_id].append(lesson)
    assignments = {}
    for assignment in assignments_of(course):
        assignments.setdefault(assignment.section_id, []).append(assignment)
    # Grouped here in one query each, so a section's files and assignments cost no query of their own.
    return render_template(
        "courses/course.html",
        course=course,
        sections=sections,
        lessons=by_section,
        editable=can_edit(me, course),
        resources_by_section=resources_by_section(course),
        assignments_by_section=assignments,
    )


@bp.route("/courses/<course_id>/delete", methods=["POST"])
@login_required
def delete_course(course_id):
    me = current_user()
    services.delete_course(me, get_course(me, course_id, edit=True))
    flash(_("Course deleted."), "ok")
    return redirect(url_for("courses.home"))


@bp.route("/courses/<course_id>/copy", methods=["POST"])
@role_required("teacher", "admin")
def copy(course_id):
    me = current_user()
    new = copy_course(me, get_course(me, course_id))
    flash(_("This is your copy of the course; you can change it."), "ok")
    return redirect(url_for("courses.course", course_id=new.id))


@bp.route("/courses/<course_id>/sections", methods=["GET", "POST"])
@login_required
def sections(course_id):
    me = current_user()
    course = get_course(me, course_id, edit=True)
    context = {}
    if request.method == "POST":
        try:
            services.add_section(me, course, request.form.get("title", ""))
            return redirect(url_for("courses.sections", course_id=course.id))
        except ValidationError as exc:
            context = form_error(exc)
    return render_template(
        "courses/sections.html", course=course, sections=services.sections_of(course), **context
    ), 400 if context else 200


@bp.route("/courses/<course_id>/sections/<section_id>", methods=["POST"])
@login_required
def section_action(course_id, section_id):
    """Rename, move or delete a section (the button pressed says which)."""
    me = current_user()
    course = get_course(me, course_id, edit=True)
    section = services.get_section(course, section_id)
    action = request.form.get("action")
    try:
        if action == "rename":
            services.rename_section(me, section, request.form.get("title", ""))
        elif action in ("up", "down"):
            services.move_section(me, section, action)
        elif action == "delete":
            services.delete_section(me, section)
    except ValidationError as exc:
        return render_template(
            "courses/sections.html",
            course=course,
            sections=services.sections_of(course),
            **form_error(exc),
        ), 400
    return redirect(url_for("courses.sections", course_id=course.id))


# These modules add their routes to bp.
from web.courses import files, glossary, lessons, progress  # noqa: E402,F401
