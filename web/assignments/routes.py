"""Assignment pages: set and edit, submit, the teacher's table, grading and downloads."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from appliance.accounts.models import SchoolClass
from appliance.assignments import archive, services
from appliance.assignments.filetypes import TYPES
from appliance.courses.access import can_edit, get_course
from appliance.courses.enrolment import enrolled_students
from appliance.courses.services import sections_of
from appliance.errors import ValidationError
from appliance.localtime import from_input, to_input
from web.assignments import bp
from web.auth.session import current_user, login_required
from web.courses.routes import form_page
from web.errors import error_message


def _tz():
    return current_app.extensions["school_tz"]


def _store():
    return current_app.extensions["content_store"]


def _limit() -> int:
    return current_app.config["MEKTEP"].max_upload_mb


def _upload(name: str):
    """The stream and file name of an upload field; no stream when no file was chosen."""
    upload = request.files.get(name)
    stream = upload.stream if upload and upload.filename else None
    return stream, upload.filename if upload else ""


@bp.app_template_global()
def section_assignments(section) -> list:
    """A section's assignments, for ``assignments/_section_list.html`` on the course page."""
    return services.assignments_of(section.course, section)


@bp.app_template_global()
def assignments_editable(course) -> bool:
    """Whether the logged-in user may set assignments in the course."""
    user = current_user()
    return bool(user) and can_edit(user, course)


def _form_values(assignment=None) -> dict:
    """What the form shows: posted values, else the assignment's, else defaults."""
    if request.method == "POST":
        form = request.form
        return {
            "title": form.get("title", ""),
            "instructions_md": form.get("instructions", ""),
            "section_id": form.get("section", ""),
            "due_at": form.get("due_at", ""),
            "allow_text": bool(form.get("allow_text")),
            "allow_file": bool(form.get("allow_file")),
            "max_file_mb": form.get("max_file_mb", ""),
            "file_types": form.get("file_types", ""),
        }
    if assignment is None:
        return {
            "title": "",
            "instructions_md": "",
            "section_id": request.args.get("section", ""),
            "due_at": "",
            "allow_text": True,
            "allow_file": False,
            "max_file_mb": min(10, _limit()),
            "file_types": "pdf,docx,jpg,png",
        }
    due = assignment.due_at
    return {
        "title": assignment.title,
        "instructions_md": assignment.instructions_md,
        "section_id": assignment.section_id or "",
        "due_at": to_input(due, _tz()),
        "allow_text": assignment.allow_text,
        "allow_file": assignment.allow_file,
        "max_file_mb": assignment.max_file_mb,
        "file_types": assignment.file_types,
    }


def _edit_page(course, assignment=None):
    """Show and save the new-assignment or edit-assignment form."""
    values = _form_values(assignment)
    page = {
        "course": course,
        "assignment": assignment,
        "form": values,
        "sections": sections_of(course),
        "limit": _limit(),
        "known_types": ", ".join(TYPES),
    }

    def save():
        fields = dict(values, due_at=from_input(values["due_at"], _tz(), "due_at"))
        if assignment is None:
            saved = services.create_assignment(
                current_user(), course, max_upload_mb=_limit(), **fields
            )
        else:
            saved = services.update_assignment(
                current_user(), assignment, max_upload_mb=_limit(), **fields
            )
        return url_for("assignments.view", assignment_id=saved.id)

    return form_page("assignments/form.html", page, save, _("Assignment saved."))


@bp.route("/courses/<course_id>/assignments")
@login_required
def course_list(course_id):
    user = current_user()
    course = get_course(user, course_id)
    return render_template(
        "assignments/list.html",
        course=course,
        assignments=services.assignments_of(course),
        editable=can_edit(user, course),
    )


@bp.route("/courses/<course_id>/assignments/new", methods=["GET", "POST"])
@login_required
def new(course_id):
    return _edit_page(get_course(current_user(), course_id, edit=True))


