"""Moodle's GIFT text format: parse_gift reads it like question/format/gift/format.php does.

Stricter than Moodle in one way: text before the first ``=`` or ``~`` in the answers (``{Paris}``,
``{t}``) is an error here, where Moodle silently keeps it as an answer; a typo like ``{t}`` for
``{T}`` would otherwise become a short-answer question whose answer is "t".
"""

from __future__ import annotations

import re
from decimal import Decimal

from appliance.quizzes.gift_export import export_gift
from appliance.quizzes.questions import (
    BLANK,
    Answer,
    NumericalAnswer,
    Pair,
    Question,
    QuestionFormatError,
    clean_category,
    default_name,
    percent_to_fraction,
)

__all__ = ["GiftError", "decode_text", "export_gift", "parse_gift"]


class GiftError(QuestionFormatError):
    """A GIFT question that cannot be read; ``line`` is the question's first line."""


# Escaped characters become private-use placeholders while the structure is parsed, as in
# Moodle's escapedchar_pre/escapedchar_post.
_ESCAPES = {
    ":": "\ue000",
    "#": "\ue001",
    "=": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    "~": "\ue005",
    "n": "\ue006",
}
_UNESCAPE = {ph: ("\n" if ch == "n" else ch) for ch, ph in _ESCAPES.items()}
_BACKSLASH = "\ue007"
_WEIGHT = re.compile(r"^%(-?[0-9]{1,2}\.?[0-9]*)%")
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_FORMATS = ("html", "markdown", "plain", "moodle")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def decode_text(data: bytes) -> str:
    """File bytes → text: UTF-8 (with or without BOM), else Windows-1251 as Excel saves it here."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def parse_gift(text: str) -> tuple[list[Question], list[GiftError]]:
    """Parse a GIFT file; returns the valid questions and one error per broken question."""
    questions, errors = [], []
    category = None
    for first_line, lines in _blocks(text):
        try:
            category, question = _read_block(lines, category)
        except GiftError as exc:
            errors.append(GiftError(first_line, exc.message))
            continue
        if question is not None:
            question.line = first_line
            questions.append(question)
    return questions, errors


def _blocks(text: str):
    """Yield (first line number, lines) per question: a blank line is the only separator."""
    lines, first = [], None
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text.lstrip("\ufeff")), start=1):
        line = raw.strip()
        if not line:
            if lines:
                yield first, lines
            lines, first = [], None
        elif not line.startswith("//"):  # comments count only at the start of a line
            first = first or number
            lines.append(line)
    if lines:
        yield first, lines


def _escape_pre(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for char, placeholder in _ESCAPES.items():
        text = text.replace("\\" + char, placeholder)
    return text.replace(_BACKSLASH, "\\")


def _unescape(text: str) -> str:
    for placeholder, char in _UNESCAPE.items():
        text = text.replace(placeholder, char)
    return text


def _with_format(text: str, default: str = "moodle") -> tuple[str, str]:
    """Strip a leading [html]/[markdown]/[plain]/[moodle]; returns (text, format)."""
    text = text.strip()
    match = re.match(r"^\[(\w+)\]", text)
    if match and match.group(1) in _FORMATS:
        return _unescape(text[match.end() :]).strip(), match.group(1)
    return _unescape(text).strip(), default


def _read_block(lines: list[str], category: str | None) -> tuple[str | None, Question | None]:
    """One block → (current category, question or None for a category-only block)."""
    if lines[0].startswith("$CATEGORY:"):
        # Moodle takes the whole block as the category; a question glued to the line is kept.
        category = clean_category(_unescape(_escape_pre(lines[0][len("$CATEGORY:") :])))
        lines = lines[1:]
        if not lines:
            return category, None
    text = _escape_pre("\n".join(lines).strip())
    name = None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end >= 0:
            name = _unescape(text[2:end]).strip()
            text = text[end + 2 :].strip()
        else:
            text = text[2:]
    question = _read_question(text, category)
    if name is not None:
        question.name = name
    return category, question


def _read_question(text: str, category: str | None) -> Question:
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        body, fmt = _with_format(text)
        return Question("description", default_name(body), body, fmt, category)
    if start < 0:
        raise GiftError(None, "'}' without an opening '{' (write \\} for a literal brace)")
    if finish < 0:
        raise GiftError(None, "unclosed brace: '{' without a closing '}'")
    if finish < start:
        raise GiftError(None, "'}' comes before '{' (write \\} for a literal brace)")
    if "{" in text[start + 1 :] or "}" in text[finish + 1 :]:
        raise GiftError(
            None,
            "more than one '{' or '}': a question has one answer block "
            "(write \\{ and \\} for literal braces)",
        )
    answers = text[start + 1 : finish].strip()
    # Answers at the very end follow the question; anywhere else they mark a missing word.
    marker = "" if text.endswith("}") else BLANK
    body, fmt = _with_format(text[:start] + marker + text[finish + 1 :])
    general = ""
    if "####" in answers:
        cut = answers.rfind("####")
        general, _ = _with_format(answers[cut + 4 :], fmt)
        answers = answers[:cut].strip()
    question = Question("essay", default_name(body), body, fmt, category, general)
    _fill_answers(question, answers)
    return question


def _fill_answers(q: Question, answers: str) -> None:
    """Work out the type from the answer block the way Moodle does, then read the answers."""
    if not answers:
        return  # {} is an essay
    if answers.startswith("#"):
        q.type, q.answers = "numerical", _numerical(answers[1:], q.text_format)
    elif "~" in answers:
        q.type, q.single = "multichoice", "=" in answers
        q.answers = _choices(answers, q.text_format)
    elif "=" in answers and "->" in answers:
        q.type, q.pairs = "matching", _pairs(answers, q.text_format)
    elif answers.split("#", 1)[0].strip() in _TRUE_FALSE:
        q.type = "truefalse"
        _truefalse(q, answers)
    else:
        q.type, q.answers = "shortanswer", _short(answers, q.text_format)


def _split(answers: str, separator: str, what: str) -> list[str]:
    parts = answers.split(separator)
    if parts[0].strip():
        raise GiftError(
            None,
            f"answer '{_unescape(parts[0].strip())}' must start with = or ~ "
            f"({what}; T/TRUE/F/FALSE are case-sensitive)",
        )
    return [part.strip() for part in parts[1:]]


def _weight(answer: str, default: float) -> tuple[float, str]:
    match = _WEIGHT.match(answer)
    if not match:
        return default, answer
    try:
        return percent_to_fraction(match.group(1)), answer[match.end() :]
    except ValueError as exc:
        raise GiftError(None, str(exc)) from None


def _feedback(answer: str, fmt: str) -> tuple[str, str]:
    text, _sep, feedback = answer.partition("#")
    return _with_format(text, fmt)[0], _with_format(feedback, fmt)[0]


def _choices(answers: str, fmt: str) -> list[Answer]:
    result = []
    for part in _split(answers.replace("=", "~="), "~", "multiple choice"):
        if part.startswith("="):
            fraction, part = 1.0, part[1:]
        else:
            fraction, part = _weight(part, 0.0)
        text, feedback = _feedback(part, fmt)
        if not text:
            raise GiftError(None, "an empty answer after = or ~")
        result.append(Answer(text, fraction, feedback))
    if len(result) < 2:
        raise GiftError(None, "a multiple-choice question needs at least two answers")
    return result


def _short(answers: str, fmt: str) -> list[Answer]:
    result = []
    for part in _split(answers, "=", "short answer"):
        fraction, part = _weight(part, 1.0)
        text, feedback = _feedback(part, fmt)
        if not text:
            raise GiftError(None, "an empty answer after =")
        result.append(Answer(text, fraction, feedback))
    return result


def _pairs(answers: str, fmt: str) -> list[Pair]:
    pairs = []
    for part in _split(answers, "=", "matching"):
        if "->" not in part:
            raise GiftError(
                None, f"matching answer '{_unescape(part)}' has no '->' (write =question -> answer)"
            )
        left, right = part.split("->", 1)
        pairs.append(Pair(_with_format(left, fmt)[0], _unescape(right).strip()))
    if sum(1 for pair in pairs if pair.question) < 2:
        raise GiftError(None, "a matching question needs at least two pairs")
    return pairs


def _truefalse(q: Question, answers: str) -> None:
    bits = [_with_format(bit, q.text_format)[0] for bit in answers.split("#", 2)] + ["", ""]
    value, wrong, right = _TRUE_FALSE[bits[0]], bits[1], bits[2]
    q.answer = value
    q.feedback_true, q.feedback_false = (right, wrong) if value else (wrong, right)


def _numerical(answers: str, fmt: str) -> list[NumericalAnswer]:
    wrong = None
    if "~" in answers:  # everything from the first ~ is the feedback for any other answer
        answers, wrong = answers[: answers.index("~")], answers[answers.index("~") + 1 :]
    parts = answers.split("=")
    if not parts[0].strip():
        parts = parts[1:]
    result = []
    for part in parts:
        fraction, part = _weight(part.strip(), 1.0)
        text, feedback = _feedback(part, fmt)
        result.append(NumericalAnswer(*_number_range(text), fraction, feedback))
    if not result:
        raise GiftError(None, "a numerical question needs at least one answer after {#")
    if wrong is not None:
        result.append(NumericalAnswer(None, 0.0, 0.0, _feedback(wrong, fmt)[1]))
    return result


def _number_range(text: str) -> tuple[float | None, float]:
    """'3:2' → (3, 2); '1..5' → (3, 2); '7' → (7, 0); '*' → any value."""
    if text == "*":
        return None, 0.0
    if text.find("..") > 0:
        # Decimal arithmetic: 3.141..3.142 gives 3.1415 ± 0.0005, not 3.1414999999999997.
        low, high = (_number(bit) for bit in text.split("..", 1))
        return float((low + high) / 2), float((high - low) / 2)
    if text.find(":") > 0:
        value, tolerance = text.split(":", 1)
        return float(_number(value)), float(_number(tolerance))
    return float(_number(text)), 0.0


def _number(text: str) -> Decimal:
    text = text.strip()
    if not _NUMBER.match(text):
        hint = " (use a dot for decimals)" if re.fullmatch(r"[-+]?\d+,\d+", text) else ""
        raise GiftError(None, f"'{text}' is not a number{hint}")
    if abs(Decimal(text)) > Decimal("1e300"):  # would turn into an infinite float
        raise GiftError(None, f"'{text}' is too large a number")
    return Decimal(text)
