"""Quizzes: their settings and their questions (slots)."""

from __future__ import annotations

import datetime as dt

import peewee

from appliance.accounts.models import User
from appliance.courses.access import can_edit, get_course
from appliance.courses.markdown import render
from appliance.courses.models import Course
from appliance.db import write
from appliance.errors import NotFound, ValidationError
from appliance.quizzes import clock
from appliance.quizzes.bank import get_category, require_edit
from appliance.quizzes.models import (
    GRADING_METHODS,
    REVIEW_ITEMS,
    Question,
    QuestionCategory,
    Quiz,
    QuizSlot,
)

MAX_ATTEMPTS = 10
MAX_TIME_LIMIT_MINUTES = 24 * 60


def _int(value, field: str, low: int, high: int, message: str) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValidationError(message, field, low=low, high=high)
    return int(text)


def _time(value, field: str) -> dt.datetime | None:
    if isinstance(value, dt.datetime) or value is None:
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None, second=0, microsecond=0)
    except ValueError:
        raise ValidationError("Enter the time as YYYY-MM-DD HH:MM.", field) from None


def _review(value, default: str) -> str:
    if value is None:  # not in the form at all: the usual choice
        return default
    items = value if isinstance(value, list | tuple | set) else str(value or "").split(",")
    return ",".join(item for item in REVIEW_ITEMS if item in set(items))


def quiz_fields(form: dict) -> dict:
    """Validate a quiz settings form (a dict of strings/lists) into model fields."""
    title = " ".join(str(form.get("title", "")).split())
    if not title:
        raise ValidationError("Please enter a title.", "title")
    if len(title) > 200:
        raise ValidationError("The title must have at most %(n)s characters.", "title", n=200)
    intro = str(form.get("intro", ""))
    if len(intro) > 20000:
        raise ValidationError(
            "The introduction must have at most %(n)s characters.", "intro", n=20000
        )
    open_at, close_at = (
        _time(form.get("open_at"), "open_at"),
        _time(form.get("close_at"), "close_at"),
    )
    if open_at and close_at and close_at <= open_at:
        raise ValidationError("The quiz must close after it opens.", "close_at")
    minutes = _int(
        form.get("time_limit"),
        "time_limit",
        1,
        MAX_TIME_LIMIT_MINUTES,
        "The time limit must be from %(low)s to %(high)s minutes, or empty.",
    )
    attempts = _int(
        form.get("attempts_allowed"),
        "attempts_allowed",
        0,
        MAX_ATTEMPTS,
        "Attempts allowed must be from 1 to %(high)s, or 0 for unlimited.",
    )
    method = form.get("grading_method") or "highest"
    if method not in GRADING_METHODS:
        raise ValidationError("Please choose a grading method from the list.", "grading_method")
    flag = lambda name: str(form.get(name, "")).lower() in ("1", "on", "true", "yes")  # noqa: E731
    return {
        "title": title,
        "intro": intro,
        "intro_html": render(intro),
        "open_at": open_at,
        "close_at": close_at,
        "time_limit": minutes * 60 if minutes else None,
        "attempts_allowed": 1 if attempts is None else attempts,
        "grading_method": method,
        "shuffle_questions": flag("shuffle_questions"),
        "shuffle_answers": flag("shuffle_answers"),
        "one_per_page": flag("one_per_page"),
        "published": flag("published"),
        "review_after_submit": _review(form.get("review_after_submit"), "correctness,marks"),
        "review_after_close": _review(
            form.get("review_after_close"), "correctness,marks,feedback,right_answers"
        ),
    }


def create_quiz(actor: User, course: Course, form: dict) -> Quiz:
    """A new quiz in a course the actor edits."""
    require_edit(actor, course)
    fields = quiz_fields(form)
    with write():
        quiz = Quiz(course=course, **fields)
        quiz.save()
    return quiz


def update_quiz(actor: User, quiz: Quiz, form: dict) -> Quiz:
    """Change a quiz's settings (attempts already started keep their deadline)."""
    require_edit(actor, quiz.course)
    fields = quiz_fields(form)
    with write():
        for name, value in fields.items():
            setattr(quiz, name, value)
        quiz.save()
    return quiz


def delete_quiz(actor: User, quiz: Quiz) -> None:
    require_edit(actor, quiz.course)
    with write():
        quiz.tombstone()


