"""Moodle XML question import (question/format/xml), embedded base64 files included."""

from __future__ import annotations

import base64
import binascii
import math
import mimetypes
import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from appliance.quizzes.models import QUESTION_TYPES
from appliance.quizzes.questions import (
    Answer,
    Attachment,
    NumericalAnswer,
    Pair,
    Question,
    QuestionFormatError,
    clean_category,
    default_name,
    percent_to_fraction,
)

MAX_BYTES = 10 * 1024 * 1024
_FORMATS = {
    "html": "html",
    "moodle_auto_format": "moodle",
    "plain_text": "plain",
    "markdown": "markdown",
}


class MoodleXmlError(QuestionFormatError):
    """A Moodle XML file or question that cannot be read; ``line`` is where, when known."""


def parse_moodle_xml(data: bytes) -> tuple[list[Question], list[MoodleXmlError]]:
    """Parse a Moodle XML export; returns the valid questions and one error per broken one."""
    try:
        root, lines = _parse_safely(data)
    except MoodleXmlError as exc:
        return [], [exc]
    if root.tag != "quiz":
        return [], [MoodleXmlError(1, f"expected a <quiz> document, found <{root.tag}>")]
    questions, errors, category = [], [], None
    for element in root.iter("question"):
        line = lines.get(element)
        kind = element.get("type", "")
        try:
            if kind == "category":
                category = clean_category(_text(element.find("category")))
                continue
            question = _question(element, "matching" if kind == "match" else kind, category)
        except MoodleXmlError as exc:
            errors.append(MoodleXmlError(line, exc.message))
            continue
        question.line = line
        questions.append(question)
    return questions, errors


def _parse_safely(data: bytes) -> tuple[ET.Element, dict]:
    """Parse with expat into ElementTree elements, refusing DTDs (entity bombs, external files)."""
    if len(data) > MAX_BYTES:
        raise MoodleXmlError(None, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    builder, lines = ET.TreeBuilder(), {}
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse(*_args):
        raise MoodleXmlError(
            parser.CurrentLineNumber, "DOCTYPE and ENTITY declarations are not allowed"
        )

    def start(tag, attrs):
        lines[builder.start(tag, attrs)] = parser.CurrentLineNumber

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise MoodleXmlError(exc.lineno, f"malformed XML: {expat.ErrorString(exc.code)}") from None
    return builder.close(), lines


def _text(element: ET.Element | None) -> str:
    """The <text> child of a Moodle text element, stripped ('' when missing)."""
    if element is None:
        return ""
    return (element.findtext("text") or "").strip()


def _format(element: ET.Element | None, default: str = "html") -> str:
    return _FORMATS.get(element.get("format", "") if element is not None else "", default)


def _question(element: ET.Element, kind: str, category: str | None) -> Question:
    if kind not in QUESTION_TYPES:
        raise MoodleXmlError(None, f"question type '{kind}' is not supported")
    body = element.find("questiontext")
    text = _text(body)
    question = Question(
        kind,
        _text(element.find("name")) or default_name(text),
        text,
        _format(body),
        category,
        _text(element.find("generalfeedback")),
        attachments=_attachments(element),
    )
    if kind == "multichoice":
        question.single = (element.findtext("single") or "true").strip() in ("true", "1")
        question.answers = [
            Answer(_text(a), _fraction(a), _text(a.find("feedback")))
            for a in element.findall("answer")
        ]
        if len(question.answers) < 2:
            raise MoodleXmlError(None, "a multiple-choice question needs at least two answers")
    elif kind == "shortanswer":
        question.answers = [
            Answer(_text(a), _fraction(a), _text(a.find("feedback")))
            for a in element.findall("answer")
        ]
        if not question.answers:
            raise MoodleXmlError(None, "a short-answer question needs an answer")
    elif kind == "truefalse":
        _truefalse(question, element)
    elif kind == "numerical":
        question.answers = [_numerical(a) for a in element.findall("answer")]
        if not question.answers:
            raise MoodleXmlError(None, "a numerical question needs an answer")
    elif kind == "matching":
        question.pairs = [
            Pair(_text(s), _text(s.find("answer"))) for s in element.findall("subquestion")
        ]
        if sum(1 for pair in question.pairs if pair.question) < 2:
            raise MoodleXmlError(None, "a matching question needs at least two pairs")
    return question


def _fraction(answer: ET.Element) -> float:
    try:
        return percent_to_fraction(answer.get("fraction", "0"))
    except ValueError as exc:
        raise MoodleXmlError(None, str(exc)) from None


def _truefalse(question: Question, element: ET.Element) -> None:
    for answer in element.findall("answer"):
        value = _text(answer).lower() == "true"
        if value:
            question.feedback_true = _text(answer.find("feedback"))
        else:
            question.feedback_false = _text(answer.find("feedback"))
        if _fraction(answer) == 1:
            question.answer = value
    if question.answer is None:
        raise MoodleXmlError(None, "a true/false question needs an answer with fraction 100")


def _numerical(answer: ET.Element) -> NumericalAnswer:
    value, tolerance = _text(answer), (answer.findtext("tolerance") or "0").strip() or "0"
    try:
        number = None if value in ("*", "") else float(value)
        if not math.isfinite(number if number is not None else 0) or not math.isfinite(
            float(tolerance)
        ):
            raise ValueError(value)
        return NumericalAnswer(
            number, float(tolerance), _fraction(answer), _text(answer.find("feedback"))
        )
    except ValueError:
        raise MoodleXmlError(
            None, f"numerical answer '{value}' ± '{tolerance}' is not a number"
        ) from None


def _attachments(element: ET.Element) -> list[Attachment]:
    """Every <file encoding="base64"> in the question, referenced as @@PLUGINFILE@@/name."""
    found = {}
    for file in element.iter("file"):
        name = file.get("name", "")
        if not name or file.get("encoding", "base64") != "base64" or name in found:
            continue
        try:
            data = base64.b64decode(re.sub(r"\s+", "", file.text or ""), validate=True)
        except binascii.Error:
            raise MoodleXmlError(None, f"embedded file '{name}' is not valid base64") from None
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        found[name] = Attachment(name, data, mime)
    return list(found.values())
