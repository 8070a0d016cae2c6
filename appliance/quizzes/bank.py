"""The question bank: categories and questions of a course. Every change goes through here."""

from __future__ import annotations

import html
import json

from appliance.accounts.models import User
from appliance.courses.access import can_edit, get_course
from appliance.courses.markdown import render, sanitise
from appliance.courses.models import Course
from appliance.db import write
from appliance.errors import Forbidden, NotFound, ValidationError
from appliance.quizzes import questions as fmt
from appliance.quizzes.models import QUESTION_TYPES, Question, QuestionCategory, QuizSlot

DEFAULT_CATEGORY = "Default"
TEXT_MAX = 50_000


def require_edit(actor: User, course: Course) -> None:
    if not can_edit(actor, course):
        raise Forbidden("You may not change this course.")


def text_to_html(text: str, text_format: str) -> str:
    """Question text in its format → sanitised HTML."""
    if text_format == "markdown":
        return render(text)
    if text_format == "plain":
        return html.escape(text).replace("\n", "<br>")
    if text_format == "moodle" and "<" not in text:
        # Moodle's auto-format: plain lines, HTML allowed; keep the teacher's line breaks.
        return sanitise(html.escape(text, quote=False).replace("\n", "<br>"))
    return sanitise(text)


# --- categories -------------------------------------------------------------------------


def categories_of(course: Course) -> list[tuple[QuestionCategory, int]]:
    """The course's categories as a depth-first list of (category, depth)."""
    rows = list(
        QuestionCategory.live()
        .where(QuestionCategory.course == course)
        .order_by(QuestionCategory.name)
    )
    children: dict = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    result = []

    def walk(parent_id, depth):
        for row in children.get(parent_id, []):
            result.append((row, depth))
            walk(row.id, depth + 1)

    walk(None, 0)
    return result


def default_category(course: Course) -> QuestionCategory:
    """The course's top category, made on first use."""
    with write():
        row = (
            QuestionCategory.live()
            .where(
                (QuestionCategory.course == course)
                & QuestionCategory.parent.is_null()
                & (QuestionCategory.name == DEFAULT_CATEGORY)
            )
            .first()
        )
        if row is None:
            row = QuestionCategory(course=course, name=DEFAULT_CATEGORY)
            row.save()
    return row


def get_category(course: Course, category_id: str) -> QuestionCategory:
    row = (
        QuestionCategory.live()
        .where((QuestionCategory.id == category_id) & (QuestionCategory.course == course))
        .first()
    )
    if row is None:
        raise ValidationError("Please choose a category from the list.", "category")
    return row


def subcategory_ids(category: QuestionCategory) -> list[str]:
    """The category and every category under it."""
    ids = [category.id]
    frontier = [category.id]
    while frontier:
        frontier = [
            row.id for row in QuestionCategory.live().where(QuestionCategory.parent.in_(frontier))
        ]
        ids.extend(frontier)
    return ids


def _clean_name(name: str, field: str = "name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Please enter a name.", field)
    if len(name) > 200:
        raise ValidationError("The name must have at most %(n)s characters.", field, n=200)
    return name


def add_category(
    actor: User, course: Course, name: str, parent: QuestionCategory | None = None
) -> QuestionCategory:
    """A new category (under ``parent`` when given)."""
    require_edit(actor, course)
    name = _clean_name(name)
    with write():
        row = QuestionCategory(course=course, parent=parent, name=name)
        row.save()
    return row


def category_path(
    actor: User, course: Course, base: QuestionCategory, path: str | None
) -> QuestionCategory:
    """The category at 'A/B' under ``base``, made as needed (for imports' $CATEGORY)."""
    current = base
    for part in [p.strip() for p in (path or "").split("/") if p.strip()]:
        found = (
            QuestionCategory.live()
            .where((QuestionCategory.parent == current) & (QuestionCategory.name == part[:200]))
            .first()
        )
        current = found or add_category(actor, course, part[:200], current)
    return current


# --- questions --------------------------------------------------------------------------


def _require_answers(q: fmt.Question) -> None:
    """Refuse a key no one could answer right, with a message saying what is missing."""
    if q.type == "multichoice":
        if len(q.answers) < 2:
            raise ValidationError(
                "A multiple-choice question needs at least two answers.", "answers"
            )
        positive = [a.fraction for a in q.answers if a.fraction > 0]
        if q.single and not any(abs(f - 1) < 1e-6 for f in positive):
            raise ValidationError("One answer must be worth 100%.", "answers")
        if not q.single and abs(sum(positive) - 1) > 0.011:
            raise ValidationError(
                "The positive weights of the answers must add up to 100%.", "answers"
            )
    elif q.type in ("shortanswer", "numerical"):
        if not any(a.fraction > 0 for a in q.answers):
            raise ValidationError("At least one answer must be worth more than 0%.", "answers")
    elif q.type == "matching":
        if sum(1 for p in q.pairs if p.question and p.answer) < 2:
            raise ValidationError("A matching question needs at least two pairs.", "pairs")
        if any(not p.answer for p in q.pairs):
            raise ValidationError("Every pair needs an answer.", "pairs")
    elif q.type == "truefalse" and q.answer is None:
        raise ValidationError("Please say whether the statement is true or false.", "answer")