def get_quiz(actor: User, course_id: str, quiz_id: str, edit: bool = False) -> Quiz:
    """A live quiz of a course the actor may view; students see only published quizzes."""
    course = get_course(actor, course_id, edit=edit)
    quiz = Quiz.live().where((Quiz.id == quiz_id) & (Quiz.course == course)).first()
    if quiz is None or (not quiz.published and not can_edit(actor, course)):
        raise NotFound("No such quiz.")
    quiz.course = course
    return quiz


def quizzes_of(actor: User, course: Course) -> list[Quiz]:
    query = Quiz.live().where(Quiz.course == course)
    if not can_edit(actor, course):
        query = query.where(Quiz.published == True)  # noqa: E712
    return list(query.order_by(Quiz.title))


def is_open(quiz: Quiz, at: dt.datetime | None = None) -> bool:
    at = at or clock.now()
    return (quiz.open_at is None or at >= quiz.open_at) and (
        quiz.close_at is None or at < quiz.close_at
    )


def is_closed(quiz: Quiz, at: dt.datetime | None = None) -> bool:
    return quiz.close_at is not None and (at or clock.now()) >= quiz.close_at


# --- slots ------------------------------------------------------------------------------


def slots_of(quiz: Quiz) -> list[QuizSlot]:
    """The quiz's slots in order, with their question or category."""
    Cat = QuestionCategory.alias()
    return list(
        QuizSlot.live()
        .select(QuizSlot, Question, Cat)
        .join(
            Question, peewee.JOIN.LEFT_OUTER, on=(QuizSlot.question == Question.id), attr="question"
        )
        .switch(QuizSlot)
        .join(Cat, peewee.JOIN.LEFT_OUTER, on=(QuizSlot.category == Cat.id), attr="category")
        .where(QuizSlot.quiz == quiz)
        .order_by(QuizSlot.position)
    )


def _mark(value) -> float:
    try:
        mark = float(str(value if value not in (None, "") else "1").replace(",", "."))
    except ValueError:
        mark = -1
    if not 0 < mark <= 100:
        raise ValidationError("The mark must be a number above 0 and at most 100.", "mark")
    return mark


def _next_position(quiz: Quiz) -> int:
    last = (
        QuizSlot.select(peewee.fn.MAX(QuizSlot.position))
        .where((QuizSlot.quiz == quiz) & (QuizSlot.deleted == False))
        .scalar()
    )  # noqa: E712
    return 0 if last is None else last + 1


def add_questions(actor: User, quiz: Quiz, question_ids: list[str], mark=None) -> int:
    """Add bank questions (of the quiz's course) to the quiz; returns how many were added."""
    require_edit(actor, quiz.course)
    mark = _mark(mark)
    wanted = list(dict.fromkeys(question_ids))
    found = {
        q.id: q
        for q in Question.live().where((Question.id.in_(wanted)) & (Question.course == quiz.course))
    }
    if not wanted or set(wanted) - found.keys():
        raise ValidationError("Please choose questions from the list.", "questions")
    with write():
        present = {s.question_id for s in QuizSlot.live().where(QuizSlot.quiz == quiz)}
        position = _next_position(quiz)
        added = 0
        for qid in wanted:
            if qid in present:
                continue
            QuizSlot(quiz=quiz, question=found[qid], position=position, mark=mark).save()
            position += 1
            added += 1
    return added


def add_random(actor: User, quiz: Quiz, category_id: str, count, mark=None) -> QuizSlot:
    """Add ``count`` questions drawn at random from a category when each attempt starts."""
    require_edit(actor, quiz.course)
    category = get_category(quiz.course, category_id)
    count = (
        _int(count, "count", 1, 100, "The number of questions must be from %(low)s to %(high)s.")
        or 1
    )
    mark = _mark(mark)
    with write():
        slot = QuizSlot(
            quiz=quiz, category=category, count=count, mark=mark, position=_next_position(quiz)
        )
        slot.save()
    return slot


def remove_slot(actor: User, quiz: Quiz, slot_id: str) -> None:
    require_edit(actor, quiz.course)
    slot = QuizSlot.live().where((QuizSlot.id == slot_id) & (QuizSlot.quiz == quiz)).first()
    if slot is None:
        raise NotFound("No such question in this quiz.")
    with write():
        slot.tombstone()
