"""Quiz pages for teachers: the course's quiz list, the settings form, the quiz's questions."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.courses.access import can_edit, get_course
from appliance.errors import ValidationError
from appliance.localtime import from_input
from appliance.quizzes import bank, quizzes
from appliance.quizzes.models import GRADING_METHODS, REVIEW_ITEMS
from web.auth.session import current_user, login_required
from web.courses.routes import form_page
from web.errors import error_message
from web.quizzes import bp
from web.quizzes.bank import TYPE_LABELS


def _form_dict(form) -> dict:
    data = {key: form.get(key) for key in form}
    tz = current_app.extensions["school_tz"]
    for key in ("open_at", "close_at"):  # entered in the school's time, stored as UTC
        data[key] = from_input(form.get(key), tz, key)
    for key in ("review_after_submit", "review_after_close"):
        data[key] = form.getlist(key)
    return data


@bp.route("/courses/<course_id>/quizzes")
@login_required
def course_quizzes(course_id):
    me = current_user()
    course = get_course(me, course_id)
    rows = quizzes.quizzes_of(me, course)
    return render_template(
        "quizzes/list.html",
        course=course,
        quizzes=rows,
        editable=can_edit(me, course),
        is_open=quizzes.is_open,
    )


def _settings_form(course, quiz=None):
    me = current_user()
    context = {
        "course": course,
        "quiz": quiz,
        "methods": GRADING_METHODS,
        "review_items": REVIEW_ITEMS,
        "form": request.form if request.method == "POST" else None,
    }

    def save():
        data = _form_dict(request.form)
        if quiz is None:
            saved = quizzes.create_quiz(me, course, data)
        else:
            saved = quizzes.update_quiz(me, quiz, data)
        return url_for("quizzes.quiz_questions", course_id=course.id, quiz_id=saved.id)

    return form_page("quizzes/quiz_form.html", context, save, _("Quiz saved."))


@bp.route("/courses/<course_id>/quizzes/new", methods=["GET", "POST"])
@login_required
def new_quiz(course_id):
    return _settings_form(get_course(current_user(), course_id, edit=True))


@bp.route("/courses/<course_id>/quizzes/<quiz_id>/edit", methods=["GET", "POST"])
@login_required
def edit_quiz(course_id, quiz_id):
    quiz = quizzes.get_quiz(current_user(), course_id, quiz_id, edit=True)
    return _settings_form(quiz.course, quiz)


@bp.route("/courses/<course_id>/quizzes/<quiz_id>/delete", methods=["POST"])
@login_required
def delete_quiz(course_id, quiz_id):
    quiz = quizzes.get_quiz(current_user(), course_id, quiz_id, edit=True)
    quizzes.delete_quiz(current_user(), quiz)
    flash(_("Quiz deleted."), "ok")
    return redirect(url_for("quizzes.course_quizzes", course_id=course_id))


@bp.route("/courses/<course_id>/quizzes/<quiz_id>/questions", methods=["GET", "POST"])
@login_required
def quiz_questions(course_id, quiz_id):
    me = current_user()
    quiz = quizzes.get_quiz(me, course_id, quiz_id, edit=True)
    if request.method == "POST":
        action = request.form.get("action")
        try:
            if action == "add":
                added = quizzes.add_questions(
                    me, quiz, request.form.getlist("question"), request.form.get("mark")
                )
                flash(_("%(n)s question(s) added.", n=added), "ok")
            elif action == "random":
                quizzes.add_random(
                    me,
                    quiz,
                    request.form.get("category", ""),
                    request.form.get("count"),
                    request.form.get("mark"),
                )
                flash(_("Random questions added."), "ok")
            elif action == "remove":
                quizzes.remove_slot(me, quiz, request.form.get("slot", ""))
                flash(_("Removed from the quiz."), "ok")
        except ValidationError as exc:
            flash(error_message(exc), "error")
        return redirect(url_for("quizzes.quiz_questions", course_id=course_id, quiz_id=quiz_id))
    slots = quizzes.slots_of(quiz)
    in_quiz = {slot.question_id for slot in slots}
    return render_template(
        "quizzes/quiz_questions.html",
        course=quiz.course,
        quiz=quiz,
        slots=slots,
        type_labels=TYPE_LABELS,
        bank=[q for q in bank.questions_in(quiz.course) if q.id not in in_quiz],
        categories=bank.categories_of(quiz.course),
    )