def key_of(q: fmt.Question, case_sensitive: bool = False) -> dict:
    """The JSON key stored for a parsed question; texts shown to pupils are sanitised HTML."""
    if q.type == "multichoice":
        return {
            "single": q.single,
            "answers": [
                {
                    "text": a.text,
                    "html": text_to_html(a.text, q.text_format),
                    "fraction": a.fraction,
                    "feedback": text_to_html(a.feedback, q.text_format),
                }
                for a in q.answers
            ],
        }
    if q.type == "shortanswer":
        return {
            "case_sensitive": case_sensitive,
            "answers": [
                {
                    "text": a.text,
                    "fraction": a.fraction,
                    "feedback": text_to_html(a.feedback, q.text_format),
                }
                for a in q.answers
            ],
        }
    if q.type == "numerical":
        return {
            "answers": [
                {
                    "value": a.value,
                    "tolerance": abs(a.tolerance or 0),
                    "fraction": a.fraction,
                    "feedback": text_to_html(a.feedback, q.text_format),
                }
                for a in q.answers
            ]
        }
    if q.type == "truefalse":
        return {
            "answer": bool(q.answer),
            "feedback_true": text_to_html(q.feedback_true, q.text_format),
            "feedback_false": text_to_html(q.feedback_false, q.text_format),
        }
    if q.type == "matching":
        return {
            "pairs": [
                {
                    "question": p.question,
                    "answer": p.answer,
                    "question_html": text_to_html(p.question, q.text_format),
                }
                for p in q.pairs
            ]
        }
    return {}


def question_fields(q: fmt.Question, case_sensitive: bool) -> dict:
    if q.type not in QUESTION_TYPES:
        raise ValidationError("Unknown question type.", "type")
    if len(q.text or "") > TEXT_MAX or len(q.general_feedback or "") > TEXT_MAX:
        raise ValidationError("The text must have at most %(n)s characters.", "text", n=TEXT_MAX)
    name = (q.name or "").strip() or fmt.default_name(q.text)
    if not (q.text or "").strip():
        raise ValidationError("Please enter the question text.", "text")
    _require_answers(q)
    text_format = q.text_format if q.text_format in fmt.TEXT_FORMATS else "html"
    return {
        "type": q.type,
        "name": name[:255],
        "text": q.text,
        "text_format": text_format,
        "text_html": text_to_html(q.text, text_format),
        "general_feedback": text_to_html(q.general_feedback, text_format),
        "data": json.dumps(key_of(q, case_sensitive), ensure_ascii=False),
    }


def create_question(
    actor: User, category: QuestionCategory, q: fmt.Question, case_sensitive: bool = False
) -> Question:
    """Add a question (from the form or an import) to a category of the bank."""
    require_edit(actor, category.course)
    fields = question_fields(q, case_sensitive)
    with write():
        row = Question(course=category.course, category=category, **fields)
        row.save()
    return row


def update_question(
    actor: User,
    question: Question,
    q: fmt.Question,
    category: QuestionCategory | None = None,
    case_sensitive: bool = False,
) -> Question:
    """Change a question; a changed key regrades every attempt that holds it."""
    from appliance.quizzes.attempts import regrade_question

    require_edit(actor, question.course)
    fields = question_fields(q, case_sensitive)
    with write():
        old_key = question.data
        for name, value in fields.items():
            setattr(question, name, value)
        if category is not None:
            question.category = category
        question.save()
        regraded = regrade_question(question) if question.data != old_key else []
    from appliance.quizzes.attempts import announce

    announce(regraded)
    return question


def delete_question(actor: User, question: Question) -> None:
    """Remove a question from the bank and from quizzes; finished attempts keep their marks."""
    require_edit(actor, question.course)
    with write():
        for slot in QuizSlot.live().where(QuizSlot.question == question):
            slot.tombstone()
        question.tombstone()


def get_question(actor: User, course_id: str, question_id: str) -> Question:
    """A live question of a course the actor may edit."""
    course = get_course(actor, course_id, edit=True)
    row = Question.live().where((Question.id == question_id) & (Question.course == course)).first()
    if row is None:
        raise NotFound("No such question.")
    return row


def questions_in(course: Course, category: QuestionCategory | None = None) -> list[Question]:
    query = Question.live().where(Question.course == course)
    if category is not None:
        query = query.where(Question.category == category)
    return list(query.order_by(Question.name))


def to_parsed(question: Question) -> fmt.Question:
    """A bank question back as a format-independent dataclass (for export and the edit form)."""
    key = question.key
    q = fmt.Question(
        question.type,
        question.name,
        question.text,
        question.text_format,
        general_feedback=question.general_feedback,
    )
    if question.type == "multichoice":
        q.single = key.get("single", True)
        q.answers = [
            fmt.Answer(a["text"], a["fraction"], a.get("feedback", "")) for a in key["answers"]
        ]
    elif question.type == "shortanswer":
        q.answers = [
            fmt.Answer(a["text"], a["fraction"], a.get("feedback", "")) for a in key["answers"]
        ]
    elif question.type == "numerical":
        q.answers = [
            fmt.NumericalAnswer(a["value"], a["tolerance"], a["fraction"], a.get("feedback", ""))
            for a in key["answers"]
        ]
    elif question.type == "truefalse":
        q.answer = key.get("answer")
        q.feedback_true = key.get("feedback_true", "")
        q.feedback_false = key.get("feedback_false", "")
    elif question.type == "matching":
        q.pairs = [fmt.Pair(p["question"], p["answer"]) for p in key["pairs"]]
    return q
