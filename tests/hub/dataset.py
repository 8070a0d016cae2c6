"""A hand-built hub dataset: two enrolled schools' replicated rows and one national quiz.

Expected figures (marks: the teacher's value wins over the automatic one):
- A001 (Chüy, Alamüdün): classes 7А (2 students) and 8Б (1 student); course "Algebra 7";
  Q1 marks 5, 4 (7А), 3 (8Б, manual 3 over auto 5); Q2 mark 2 (7А); a tombstoned mark 1 and
  a mark in a tombstoned column that never count; a quarter override q1 = 5 for one student.
  Finished attempts of the national quiz: 3 (one in progress does not count).
- B001 (Osh, Kara-Suu): class 9В (1 student); course "Algebra 7"; Q1 marks 4, 4; 1 attempt.
- C001 (Chüy, no partition yet): zeros.
"""

from __future__ import annotations

import datetime as dt

from appliance.accounts.models import SchoolClass, User
from appliance.courses.models import Course
from appliance.hub import registry
from appliance.hub.models import HubNode
from appliance.journal.models import JournalColumn, Mark, PeriodMark, Quarter, SchoolYear
from appliance.quizzes.models import Attempt, AttemptAnswer, Question, QuestionCategory, Quiz


def put(model, origin: str, school: str | None, **fields):
    """Insert a row as the replication receiver would (another origin's row)."""
    row = model(origin=origin, school=school, **fields)
    row._replicating = True
    row.save()
    return row


def _school(code, name, oblast, rayon, partition):
    school, _ = registry.save_school(code, name, registry.find_oblast(oblast), rayon)
    if partition:
        school.partition, school.origin = partition, "node-" + partition
        school.save()
    return school


def _calendar(origin, part):
    year = put(
        SchoolYear,
        origin,
        part,
        name="2025-2026",
        start=dt.date(2025, 9, 1),
        end=dt.date(2026, 5, 31),
    )
    put(
        Quarter,
        origin,
        part,
        year=year,
        number=1,
        start=dt.date(2025, 9, 1),
        end=dt.date(2025, 10, 31),
    )
    put(
        Quarter,
        origin,
        part,
        year=year,
        number=2,
        start=dt.date(2025, 11, 10),
        end=dt.date(2025, 12, 28),
    )
    return year


def _user(origin, part, username, role="student", klass=None):
    return put(
        User,
        origin,
        part,
        username=username,
        role=role,
        school_class=klass,
        password_hash="x",
        last_name=username.title(),
    )


def _column(origin, part, course, klass, day, deleted=False):
    return put(
        JournalColumn,
        origin,
        part,
        course=course,
        school_class=klass,
        kind="manual",
        date=day,
        deleted=deleted,
    )