@bp.route("/assignments/<assignment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(assignment_id):
    assignment = services.get_assignment(current_user(), assignment_id, edit=True)
    return _edit_page(assignment.course, assignment)


@bp.route("/assignments/<assignment_id>/delete", methods=["POST"])
@login_required
def delete(assignment_id):
    assignment = services.get_assignment(current_user(), assignment_id, edit=True)
    services.delete_assignment(current_user(), assignment)
    flash(_("The assignment '%(title)s' was removed.", title=assignment.title), "ok")
    return redirect(url_for("assignments.course_list", course_id=assignment.course_id))


@bp.route("/assignments/<assignment_id>")
@login_required
def view(assignment_id, error: str | None = None, text: str | None = None):
    user = current_user()
    assignment = services.get_assignment(user, assignment_id)
    submission = services.submission_of(user, assignment)
    return render_template(
        "assignments/view.html",
        assignment=assignment,
        course=assignment.course,
        submission=submission,
        error=error,
        text=text if text is not None else (submission.text if submission else ""),
        teacher=services.can_grade(user, assignment),
        may_submit=user.role == "student" and not (submission and submission.locked),
        overdue=assignment.due_at is not None and services.clock() > assignment.due_at,
    )


@bp.route("/assignments/<assignment_id>/submit", methods=["POST"])
@login_required
def submit(assignment_id):
    user = current_user()
    assignment = services.get_assignment(user, assignment_id)
    stream, filename = _upload("file")
    try:
        services.submit(
            user,
            assignment,
            store=_store(),
            text=request.form.get("text", ""),
            stream=stream,
            filename=filename,
        )
    except ValidationError as exc:
        return view(assignment_id, error=error_message(exc), text=request.form.get("text", "")), 400
    flash(_("Your work was submitted."), "ok")
    return redirect(url_for("assignments.view", assignment_id=assignment.id))


@bp.route("/assignments/<assignment_id>/submissions")
@login_required
def table(assignment_id):
    assignment = services.get_assignment(current_user(), assignment_id, edit=True)
    by_student = {s.student_id: s for s in services.submissions_of(assignment)}
    students = enrolled_students(assignment.course)
    # Someone who submitted and was unenrolled later still appears.
    enrolled = {s.id for s in students}
    rows = [(s, by_student.get(s.id)) for s in students]
    rows += [(s.student, s) for s in by_student.values() if s.student_id not in enrolled]
    classes = {c.id: c.name for c in SchoolClass.select(SchoolClass.id, SchoolClass.name)}
    return render_template(
        "assignments/submissions.html",
        assignment=assignment,
        course=assignment.course,
        rows=rows,
        submitted=len(by_student),
        classes=classes,
    )


@bp.route("/assignments/<assignment_id>/submissions.zip")
@login_required
def download_all(assignment_id):
    assignment = services.get_assignment(current_user(), assignment_id, edit=True)
    try:
        out = archive.write_archive(assignment, _store())
    except ValidationError as exc:
        flash(error_message(exc), "error")
        return redirect(url_for("assignments.table", assignment_id=assignment.id))
    name = archive.safe_part(assignment.title, "assignment") + ".zip"
    return send_file(out, mimetype="application/zip", as_attachment=True, download_name=name)


@bp.route("/submissions/<submission_id>", methods=["GET", "POST"])
@login_required
def grade(submission_id):
    user = current_user()
    submission = services.get_submission(user, submission_id)
    assignment = submission.assignment
    if not services.can_grade(user, assignment):
        return redirect(url_for("assignments.view", assignment_id=assignment.id))
    page = {
        "submission": submission,
        "assignment": assignment,
        "course": assignment.course,
        "marks": sorted(services.MARK_PERCENT, reverse=True),
    }
    if request.method == "GET":
        previous = {
            "feedback": submission.feedback,
            "mark": str(submission.mark or ""),
            "percent": ""
            if submission.mark or not submission.graded
            else f"{submission.percent:g}",
        }
        return render_template("assignments/grade.html", form=previous, **page)
    form = request.form
    feedback_stream, feedback_filename = _upload("feedback_file")
    try:
        services.grade(
            user,
            submission,
            store=_store(),
            max_upload_mb=_limit(),
            percent=form.get("percent", "").strip(),
            mark=form.get("mark", ""),
            feedback=form.get("feedback", ""),
            feedback_stream=feedback_stream,
            feedback_filename=feedback_filename,
        )
    except ValidationError as exc:
        return render_template(
            "assignments/grade.html",
            form=form,
            error=error_message(exc),
            error_field=exc.field,
            **page,
        ), 400
    flash(_("The grade was saved."), "ok")
    return redirect(url_for("assignments.table", assignment_id=assignment.id))


@bp.route("/submissions/<submission_id>/reopen", methods=["POST"])
@login_required
def reopen(submission_id):
    submission = services.get_submission(current_user(), submission_id)
    services.reopen(current_user(), submission)
    flash(_("The student may submit again."), "ok")
    return redirect(url_for("assignments.grade", submission_id=submission.id))


def _send_stored(sha256: str | None, filename: str, mime: str):
    if not sha256:
        abort(404)
    path = _store().path_for(sha256)
    if not path.exists():
        abort(404)
    # Always a download: a student's file is never rendered in the teacher's browser.
    response = send_file(
        path,
        mimetype=mime or "application/octet-stream",
        as_attachment=True,
        download_name=filename,
        conditional=True,
        etag=sha256,
    )
    response.cache_control.private = True
    return response


@bp.route("/submissions/<submission_id>/file")
@login_required
def file(submission_id):
    s = services.get_submission(current_user(), submission_id)
    return _send_stored(s.sha256, s.filename, s.mime)


@bp.route("/submissions/<submission_id>/feedback-file")
@login_required
def feedback_file(submission_id):
    s = services.get_submission(current_user(), submission_id)
    return _send_stored(s.feedback_sha256, s.feedback_filename, s.feedback_mime)
