"""Quiz results on a small known dataset: overview, distribution and item analysis."""

import math

import pytest

from appliance.quizzes import attempts, results
from tests.quiz_samples import make_quiz

GIFT = "::Q1:: one {=a ~b}\n\n::Q2:: two {=c ~d}\n\n::Q3:: three {=e ~f}\n"


def test_item_analysis_and_distribution(make_user):
    _, _, quiz, questions = make_quiz(make_user, GIFT)
    # Four students: 3, 2, 1 and 0 right, always the first questions.
    for right in (3, 2, 1, 0):
        student = make_user("student", class_name="7A")
        attempt = attempts.start_attempt(student, quiz)
        slots = {item["q"]: i for i, item in enumerate(attempt.items)}
        attempts.save_answers(
            student,
            attempt,
            {slots[q.id]: "0" if n < right else "1" for n, q in enumerate(questions)},
        )
        attempts.finish_attempt(attempt, student)
    analysis = {row["question"].name: row for row in results.item_analysis(quiz)}
    assert [analysis[n]["facility"] for n in ("Q1", "Q2", "Q3")] == [0.75, 0.5, 0.25]
    # Q1: item [1,1,1,0] against the rest of the test [2,1,0,0].
    assert analysis["Q1"]["discrimination"] == pytest.approx(0.75 / math.sqrt(0.75 * 2.75))
    assert analysis["Q2"]["discrimination"] == pytest.approx(1 / math.sqrt(2))
    assert analysis["Q3"]["count"] == 4
    summary = results.overview(quiz)
    assert sorted(round(r["grade"], 2) for r in summary["rows"]) == [0.0, 33.33, 66.67, 100.0]
    assert [b["count"] for b in summary["histogram"]] == [1, 0, 0, 1, 0, 0, 1, 0, 0, 1]
    assert summary["mean"] == 50.0


def test_pearson_without_spread_is_none():
    assert results.pearson([1, 1, 1], [0, 1, 2]) is None
    assert results.pearson([1], [1]) is None


@pytest.mark.parametrize(
    "method,expected", [("highest", 80), ("average", 50), ("first", 20), ("last", 50)]
)
def test_grading_methods(method, expected):
    assert results.combine(method, [20, 80, 50]) == expected
