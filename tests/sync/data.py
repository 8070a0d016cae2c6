"""A small but complete school written through ``save()`` (real seqs), and random edits of it."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from appliance.accounts.models import SchoolClass, User
from appliance.courses.models import Course, Enrolment, Lesson, Section
from appliance.journal.models import JournalColumn, Mark
from appliance.quizzes.models import (
    Attempt,
    AttemptAnswer,
    Question,
    QuestionCategory,
    Quiz,
    QuizSlot,
)


def _save(row):
    row.save()
    return row


def build_school(students: int = 6, tag: str = "") -> dict:
    """Classes, students, a course with a quiz bank (nested categories), attempts and marks."""
    klass = _save(SchoolClass(name=f"7A{tag}"))
    teacher = _save(User(username=f"teacher{tag}", role="teacher", password_hash="x"))
    pupils = [
        _save(
            User(username=f"pupil{tag}{i}", role="student", school_class=klass, password_hash="x")
        )
        for i in range(students)
    ]
    course = _save(Course(title=f"Algebra {tag}", owner=teacher))
    section = _save(Section(course=course, title="Week 1"))
    _save(Lesson(course=course, section=section, title="Fractions", body_md="1/2"))
    _save(Enrolment(course=course, school_class=klass))
    top = _save(QuestionCategory(course=course, name="Top"))
    child = _save(QuestionCategory(course=course, name="Child", parent=top))
    question = _save(
        Question(
            course=course, category=child, type="truefalse", name="Q1", data='{"answer": true}'
        )
    )
    quiz = _save(Quiz(course=course, title="Quiz 1", published=True))
    _save(QuizSlot(quiz=quiz, question=question))
    column = _save(
        JournalColumn(course=course, school_class=klass, kind="lesson", date=dt.date(2026, 9, 2))
    )
    for pupil in pupils:
        attempt = _save(
            Attempt(
                quiz=quiz,
                student=pupil,
                started_at=dt.datetime(2026, 9, 2, 8, 0),
                submit_token="t",
                state="finished",
                score=1,
                max_score=1,
                percent=100.0,
            )
        )
        _save(
            AttemptAnswer(attempt=attempt, slot=0, question=question, response="true", fraction=1.0)
        )
        _save(Mark(column=column, student=pupil, manual_value=5))
    # Parents changed after their children: their seq is now above the children's.
    for parent in (klass, course, top, quiz):
        setattr(parent, "name" if hasattr(parent, "name") else "title", f"{parent.id[:4]} renamed")
        parent.save()
    return {"class": klass, "course": course, "column": column, "quiz": quiz, "question": question}


def random_edit(rng: random.Random, school: dict, n: int) -> None:
    """One random change of the kinds a school makes all day."""
    kind = rng.choice(["student", "mark", "delete", "rename", "category"])
    live_marks = list(Mark.live().order_by(Mark.id))
    if kind == "student" or not live_marks:
        pupil = _save(
            User(
                username=f"new{n}-{uuid.uuid4().hex[:10]}",
                role="student",
                school_class=school["class"],
                password_hash="x",
            )
        )
        _save(Mark(column=school["column"], student=pupil, manual_value=rng.randint(2, 5)))
    elif kind == "mark":
        mark = rng.choice(live_marks)
        mark.manual_value = rng.randint(2, 5)
        mark.save()
    elif kind == "delete":
        rng.choice(live_marks).tombstone()
    elif kind == "rename":
        klass = SchoolClass.get_by_id(school["class"].id)
        klass.name = f"7A-{n}"
        klass.save()
    else:
        parent = _save(QuestionCategory(course=school["course"], name=f"C{n}"))
        _save(QuestionCategory(course=school["course"], name=f"C{n}b", parent=parent))
        parent.name = f"C{n} renamed"
        parent.save()
