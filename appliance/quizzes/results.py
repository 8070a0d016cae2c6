"""Quiz results: a student's grade by the quiz's method, the overview and item analysis.

Item analysis uses every finished, fully graded attempt:
- facility = the mean fraction earned on the question (1.0 = everyone fully right);
- discrimination = Pearson's correlation between the fraction earned on the question and the
  rest of the test (the attempt's score without this question), as Moodle's "discrimination
  index"; None when it cannot be computed (fewer than two attempts, or no spread).
"""

from __future__ import annotations

import math
from collections import defaultdict

from appliance.accounts.models import User
from appliance.quizzes import clock
from appliance.quizzes.models import Attempt, AttemptAnswer, Question, Quiz
from appliance.signals import attempt_graded

BINS = 10


def _finished(quiz: Quiz):
    return Attempt.live().where((Attempt.quiz == quiz) & (Attempt.state == "finished"))


def combine(method: str, percents: list[float | None]) -> float | None:
    """The quiz grade from the attempts' percents (in attempt order) by the grading method."""
    if not percents:
        return None
    if method == "first":
        return percents[0]
    if method == "last":
        return percents[-1]
    graded = [p for p in percents if p is not None]
    if not graded:
        return None
    if method == "average":
        return round(sum(graded) / len(graded), 4)
    return max(graded)


def student_percent(quiz: Quiz, student_id: str) -> float | None:
    """The student's grade for the quiz, 0..100, or None (no finished attempt, essay pending)."""
    attempts = _finished(quiz).where(Attempt.student == student_id).order_by(Attempt.number)
    return combine(quiz.grading_method, [a.percent for a in attempts])


def announce(pairs) -> None:
    """Tell listeners (the journal) the grade of each (quiz, student id) touched."""
    seen = set()
    for quiz, student_id in pairs:
        if (quiz.id, student_id) in seen:
            continue
        seen.add((quiz.id, student_id))
        attempt_graded.send(
            quiz,
            course_id=quiz.course_id,
            student_id=student_id,
            item_id=quiz.id,
            item_title=quiz.title,
            item_kind="quiz",
            percent=student_percent(quiz, student_id),
            when=clock.now(),
        )


def overview(quiz: Quiz) -> dict:
    """Per student: attempts and grade; the grade distribution in 10% bins."""
    by_student = defaultdict(list)
    for attempt in (
        Attempt.live()
        .select(Attempt, User)
        .join(User)
        .where(Attempt.quiz == quiz)
        .order_by(Attempt.number)
    ):
        by_student[attempt.student_id].append(attempt)
    rows = []
    for attempts in by_student.values():
        finished = [a.percent for a in attempts if a.state == "finished"]
        rows.append(
            {
                "student": attempts[0].student,
                "attempts": attempts,
                "grade": combine(quiz.grading_method, finished),
            }
        )
    rows.sort(key=lambda row: row["student"].full_name.lower())
    grades = [row["grade"] for row in rows if row["grade"] is not None]
    counts = [0] * BINS
    for value in grades:
        counts[min(BINS - 1, int(value // (100 / BINS)))] += 1
    top = max(counts) or 1
    histogram = [
        {
            "low": i * 100 // BINS,
            "high": (i + 1) * 100 // BINS,
            "count": c,
            "width": round(100 * c / top),
        }
        for i, c in enumerate(counts)
    ]
    mean = round(sum(grades) / len(grades), 1) if grades else None
    return {"rows": rows, "histogram": histogram, "mean": mean, "graded": len(grades)}


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None without at least two points and spread in both."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def item_analysis(quiz: Quiz) -> list[dict]:
    """Facility and discrimination per question, over finished, fully graded attempts."""
    attempts = {a.id: a for a in _finished(quiz).where(Attempt.score.is_null(False))}
    if not attempts:
        return []
    per_question = defaultdict(list)
    for answer in (
        AttemptAnswer.select(AttemptAnswer, Question)
        .join(Question)
        .where(AttemptAnswer.attempt.in_(list(attempts)) & (AttemptAnswer.mark > 0))
    ):
        per_question[answer.question_id].append(answer)
    result = []
    for answers in per_question.values():
        fractions = [a.fraction or 0.0 for a in answers]
        rest = [attempts[a.attempt_id].score - (a.fraction or 0.0) * a.mark for a in answers]
        question = answers[0].question
        result.append(
            {
                "question": question,
                "count": len(answers),
                "facility": sum(fractions) / len(fractions),
                "discrimination": pearson(fractions, rest),
            }
        )
    result.sort(key=lambda row: row["question"].name.lower())
    return result
