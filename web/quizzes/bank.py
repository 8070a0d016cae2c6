"""Question bank pages: categories, the question list, the editor, GIFT export."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from appliance.courses.access import get_course
from appliance.errors import ValidationError
from appliance.quizzes import bank
from appliance.quizzes.gift import export_gift
from appliance.quizzes.models import QUESTION_TYPES
from appliance.quizzes.questions import Answer, NumericalAnswer, Pair
from appliance.quizzes.questions import Question as Parsed
from web.auth.session import current_user, login_required
from web.errors import error_message
from web.quizzes import bp
from web.quizzes.forms import BLANK_ROWS, question_from_form

TYPE_LABELS = {
    "multichoice": _l("Multiple choice"),
    "truefalse": _l("True/false"),
    "shortanswer": _l("Short answer"),
    "numerical": _l("Numerical"),
    "matching": _l("Matching"),
    "essay": _l("Essay"),
    "description": _l("Description"),
}


@bp.route("/courses/<course_id>/questions")
@login_required
def question_bank(course_id):
    course = get_course(current_user(), course_id, edit=True)
    bank.default_category(course)
    categories = bank.categories_of(course)
    by_category = {}
    for question in bank.questions_in(course):
        by_category.setdefault(question.category_id, []).append(question)
    return render_template(
        "quizzes/bank.html",
        course=course,
        categories=categories,
        by_category=by_category,
        types=QUESTION_TYPES,
        type_labels=TYPE_LABELS,
    )


@bp.route("/courses/<course_id>/questions/categories", methods=["POST"])
@login_required
def add_category(course_id):
    me = current_user()
    course = get_course(me, course_id, edit=True)
    try:
        parent_id = request.form.get("parent")
        parent = bank.get_category(course, parent_id) if parent_id else None
        bank.add_category(me, course, request.form.get("name", ""), parent)
        flash(_("Category added."), "ok")
    except ValidationError as exc:
        flash(error_message(exc), "error")
    return redirect(url_for("quizzes.question_bank", course_id=course.id))


@bp.route("/courses/<course_id>/questions/export.gift")
@login_required
def export_questions(course_id):
    course = get_course(current_user(), course_id, edit=True)
    text = export_gift([bank.to_parsed(q) for q in bank.questions_in(course)])
    return Response(
        text,
        mimetype="text/plain; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="questions.gift.txt"'},
    )


def _blank_rows(q: Parsed) -> Parsed:
    """Pad the editor's repeated rows so a teacher can add answers without JavaScript."""
    if q.type in ("multichoice", "shortanswer"):
        q.answers = list(q.answers) + [Answer("", 0.0) for _ in range(BLANK_ROWS)]
    elif q.type == "numerical":
        q.answers = list(q.answers) + [NumericalAnswer(None, 0.0, 0.0) for _ in range(BLANK_ROWS)]
    elif q.type == "matching":
        q.pairs = list(q.pairs) + [Pair("", "") for _ in range(BLANK_ROWS)]
    return q


def _editor(course, question=None, qtype=None):
    me = current_user()
    qtype = question.type if question else qtype
    if qtype not in QUESTION_TYPES:
        return redirect(url_for("quizzes.question_bank", course_id=course.id))
    context = {
        "course": course,
        "question": question,
        "qtype": qtype,
        "type_label": TYPE_LABELS[qtype],
        "categories": bank.categories_of(course),
    }
    if request.method == "POST":
        try:
            parsed, case_sensitive = question_from_form(qtype, request.form)
            category = bank.get_category(course, request.form.get("category", ""))
            if question is None:
                bank.create_question(me, category, parsed, case_sensitive)
            else:
                bank.update_question(me, question, parsed, category, case_sensitive)
            flash(_("Question saved."), "ok")
            return redirect(url_for("quizzes.question_bank", course_id=course.id))
        except ValidationError as exc:
            parsed_or_blank = locals().get("parsed") or Parsed(qtype, "", "")
            return render_template(
                "quizzes/question_form.html",
                **context,
                q=_blank_rows(parsed_or_blank),
                case_sensitive=request.form.get("case_sensitive") == "on",
                category_id=request.form.get("category"),
                error=error_message(exc),
            ), 400
    if question is not None:
        q, case_sensitive = bank.to_parsed(question), question.key.get("case_sensitive", False)
        category_id = question.category_id
    else:
        q, case_sensitive = Parsed(qtype, "", "", "html"), False
        q.single = True
        category_id = request.args.get("category") or bank.default_category(course).id
    return render_template(
        "quizzes/question_form.html",
        **context,
        q=_blank_rows(q),
        case_sensitive=case_sensitive,
        category_id=category_id,
    )


@bp.route("/courses/<course_id>/questions/new", methods=["GET", "POST"])
@login_required
def new_question(course_id):
    course = get_course(current_user(), course_id, edit=True)
    return _editor(course, qtype=request.values.get("type"))


@bp.route("/courses/<course_id>/questions/<question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(course_id, question_id):
    question = bank.get_question(current_user(), course_id, question_id)
    return _editor(question.course, question)


@bp.route("/courses/<course_id>/questions/<question_id>/delete", methods=["POST"])
@login_required
def delete_question(course_id, question_id):
    question = bank.get_question(current_user(), course_id, question_id)
    bank.delete_question(current_user(), question)
    flash(_("Question deleted."), "ok")
    return redirect(url_for("quizzes.question_bank", course_id=course_id))
