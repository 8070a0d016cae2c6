"""Taking a quiz: start or resume an attempt, save answers, finish it exactly once.

Time is the server's (``clock.now``). An attempt's ``deadline`` is fixed when it starts. Saves
are accepted until deadline + GRACE (answers in flight when time runs out still count); after
that the attempt is finished with what was saved, by whichever request touches it first.
Finishing is a conditional state change inside one write transaction, so a double click or a
resent form finishes (and grades) an attempt exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets

import peewee

from appliance.accounts.models import User
from appliance.courses.access import can_edit, can_view
from appliance.db import is_sqlite, write
from appliance.errors import Forbidden, NotFound, ValidationError
from appliance.quizzes import clock
from appliance.quizzes.bank import subcategory_ids
from appliance.quizzes.grading import grade
from appliance.quizzes.models import Attempt, AttemptAnswer, Question, Quiz
from appliance.quizzes.quizzes import is_open, slots_of
from appliance.quizzes.results import announce, student_percent

GRACE = dt.timedelta(seconds=60)
SHORT_MAX = 1000
ESSAY_MAX = 50_000

__all__ = ["announce", "student_percent"]  # re-exported for callers of the attempt service


# --- starting ---------------------------------------------------------------------------


def _layout(quiz: Quiz, rng: random.Random) -> list[dict]:
    """The attempt's questions and the order of their answers, fixed at start."""
    items, used = [], set()
    slots = slots_of(quiz)
    fixed = {slot.question_id for slot in slots if slot.question_id}
    for slot in slots:
        if slot.question_id:
            if slot.question is None or slot.question.deleted:
                continue
            chosen = [slot.question]
        else:
            pool = list(
                Question.live().where(
                    Question.category.in_(subcategory_ids(slot.category))
                    & (Question.type != "description")
                    & Question.id.not_in(list(fixed | used))
                )
            )
            rng.shuffle(pool)
            chosen = pool[: slot.count]
        for question in chosen:
            used.add(question.id)
            items.append(_item(quiz, question, slot.mark, rng))
    if quiz.shuffle_questions:
        rng.shuffle(items)
    return items


def _item(quiz: Quiz, question: Question, mark: float, rng: random.Random) -> dict:
    key = question.key
    item = {"q": question.id, "mark": 0.0 if question.type == "description" else mark}
    if question.type == "multichoice":
        order = list(range(len(key["answers"])))
        if quiz.shuffle_answers:
            rng.shuffle(order)
        item["order"] = order
    elif question.type == "matching":
        # The choices are always shuffled: in the key's order they would give the pairs away.
        choices = sorted({p["answer"] for p in key["pairs"]})
        rng.shuffle(choices)
        item["choices"] = choices
    return item


def start_attempt(student: User, quiz: Quiz) -> Attempt:
    """Resume the student's attempt in progress, or start a new one if one is left."""
    if student.role != "student" or not can_view(student, quiz.course) or not quiz.published:
        raise Forbidden("You may not take this quiz.")
    finalise_overdue(quiz, student)
    try:
        return _start(student, quiz, clock.now())
    except peewee.IntegrityError:
        # Two starts at once on PostgreSQL: the other one won; resume its attempt.
        attempt = _in_progress(quiz, student)
        if attempt is None:
            raise
        return attempt


def _start(student: User, quiz: Quiz, now: dt.datetime) -> Attempt:
    with write():
        current = _in_progress(quiz, student)
        if current is not None:
            return current
        if not is_open(quiz, now):
            raise ValidationError("This quiz is not open now.", "quiz")
        done = Attempt.select().where((Attempt.quiz == quiz) & (Attempt.student == student))
        number = done.count() + 1
        if quiz.attempts_allowed and number > quiz.attempts_allowed:
            raise ValidationError("You have no attempts left for this quiz.", "quiz")
        rng = random.Random(secrets.randbits(64))
        items = _layout(quiz, rng)
        if not items:
            raise ValidationError("This quiz has no questions yet.", "quiz")
        deadline = now + dt.timedelta(seconds=quiz.time_limit) if quiz.time_limit else None
        if quiz.close_at and (deadline is None or quiz.close_at < deadline):
            deadline = quiz.close_at
        attempt = Attempt(
            quiz=quiz,
            student=student,
            number=number,
            started_at=now,
            deadline=deadline,
            layout=json.dumps(items),
            submit_token=secrets.token_hex(16),
            max_score=sum(item["mark"] for item in items),
        )
        attempt.save()
        for index, item in enumerate(items):
            AttemptAnswer(attempt=attempt, slot=index, question=item["q"], mark=item["mark"]).save()
    return attempt


