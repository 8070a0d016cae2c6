"""Form parsing for quiz pages: the question editor and the answers on an attempt page."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from appliance.errors import ValidationError
from appliance.quizzes.grading import parse_number
from appliance.quizzes.questions import Answer, NumericalAnswer, Pair, Question, percent_to_fraction

BLANK_ROWS = 3


def _fraction(text: str, row: int) -> float:
    text = (text or "").strip().rstrip("%") or "0"
    try:
        return percent_to_fraction(text.replace(",", "."))
    except ValueError:
        raise ValidationError(
            "Answer %(row)s: the grade must be a percentage from -100 to 100.", "answers", row=row
        ) from None


def _rows(form: MultiDict, *names: str) -> list[tuple[int, list[str]]]:
    """Aligned rows of repeated fields (answer_text[], answer_fraction[], ...), blanks dropped."""
    columns = [form.getlist(name) for name in names]
    length = max((len(c) for c in columns), default=0)
    rows = []
    for i in range(length):
        values = [c[i] if i < len(c) else "" for c in columns]
        if values[0].strip():
            rows.append((i + 1, values))
    return rows


def question_from_form(qtype: str, form: MultiDict) -> tuple[Question, bool]:
    """The question the editor form describes, and whether short answers are case-sensitive."""
    q = Question(
        qtype,
        form.get("name", "").strip(),
        form.get("text", ""),
        form.get("text_format", "html"),
        general_feedback=form.get("general_feedback", ""),
    )
    if qtype in ("multichoice", "shortanswer"):
        q.single = form.get("single") == "on" if qtype == "multichoice" else True
        q.answers = [
            Answer(text.strip(), _fraction(fraction, row), feedback)
            for row, (text, fraction, feedback) in _rows(
                form, "answer_text", "answer_fraction", "answer_feedback"
            )
        ]
    elif qtype == "numerical":
        for row, (text, fraction, feedback, tolerance) in _rows(
            form, "answer_text", "answer_fraction", "answer_feedback", "answer_tolerance"
        ):
            value = None if text.strip() == "*" else parse_number(text)
            tol = parse_number(tolerance or "0")
            if (value is None and text.strip() != "*") or tol is None:
                raise ValidationError(
                    "Answer %(row)s: enter a number (or * for any answer) and a tolerance.",
                    "answers",
                    row=row,
                )
            q.answers.append(NumericalAnswer(value, abs(tol), _fraction(fraction, row), feedback))
    elif qtype == "truefalse":
        value = form.get("answer")
        q.answer = {"true": True, "false": False}.get(value)
        q.feedback_true, q.feedback_false = (
            form.get("feedback_true", ""),
            form.get("feedback_false", ""),
        )
    elif qtype == "matching":
        q.pairs = [
            Pair(question.strip(), answer.strip())
            for _, (answer, question) in _rows(form, "pair_answer", "pair_question")
        ]
    return q, form.get("case_sensitive") == "on"


def response_from_form(question, item: dict, slot: int, form: MultiDict):
    """The response to one question from an attempt page's fields (named q<slot>...)."""
    name = f"q{slot}"
    if question.type == "multichoice" and not question.key.get("single", True):
        return form.getlist(name)
    if question.type == "matching":
        pairs = question.key["pairs"]
        return {str(j): form.get(f"{name}_{j}", "") for j, p in enumerate(pairs) if p["question"]}
    return form.get(name)
