"""Taking a quiz: the quiz page, starting or resuming, answering (form or JSON), review."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from appliance.courses.access import can_edit
from appliance.errors import Forbidden, ValidationError
from appliance.quizzes import attempts, clock, quizzes
from appliance.quizzes.models import Attempt
from web.auth.session import current_user, login_required
from web.errors import error_message
from web.quizzes import bp
from web.quizzes.forms import response_from_form
from web.quizzes.views import feedback_for, pages_of, question_views, right_answer

JSON_MAX = 256 * 1024


@bp.route("/courses/<course_id>/quizzes/<quiz_id>")
@login_required
def quiz(course_id, quiz_id):
    me = current_user()
    quiz = quizzes.get_quiz(me, course_id, quiz_id)
    editable = can_edit(me, quiz.course)
    if me.role == "student":
        attempts.finalise_overdue(quiz, me)
    mine = attempts.attempts_of(quiz, me)
    in_progress = next((a for a in mine if a.state == "in_progress"), None)
    left = (quiz.attempts_allowed - len(mine)) if quiz.attempts_allowed else None
    return render_template(
        "quizzes/quiz.html",
        course=quiz.course,
        quiz=quiz,
        attempts=mine,
        in_progress=in_progress,
        left=left,
        editable=editable,
        is_open=quizzes.is_open(quiz),
        student=me.role == "student",
        grade=attempts.student_percent(quiz, me.id) if mine else None,
    )


@bp.route("/courses/<course_id>/quizzes/<quiz_id>/start", methods=["POST"])
@login_required
def start(course_id, quiz_id):
    me = current_user()
    quiz = quizzes.get_quiz(me, course_id, quiz_id)
    try:
        attempt = attempts.start_attempt(me, quiz)
    except ValidationError as exc:
        flash(error_message(exc), "error")
        return redirect(url_for("quizzes.quiz", course_id=course_id, quiz_id=quiz_id))
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


def _own_attempt(attempt_id: str) -> Attempt:
    me = current_user()
    attempt = attempts.get_attempt(me, attempt_id)
    if attempt.student_id != me.id:
        abort(403)  # teachers review attempts, they do not answer them
    return attempt


def _review_url(attempt):
    return url_for("quizzes.review", attempt_id=attempt.id)


def _time_up(attempt):
    attempts.finish_attempt(attempt, auto=True)
    flash(_("The time is up. Your attempt was submitted with the answers you saved."), "error")
    return redirect(_review_url(attempt))


@bp.route("/attempts/<attempt_id>")
@login_required
def attempt(attempt_id):
    attempt = _own_attempt(attempt_id)
    if attempt.state != "in_progress":
        return redirect(_review_url(attempt))
    if attempts.is_overdue(attempt, grace=False):
        return _time_up(attempt)
    pages = pages_of(attempt)
    page = min(max(request.args.get("page", 0, type=int), 0), len(pages) - 1)
    remaining = int((attempt.deadline - clock.now()).total_seconds()) if attempt.deadline else None
    return render_template(
        "quizzes/attempt.html",
        attempt=attempt,
        quiz=attempt.quiz,
        views=question_views(attempt, pages[page]),
        page=page,
        pages=len(pages),
        remaining=remaining,
    )


def _save(me, attempt, slots, form: MultiDict) -> None:
    """Read these slots' answers from the form and save them (one read of their questions)."""
    items = attempt.items
    questions = attempts.slot_questions(attempt, slots)
    responses = {
        s: response_from_form(q, items[s], s, form)
        for s, q in questions.items()
        if q.type != "description"
    }
    attempts.save_answers(me, attempt, responses, questions)


@bp.route("/attempts/<attempt_id>", methods=["POST"])
@login_required
def save_page(attempt_id):
    """Save the page's answers (no JavaScript needed), then move or finish."""
    me = current_user()
    attempt = _own_attempt(attempt_id)
    nav = request.form.get("nav", "save")
    if attempt.state != "in_progress":  # a resent Finish, or a page left open after the end
        return redirect(_review_url(attempt))
    pages = pages_of(attempt)
    page = min(max(request.form.get("page", 0, type=int), 0), len(pages) - 1)
    try:
        _save(me, attempt, pages[page], request.form)
    except ValidationError as exc:
        flash(error_message(exc), "error")
        attempt = Attempt.get_by_id(attempt.id)
        if attempt.state != "in_progress":
            return redirect(_review_url(attempt))
        return redirect(url_for("quizzes.attempt", attempt_id=attempt.id, page=page))
    if attempts.is_overdue(attempt, grace=False):
        return _time_up(attempt)
    if nav == "finish":
        attempt, _done = attempts.finish_attempt(attempt, me, request.form.get("submit_token"))
        if attempt.state == "in_progress":  # a form from before a reload: stay on the page
            return redirect(url_for("quizzes.attempt", attempt_id=attempt.id, page=page))
        flash(_("Your answers were submitted."), "ok")
        return redirect(_review_url(attempt))
    target = {"next": page + 1, "prev": page - 1}.get(nav, page)
    if nav.isdigit():
        target = int(nav)
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id, page=target))


@bp.route("/api/attempts/<attempt_id>/answer", methods=["POST"])
@login_required
def save_answer_json(attempt_id):
    """quiz.js saves one question's fields as soon as they change."""
    if (request.content_length or 0) > JSON_MAX:
        return jsonify(error=_("The answer is too long.")), 413
    me = current_user()
    attempt = attempts.get_attempt(me, attempt_id)
    data = request.get_json(silent=True) or {}
    slot, fields = data.get("slot"), data.get("fields")
    if (
        not isinstance(slot, int)
        or not isinstance(fields, dict)
        or not 0 <= slot < len(attempt.items)
    ):
        return jsonify(error=_("This answer does not fit the question.")), 400
    form = MultiDict(
        [
            (str(k), str(v))
            for k, values in fields.items()
            for v in (values if isinstance(values, list) else [values])
        ]
    )
    try:
        _save(me, attempt, [slot], form)
    except Forbidden:
        return jsonify(error=_("You do not have access to this page.")), 403
    except ValidationError as exc:
        return jsonify(error=error_message(exc)), 409
    remaining = int((attempt.deadline - clock.now()).total_seconds()) if attempt.deadline else None
    return jsonify(saved=True, remaining=remaining)


@bp.route("/attempts/<attempt_id>/review")
@login_required
def review(attempt_id):
    me = current_user()
    attempt = attempts.get_attempt(me, attempt_id)
    quiz = attempt.quiz
    teacher = can_edit(me, quiz.course)
    if attempt.state == "in_progress":
        if attempts.is_overdue(attempt, grace=not attempt.student_id == me.id):
            attempt, _done = attempts.finish_attempt(attempt, auto=True)
            attempt.quiz = quiz
        elif not teacher:
            return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
    options = (
        {"correctness", "marks", "feedback", "right_answers"}
        if teacher
        else quiz.review_options(quizzes.is_closed(quiz))
    )
    views = question_views(attempt)
    for view in views:
        view["feedback"] = feedback_for(view) if "feedback" in options else []
        view["right"] = right_answer(view) if "right_answers" in options else []
    return render_template(
        "quizzes/review.html",
        attempt=attempt,
        quiz=quiz,
        views=views,
        options=options,
        teacher=teacher,
        student=attempt.student,
    )
