"""Choosing and running the right question-file parser."""

from __future__ import annotations

from pathlib import PurePath

from appliance.quizzes.gift import decode_text, parse_gift
from appliance.quizzes.moodle_xml import parse_moodle_xml
from appliance.quizzes.questions import Question, QuestionFormatError

FORMATS = ("gift", "xml")
_EXTENSIONS = {".gift": "gift", ".txt": "gift", ".xml": "xml"}


def guess_format(filename: str) -> str | None:
    """'bank.gift' → 'gift', 'bank.xml' → 'xml', anything else → None."""
    return _EXTENSIONS.get(PurePath(filename).suffix.lower())


def parse_questions(data: bytes, fmt: str) -> tuple[list[Question], list[QuestionFormatError]]:
    """Parse a question file's bytes in the given format; returns (questions, errors)."""
    if fmt == "gift":
        return parse_gift(decode_text(data))
    if fmt == "xml":
        return parse_moodle_xml(data)
    raise ValueError(f"unknown question format {fmt!r}")