def _in_progress(quiz: Quiz, student: User) -> Attempt | None:
    return (
        Attempt.select()
        .where(
            (Attempt.quiz == quiz) & (Attempt.student == student) & (Attempt.state == "in_progress")
        )
        .first()
    )


def get_attempt(user: User, attempt_id: str) -> Attempt:
    """An attempt its student, or a teacher of the course, may see (NotFound otherwise)."""
    attempt = (
        Attempt.select(Attempt, Quiz)
        .join(Quiz)
        .where((Attempt.id == attempt_id) & (Attempt.deleted == False))
        .first()
    )  # noqa: E712
    if attempt is None:
        raise NotFound("No such attempt.")
    course = attempt.quiz.course
    if attempt.student_id == user.id and can_view(user, course):
        return attempt
    if can_edit(user, course):
        return attempt
    raise NotFound("No such attempt.")


def attempts_of(quiz: Quiz, student: User) -> list[Attempt]:
    return list(
        Attempt.live()
        .where((Attempt.quiz == quiz) & (Attempt.student == student))
        .order_by(Attempt.number)
    )


# --- saving -----------------------------------------------------------------------------


def clean_response(question: Question, item: dict, value):
    """Check a response's shape for its question type; None means 'not answered'."""
    if value is None or value == "":
        return None
    qtype, key = question.type, question.key
    try:
        if qtype == "multichoice" and key.get("single", True):
            index = int(value)
            return index if 0 <= index < len(key["answers"]) else _bad()
        if qtype == "multichoice":
            values = value if isinstance(value, list) else [value]
            indices = sorted({int(v) for v in values})
            return indices if all(0 <= i < len(key["answers"]) for i in indices) else _bad()
        if qtype == "truefalse":
            return value if isinstance(value, bool) else {"true": True, "false": False}[value]
        if qtype in ("shortanswer", "numerical", "essay"):
            limit = ESSAY_MAX if qtype == "essay" else SHORT_MAX
            if not isinstance(value, str) or len(value) > limit:
                raise ValidationError(
                    "The answer must have at most %(n)s characters.", "answer", n=limit
                )
            return value
        if qtype == "matching":
            subs = {str(i) for i, p in enumerate(key["pairs"]) if p["question"]}
            choices = set(item.get("choices", []))
            if not isinstance(value, dict) or set(value) - subs:
                return _bad()
            clean = {k: v for k, v in value.items() if v}
            return clean if set(clean.values()) <= choices else _bad()
    except (ValueError, TypeError, KeyError):
        _bad()
    return None


def _bad():
    raise ValidationError("This answer does not fit the question.", "answer")


def _load_for_update(attempt_id: str) -> Attempt:
    """Re-read the attempt inside the write transaction (locked on PostgreSQL)."""
    query = Attempt.select().where(Attempt.id == attempt_id)
    if not is_sqlite():  # SQLite's IMMEDIATE transaction already holds the write lock
        query = query.for_update()
    return query.get()


def slot_questions(attempt: Attempt, slots) -> dict[int, Question]:
    """The question in each of these slots of the attempt (slots outside its layout left out)."""
    items = attempt.items
    slots = [s for s in slots if 0 <= s < len(items)]
    by_id = {
        q.id: q for q in Question.select().where(Question.id.in_([items[s]["q"] for s in slots]))
    }
    return {s: by_id[items[s]["q"]] for s in slots}


def save_answers(
    user: User,
    attempt: Attempt,
    responses: dict[int, object],
    questions: dict[int, Question] | None = None,
) -> Attempt:
    """Save the student's responses {slot index: value}, as given; refuse after time + grace.

    ``questions`` is ``slot_questions`` for these slots when the caller has already read it.
    """
    if attempt.student_id != user.id:
        raise Forbidden("This is not your attempt.")
    items = attempt.items
    if questions is None:
        questions = slot_questions(attempt, responses)
    cleaned = {}
    for slot, value in responses.items():
        if not 0 <= slot < len(items):
            raise ValidationError("This answer does not fit the question.", "answer")
        cleaned[slot] = clean_response(questions[slot], items[slot], value)
    now = clock.now()
    overdue = False
    with write():
        attempt = _load_for_update(attempt.id)
        if attempt.state != "in_progress":
            raise ValidationError(
                "This attempt has already been submitted; the answer was not saved.", "answer"
            )
        if attempt.deadline and now > attempt.deadline + GRACE:
            overdue = True
        else:
            rows = {
                a.slot: a
                for a in AttemptAnswer.select().where(
                    (AttemptAnswer.attempt == attempt) & AttemptAnswer.slot.in_(list(cleaned))
                )
            }
            for slot, value in cleaned.items():
                stored = None if value is None else json.dumps(value, ensure_ascii=False)
                row = rows[slot]
                if row.response != stored:
                    row.response = stored
                    row.save(only=[AttemptAnswer.response])
    if overdue:
        finish_attempt(attempt, auto=True)
        raise ValidationError(
            "The time for this attempt is over; it was submitted with the "
            "answers saved before the time ran out.",
            "answer",
        )
    return attempt


