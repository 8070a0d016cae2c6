"""Importing GIFT or Moodle XML into the question bank: upload → preview → import."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from appliance.courses.access import get_course
from appliance.errors import ValidationError
from appliance.quizzes import bank, importing
from appliance.quizzes.moodle_xml import MAX_BYTES
from web.auth.session import current_user, login_required
from web.errors import error_message
from web.quizzes import bp
from web.quizzes.bank import TYPE_LABELS

SESSION_KEY = "quiz_import"


def _store():
    return current_app.extensions["content_store"]


def _parse(data: bytes, filename: str, file_format: str | None):
    questions, errors, file_format = importing.parse_file(data, filename, file_format or None)
    valid, problems = importing.check(questions)
    errors = sorted(list(errors) + problems, key=lambda e: e.line or 0)
    return questions, valid, errors, file_format


def _form(course, **context):
    return render_template(
        "quizzes/import.html", course=course, categories=bank.categories_of(course), **context
    )


@bp.route("/courses/<course_id>/questions/import", methods=["GET", "POST"])
@login_required
def import_questions(course_id):
    course = get_course(current_user(), course_id, edit=True)
    bank.default_category(course)
    if request.method == "GET":
        return _form(course)
    upload = request.files.get("file")
    data = upload.read(MAX_BYTES + 1) if upload else b""
    try:
        category = bank.get_category(course, request.form.get("category", ""))
        questions, valid, errors, file_format = _parse(
            data, upload.filename if upload else "", request.form.get("format")
        )
    except ValidationError as exc:
        return _form(course, error=error_message(exc)), 400
    # The file waits in the content store; the session says which one this teacher uploaded,
    # so the confirm form cannot name someone else's file.
    sha256, _size = _store().put_bytes(data)
    session[SESSION_KEY] = {
        "sha256": sha256,
        "course": course.id,
        "format": file_format,
        "name": upload.filename,
    }
    return render_template(
        "quizzes/import_preview.html",
        course=course,
        category=category,
        questions=questions,
        valid=valid,
        errors=errors,
        file_format=file_format,
        type_labels=TYPE_LABELS,
        filename=upload.filename,
    )


@bp.route("/courses/<course_id>/questions/import/confirm", methods=["POST"])
@login_required
def confirm_import(course_id):
    me = current_user()
    course = get_course(me, course_id, edit=True)
    pending = session.get(SESSION_KEY) or {}
    if pending.get("course") != course.id or pending.get("sha256") != request.form.get("file"):
        flash(_("The upload was not found; please upload the file again."), "error")
        return redirect(url_for("quizzes.import_questions", course_id=course.id))
    data = _store().path_for(pending["sha256"]).read_bytes()
    try:
        category = bank.get_category(course, request.form.get("category", ""))
        _questions, valid, errors, _fmt = _parse(data, pending["name"], pending["format"])
        if errors and request.form.get("mode") != "valid":
            raise ValidationError(
                "The file has errors; nothing was imported. Correct the file, "
                "or choose to import only the valid questions.",
                "file",
            )
        created = importing.import_questions(
            me,
            category,
            valid,
            store=_store(),
            max_mb=current_app.config["MEKTEP"].max_upload_mb,
            resource_url=lambda r: url_for(
                "courses.file_bytes", course_id=course.id, resource_id=r.id
            ),
        )
    except ValidationError as exc:
        return _form(course, error=error_message(exc)), 400
    session.pop(SESSION_KEY, None)
    flash(_("%(n)s question(s) imported.", n=len(created)), "ok")
    return redirect(url_for("quizzes.question_bank", course_id=course.id))
