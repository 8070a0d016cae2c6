"""Teacher pages after the quiz: results overview, item analysis, the essay queue."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.errors import DomainError
from appliance.quizzes import attempts, essays, quizzes
from appliance.quizzes import results as service
from web.auth.session import current_user, login_required
from web.errors import error_message
from web.quizzes import bp


def _quiz(course_id, quiz_id):
    quiz = quizzes.get_quiz(current_user(), course_id, quiz_id, edit=True)
    # A teacher looking at results finishes attempts whose time and grace are over.
    attempts.finalise_overdue(quiz)
    return quiz


@bp.route("/courses/<course_id>/quizzes/<quiz_id>/results")
@login_required
def results(course_id, quiz_id):
    quiz = _quiz(course_id, quiz_id)
    return render_template(
        "quizzes/results.html",
        quiz=quiz,
        course=quiz.course,
        summary=service.overview(quiz),
        analysis=service.item_analysis(quiz),
        waiting=len(essays.essay_queue(quiz)),
    )


@bp.route("/courses/<course_id>/quizzes/<quiz_id>/essays", methods=["GET", "POST"])
@login_required
def essays_queue(course_id, quiz_id):
    quiz = _quiz(course_id, quiz_id)
    if request.method == "POST":
        try:
            essays.grade_essay(
                current_user(),
                quiz,
                request.form.get("answer", ""),
                request.form.get("mark", ""),
                request.form.get("comment", ""),
            )
            flash(_("Mark saved."), "ok")
        except DomainError as exc:
            flash(error_message(exc), "error")
        return redirect(url_for("quizzes.essays_queue", course_id=course_id, quiz_id=quiz_id))
    return render_template(
        "quizzes/essays.html", quiz=quiz, course=quiz.course, queue=essays.essay_queue(quiz)
    )