def build() -> dict:
    """Insert the dataset; returns the objects tests refer to."""
    a = _school("A001", "School No. 1", "Chui", "Alamüdün", "school-a")
    b = _school("B001", "Kara-Suu gymnasium", "Ошская", "Kara-Suu", "school-b")
    c = _school("C001", "Not enrolled yet", "Chüy", "", None)
    now = dt.datetime(2026, 1, 10, 8, 0)
    HubNode.create(
        node_id="n-a",
        school=a,
        secret="s",
        last_sync_at=now,
        version="1.0",
        clock_skew_seconds=-3.5,
        pending_up=12,
    )
    HubNode.create(node_id="n-b", school=b, secret="s", last_sync_at=now - dt.timedelta(hours=3))

    # A national course and quiz, written at the hub.
    course = put(Course, "hub", None, title="National maths 7")
    category = put(QuestionCategory, "hub", None, course=course, name="Default")
    q1 = put(
        Question, "hub", None, course=course, category=category, type="truefalse", name="Q one"
    )
    q2 = put(
        Question, "hub", None, course=course, category=category, type="truefalse", name="Q two"
    )
    quiz = put(Quiz, "hub", None, course=course, title="National test", published=True)

    oa, ob = "node-school-a", "node-school-b"
    a7 = put(SchoolClass, oa, "school-a", name="7А", grade=7)
    a8 = put(SchoolClass, oa, "school-a", name="8Б", grade=8)
    s1, s2 = _user(oa, "school-a", "ali", klass=a7), _user(oa, "school-a", "bek", klass=a7)
    s3 = _user(oa, "school-a", "cholpon", klass=a8)
    _user(oa, "school-a", "teacher", role="teacher")
    put(
        User,
        oa,
        "school-a",
        username="gone",
        role="student",
        school_class=a7,
        password_hash="x",
        deleted=True,
    )
    year_a = _calendar(oa, "school-a")
    alg_a = put(Course, oa, "school-a", title="Algebra 7")
    c1 = _column(oa, "school-a", alg_a, a7, dt.date(2025, 9, 15))
    c2 = _column(oa, "school-a", alg_a, a7, dt.date(2025, 11, 20))
    c3 = _column(oa, "school-a", alg_a, a8, dt.date(2025, 10, 1))
    dead = _column(oa, "school-a", alg_a, a7, dt.date(2025, 9, 16), deleted=True)
    put(Mark, oa, "school-a", column=c1, student=s1, manual_value=5)
    put(Mark, oa, "school-a", column=c1, student=s2, auto_value=4, auto_percent=70.0)
    put(Mark, oa, "school-a", column=c3, student=s3, auto_value=5, manual_value=3)
    put(Mark, oa, "school-a", column=c2, student=s1, manual_value=2)
    put(Mark, oa, "school-a", column=c2, student=s2, manual_value=1, deleted=True)
    put(Mark, oa, "school-a", column=dead, student=s1, manual_value=1)
    put(
        PeriodMark,
        oa,
        "school-a",
        course=alg_a,
        school_class=a7,
        student=s1,
        year=year_a,
        period="q1",
        value=5,
    )

    b9 = put(SchoolClass, ob, "school-b", name="9В", grade=9)
    t1 = _user(ob, "school-b", "ali", klass=b9)
    _calendar(ob, "school-b")
    alg_b = put(Course, ob, "school-b", title="Algebra 7")
    cb = _column(ob, "school-b", alg_b, b9, dt.date(2025, 10, 3))
    cb2 = _column(ob, "school-b", alg_b, b9, dt.date(2025, 10, 4))
    put(Mark, ob, "school-b", column=cb, student=t1, manual_value=4)
    put(Mark, ob, "school-b", column=cb2, student=t1, auto_value=4)

    # Attempts at the national quiz: (origin, partition, student, number, [fraction q1, q2]).
    attempts = [
        (oa, "school-a", s1, 1, [1.0, 1.0]),
        (oa, "school-a", s2, 1, [1.0, 0.0]),
        (oa, "school-a", s3, 1, [0.0, 0.0]),
        (ob, "school-b", t1, 1, [1.0, 1.0]),
    ]
    for origin, part, student, number, fractions in attempts:
        score = sum(fractions)
        attempt = put(
            Attempt,
            origin,
            part,
            quiz=quiz,
            student=student,
            number=number,
            state="finished",
            started_at=now,
            submit_token="t",
            score=score,
            max_score=2,
            percent=50 * score,
        )
        for slot, (question, fraction) in enumerate(zip((q1, q2), fractions, strict=True)):
            put(
                AttemptAnswer,
                origin,
                part,
                attempt=attempt,
                slot=slot,
                question=question,
                response="true",
                fraction=fraction,
                mark=1.0,
            )
    put(
        Attempt,
        oa,
        "school-a",
        quiz=quiz,
        student=s1,
        number=2,
        state="in_progress",
        started_at=now,
        submit_token="u",
    )
    return {
        "a": a,
        "b": b,
        "c": c,
        "quiz": quiz,
        "q1": q1,
        "q2": q2,
        "a7": a7,
        "a8": a8,
        "now": now,
    }
