"""Import GIFT or Moodle XML files into a course's question bank: all questions or none."""

from __future__ import annotations

import io
from collections.abc import Callable
from urllib.parse import quote

from appliance.accounts.models import User
from appliance.content import ContentStore
from appliance.courses.filetypes import HEAD_BYTES
from appliance.courses.resources import add_resource, check_type, clean_filename
from appliance.db import write
from appliance.errors import ValidationError
from appliance.quizzes import bank
from appliance.quizzes.gift import decode_text, parse_gift
from appliance.quizzes.models import Question, QuestionCategory
from appliance.quizzes.moodle_xml import MAX_BYTES, parse_moodle_xml
from appliance.quizzes.questions import Question as Parsed
from appliance.quizzes.questions import QuestionFormatError

FORMATS = ("gift", "xml")
PLUGINFILE = "@@PLUGINFILE@@/"


def guess_format(filename: str, data: bytes) -> str:
    """'xml' for a .xml file or one that starts like XML, else 'gift'."""
    if filename.lower().endswith(".xml") or data.lstrip()[:5] == b"<?xml":
        return "xml"
    return "gift"


def parse_file(
    data: bytes, filename: str = "", file_format: str | None = None
) -> tuple[list[Parsed], list[QuestionFormatError], str]:
    """Parse an uploaded file: (valid questions, errors with line numbers, format used)."""
    if not data:
        raise ValidationError("Choose a file to import.", "file")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            "The file is larger than the limit of %(mb)s MB.", "file", mb=MAX_BYTES // (1 << 20)
        )
    file_format = file_format or guess_format(filename, data)
    if file_format not in FORMATS:
        raise ValidationError("Please choose GIFT or Moodle XML.", "format")
    if file_format == "xml":
        questions, errors = parse_moodle_xml(data)
    else:
        questions, errors = parse_gift(decode_text(data))
    if not questions and not errors:
        raise ValidationError("The file holds no questions.", "file")
    return questions, errors, file_format


def check(questions: list[Parsed]) -> tuple[list[Parsed], list[QuestionFormatError]]:
    """Split parsed questions into those the bank accepts and errors for the others."""
    valid, problems = [], []
    for q in questions:
        try:
            bank.question_fields(q, False)
            for attachment in q.attachments:  # the same check as any course upload
                check_type(clean_filename(attachment.name), attachment.data[:HEAD_BYTES])
            valid.append(q)
        except ValidationError as exc:
            problems.append(QuestionFormatError(q.line, f"{q.name}: {exc}"))
    return valid, problems


def _replace(text: str, names: dict[str, str]) -> str:
    for name, url in names.items():
        text = text.replace(PLUGINFILE + name, url).replace(PLUGINFILE + quote(name), url)
    return text


def _link_attachments(q: Parsed, urls: dict[str, str]) -> None:
    q.text = _replace(q.text, urls)
    q.general_feedback = _replace(q.general_feedback, urls)
    for answer in q.answers:
        if hasattr(answer, "text"):
            answer.text = _replace(answer.text, urls)
        answer.feedback = _replace(answer.feedback, urls)


def import_questions(
    actor: User,
    category: QuestionCategory,
    questions: list[Parsed],
    *,
    store: ContentStore,
    max_mb: int,
    resource_url: Callable[[object], str],
) -> list[Question]:
    """Store the questions (their file categories under ``category``); all or nothing.

    Embedded files become course files (checked like any upload: images only, no SVG) and
    the question texts point at them.
    """
    bank.require_edit(actor, category.course)
    course = category.course
    created = []
    with write():
        for q in questions:
            urls = {}
            for attachment in q.attachments:
                resource = add_resource(
                    actor,
                    course,
                    io.BytesIO(attachment.data),
                    attachment.name,
                    store=store,
                    max_mb=max_mb,
                    title=attachment.name,
                )
                urls[attachment.name] = resource_url(resource)
            _link_attachments(q, urls)
            target = bank.category_path(actor, course, category, q.category)
            try:
                created.append(bank.create_question(actor, target, q))
            except ValidationError as exc:
                raise ValidationError(
                    "Question '%(name)s' (line %(line)s): %(error)s",
                    "file",
                    name=q.name,
                    line=q.line or "?",
                    error=str(exc),
                ) from None
    return created
