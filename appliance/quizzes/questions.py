"""Parsed questions as plain dataclasses, independent of the database and of the file format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from appliance.errors import ValidationError

TYPES = ("multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay", "description")
TEXT_FORMATS = ("html", "markdown", "plain", "moodle")
BLANK = "_____"  # Moodle's marker for where a missing-word question's answers stood


class QuestionFormatError(ValidationError):
    """A question file that cannot be read; ``line`` is 1-based (None when unknown)."""

    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Answer:
    """A choice or accepted short answer; fraction is the share of the mark, -1..1."""

    text: str
    fraction: float = 0.0
    feedback: str = ""


@dataclass
class NumericalAnswer:
    """value ± tolerance earns fraction; value None matches any other answer (Moodle's ``*``)."""

    value: float | None
    tolerance: float = 0.0
    fraction: float = 1.0
    feedback: str = ""


@dataclass
class Pair:
    """A matching pair; an empty question makes the answer a distractor."""

    question: str
    answer: str


@dataclass
class Attachment:
    """A file embedded in the question (referenced as @@PLUGINFILE@@/name in the texts)."""

    name: str
    data: bytes
    mime: str


@dataclass
class Question:
    """One parsed question; which fields matter depends on ``type``."""

    type: str
    name: str
    text: str
    text_format: str = "moodle"
    category: str | None = None
    general_feedback: str = ""
    single: bool = True
    answers: list = field(default_factory=list)
    answer: bool | None = None
    feedback_true: str = ""
    feedback_false: str = ""
    pairs: list[Pair] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        """The JSON shape of the import report: common keys plus the type's own."""
        data = {
            "type": self.type,
            "name": self.name,
            "text": self.text,
            "category": self.category,
            "general_feedback": self.general_feedback,
        }
        if self.type == "multichoice":
            data["single"] = self.single
        if self.type in ("multichoice", "shortanswer"):
            data["answers"] = [
                {"text": a.text, "fraction": a.fraction, "feedback": a.feedback}
                for a in self.answers
            ]
        elif self.type == "numerical":
            data["answers"] = [
                {
                    "value": a.value,
                    "tolerance": a.tolerance,
                    "fraction": a.fraction,
                    "feedback": a.feedback,
                }
                for a in self.answers
            ]
        elif self.type == "truefalse":
            data["answer"] = self.answer
        elif self.type == "matching":
            data["pairs"] = [{"question": p.question, "answer": p.answer} for p in self.pairs]
        return data


def percent_to_fraction(text: str) -> float:
    """'33.3' (percent) → 0.333; decimal arithmetic so export and re-import give the same float."""
    try:
        fraction = float(Decimal(text.strip()) / 100)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a percentage") from None
    if not -1 <= fraction <= 1:
        raise ValueError(f"weight {text}% is outside -100%..100%")
    return fraction


def fraction_to_percent(fraction: float) -> str:
    """0.07 → '7': the shortest percentage that percent_to_fraction reads back exactly."""
    text = format(Decimal(repr(fraction)) * 100, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_PREFIXES = re.compile(r"^\$(course|system|module|cat|coursecategory)\$/")


def clean_category(path: str | None) -> str | None:
    """Moodle's '$course$/top/Algebra/Roots' → 'Algebra/Roots'; the top category → None."""
    path = _PREFIXES.sub("", (path or "").strip())
    if path == "top" or path.startswith("top/"):
        path = path[4:]
    return path.strip("/ ") or None


_TAGS = re.compile(r"<[^>]*>")


def default_name(text: str, fallback: str = "Question") -> str:
    """A name from the question text when the file gives none, like Moodle (80 characters)."""
    plain = " ".join(_TAGS.sub(" ", text).split())
    if len(plain) > 80:
        cut = plain[:80].rsplit(" ", 1)[0] if " " in plain[:80] else plain[:80]
        plain = cut + "..."
    return plain or fallback
