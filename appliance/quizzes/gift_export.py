"""GIFT export: questions → text that parse_gift reads back to the same questions."""

from __future__ import annotations

import re

from appliance.quizzes.questions import BLANK, Question, fraction_to_percent

_RESERVED = str.maketrans(
    {
        "\\": "\\\\",
        "#": "\\#",
        "=": "\\=",
        "~": "\\~",
        "{": "\\{",
        "}": "\\}",
        ":": "\\:",
        "\n": "\\n",
        "\r": "",
    }
)
_FORMAT_PREFIX = re.compile(r"^\[(html|markdown|plain|moodle)\]")


def export_gift(questions: list[Question]) -> str:
    """Write questions as GIFT, with a $CATEGORY: line wherever the category changes."""
    blocks, category = [], None
    for question in questions:
        if question.category != category:
            category = question.category
            blocks.append(f"$CATEGORY: {category or 'top'}")
        blocks.append(_question(question))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _escape(text: str) -> str:
    return text.translate(_RESERVED)


def _text(text: str, fmt: str, default: str = "moodle") -> str:
    """Escaped text with a [format] prefix when it differs from the default or could be misread."""
    prefix = f"[{fmt}]" if fmt != default or _FORMAT_PREFIX.match(text) else ""
    return prefix + _escape(text)


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _question(q: Question) -> str:
    name, head = f"::{_escape(q.name)}::", _text(q.text, q.text_format)
    if q.type == "description":
        return name + head
    lines = _answer_lines(q)
    if q.general_feedback:
        lines.append("####" + _text(q.general_feedback, q.text_format, q.text_format))
    block = "{" + "".join(f"\n\t{line}" for line in lines) + ("\n}" if lines else "}")
    # Put the answers back where the blank was, so a missing-word question stays one.
    where = head.find(BLANK)
    if where >= 0 and head[where + len(BLANK) :].strip():
        return name + head[:where] + block + head[where + len(BLANK) :]
    return name + head + block


def _answer_lines(q: Question) -> list[str]:
    fmt = q.text_format
    if q.type == "essay":
        return []
    if q.type == "truefalse":
        right, wrong = (
            (q.feedback_true, q.feedback_false) if q.answer else (q.feedback_false, q.feedback_true)
        )
        line = "TRUE" if q.answer else "FALSE"
        if wrong or right:
            line += "#" + _text(wrong, fmt, fmt)
        if right:
            line += "#" + _text(right, fmt, fmt)
        return [line]
    if q.type == "matching":
        for pair in q.pairs:
            if "->" in pair.question:
                raise ValueError(f"GIFT cannot hold '->' in a matching question: {pair.question}")
        return [f"={_text(p.question, fmt, fmt)} -> {_escape(p.answer)}" for p in q.pairs]
    if q.type == "numerical":
        return _numerical_lines(q)
    return [
        _weighted(q, a.fraction, a.text) + _text(a.text, fmt, fmt) + _feedback(a.feedback, fmt)
        for a in q.answers
    ]


def _weighted(q: Question, fraction: float, text: str) -> str:
    """The = / ~ / %weight% prefix of a choice or short answer."""
    weight = f"%{fraction_to_percent(fraction)}%"
    if q.type == "shortanswer":
        # A text that starts with % needs an explicit weight, or it would be read as one.
        return "=" if fraction == 1 and not text.startswith("%") else "=" + weight
    if fraction == 1 and q.single:
        return "="
    return "~" if fraction == 0 and not text.startswith("%") else "~" + weight


def _feedback(feedback: str, fmt: str) -> str:
    return "#" + _text(feedback, fmt, fmt) if feedback else ""


def _numerical_lines(q: Question) -> list[str]:
    lines = []
    for i, a in enumerate(q.answers):
        if a.value is None and a.fraction == 0 and i == len(q.answers) - 1:
            lines.append("~" + (_feedback(a.feedback, q.text_format) or "#"))
            continue
        value = "*" if a.value is None else f"{_number(a.value)}:{_number(a.tolerance)}"
        lines.append(
            f"=%{fraction_to_percent(a.fraction)}%{value}" + _feedback(a.feedback, q.text_format)
        )
    lines[0] = "#" + lines[0]
    return lines