# --- finishing --------------------------------------------------------------------------


def _grade_answers(attempt: Attempt) -> None:
    """Grade every answer of the attempt and total the score (inside a transaction)."""
    rows = list(
        AttemptAnswer.select(AttemptAnswer, Question)
        .join(Question)
        .where(AttemptAnswer.attempt == attempt)
    )
    for row in rows:
        if row.question.type == "essay" and row.graded_by_id:
            continue  # the teacher's mark stands
        fraction = grade(row.question.type, row.question.key, row.value)
        if fraction != row.fraction:
            row.fraction = fraction
            row.save(only=[AttemptAnswer.fraction])
    _total(attempt, rows)


def _total(attempt: Attempt, rows: list[AttemptAnswer]) -> None:
    pending = any(r.fraction is None for r in rows if r.mark)
    score = sum((r.fraction or 0) * r.mark for r in rows)
    attempt.score = None if pending else round(score, 7)
    attempt.max_score = sum(r.mark for r in rows)
    attempt.percent = (
        None if pending else round(100 * score / attempt.max_score, 4) if attempt.max_score else 0.0
    )


def finish_attempt(
    attempt: Attempt, user: User | None = None, token: str | None = None, auto: bool = False
) -> tuple[Attempt, bool]:
    """Submit and grade the attempt once; returns (attempt, whether this call finished it)."""
    if user is not None and attempt.student_id != user.id:
        raise Forbidden("This is not your attempt.")
    with write():
        current = _load_for_update(attempt.id)
        if current.state != "in_progress" or (token is not None and token != current.submit_token):
            return current, False
        current.state = "finished"
        current.finished_at = clock.now()
        current.auto_submitted = auto
        current.graded_count += 1
        _grade_answers(current)
        current.save()
    current.quiz = attempt.quiz
    announce([(attempt.quiz, current.student_id)])
    return current, True


def is_overdue(attempt: Attempt, grace: bool = True, at: dt.datetime | None = None) -> bool:
    if attempt.state != "in_progress" or attempt.deadline is None:
        return False
    return (at or clock.now()) > attempt.deadline + (GRACE if grace else dt.timedelta(0))


def finalise_overdue(quiz: Quiz, student: User | None = None) -> int:
    """Finish every attempt of the quiz (or of one student) whose time and grace are over."""
    query = Attempt.select().where(
        (Attempt.quiz == quiz)
        & (Attempt.state == "in_progress")
        & Attempt.deadline.is_null(False)
        & (Attempt.deadline < clock.now() - GRACE)
    )
    if student is not None:
        query = query.where(Attempt.student == student)
    count = 0
    for attempt in query:
        attempt.quiz = quiz
        count += finish_attempt(attempt, auto=True)[1]
    return count


# --- regrading --------------------------------------------------------------------------


def regrade_question(question: Question) -> list[tuple[Quiz, str]]:
    """Regrade finished attempts that hold the question; returns the (quiz, student) touched."""
    attempt_ids = AttemptAnswer.select(AttemptAnswer.attempt).where(
        AttemptAnswer.question == question
    )
    touched = []
    with write():
        for attempt in (
            Attempt.select(Attempt, Quiz)
            .join(Quiz)
            .where(Attempt.id.in_(attempt_ids) & (Attempt.state == "finished"))
        ):
            before = attempt.percent
            _grade_answers(attempt)
            if attempt.percent != before:
                attempt.save()
                touched.append((attempt.quiz, attempt.student_id))
    return touched


def retotal(attempt: Attempt) -> None:
    """Total a finished attempt again after a teacher graded one of its answers."""
    rows = list(AttemptAnswer.select().where(AttemptAnswer.attempt == attempt))
    _total(attempt, rows)
    attempt.save()
