"""Course files: add, rename, remove and look up a course's PDFs, images, audio and video."""

from __future__ import annotations

from typing import BinaryIO

import peewee

from appliance.accounts.models import User
from appliance.content import ContentStore
from appliance.courses.access import can_edit, can_view
from appliance.courses.filetypes import ALLOWED_TEXT, HEAD_BYTES, TYPES, extension, sniff
from appliance.courses.models import Course, Resource, Section
from appliance.courses.services import get_section
from appliance.db import write
from appliance.errors import Forbidden, NotFound, ValidationError

MB = 1024 * 1024


class _Prefixed:
    """A stream that gives back the bytes already read for sniffing, then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self.head = head
        self.rest = rest

    def read(self, size: int = -1) -> bytes:
        if self.head:
            chunk, self.head = self.head, b""
            return chunk
        return self.rest.read(size)


def clean_filename(filename: str) -> str:
    """The file's own name without any folder part a browser may send, at most 255 characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip().strip(".")
    name = "".join(ch for ch in name if ch.isprintable())
    if len(name) > 255:
        stem, _, ext = name.rpartition(".")
        name = stem[: 254 - len(ext)] + "." + ext
    return name


def check_type(filename: str, head: bytes) -> str:
    """The MIME type of an acceptable file; refuses other types and renamed files."""
    ext = extension(filename)
    filetype = TYPES.get(ext)
    if filetype is None:
        raise ValidationError(
            "Files of this type cannot be added. Allowed types: %(allowed)s.",
            "file",
            allowed=ALLOWED_TEXT,
        )
    # The extension alone is not trusted: an .exe renamed to .pdf must not pass.
    if sniff(head) != filetype.family:
        raise ValidationError(
            "The file '%(name)s' is not really a %(ext)s file (its contents say otherwise).",
            "file",
            name=filename,
            ext=ext.upper(),
        )
    return filetype.mime


def open_upload(stream: BinaryIO, filename: str) -> tuple[str, bytes]:
    """The cleaned name and first bytes of an upload (for type checks); refuses none or empty."""
    filename = clean_filename(filename or "")
    if not filename:
        raise ValidationError("Choose a file to upload.", "file")
    head = stream.read(HEAD_BYTES)
    if not head:
        raise ValidationError("The file is empty.", "file")
    return filename, head


def store_upload(
    store: ContentStore, head: bytes, stream: BinaryIO, max_mb: int
) -> tuple[str, int]:
    """Put a checked upload (its first bytes already read) in the store: (sha256, size).

    Callers store the bytes before they write the row: a row must never name a missing file it
    was meant to have; an orphaned blob is harmless (the same bytes are stored once)."""
    return store.put(_Prefixed(head, stream), max_bytes=max_mb * MB)


def add_resource(
    user: User,
    course: Course,
    stream: BinaryIO,
    filename: str,
    *,
    store: ContentStore,
    max_mb: int,
    section_id: str | None = None,
    title: str = "",
) -> Resource:
    """Store an uploaded file and list it in the course (or one of its sections)."""
    if not can_edit(user, course):
        raise Forbidden("You may not change this course.")
    section = get_section(course, section_id) if section_id else None
    filename, head = open_upload(stream, filename)
    mime = check_type(filename, head)
    title = (title or "").strip() or filename.rsplit(".", 1)[0]
    if len(title) > 200:
        raise ValidationError("The title must have at most 200 characters.", "title")
    sha256, size = store_upload(store, head, stream, max_mb)
    with write():
        resource = Resource(
            course=course,
            section=section,
            title=title,
            filename=filename,
            mime=mime,
            size=size,
            sha256=sha256,
            position=_next_position(course, section),
        )
        resource.save()
    return resource


def _next_position(course: Course, section: Section | None) -> int:
    query = Resource.select(peewee.fn.MAX(Resource.position)).where(Resource.course == course)
    query = query.where(Resource.section == section if section else Resource.section.is_null())
    last = query.scalar()
    return 0 if last is None else last + 1


def rename_resource(user: User, resource: Resource, title: str) -> Resource:
    """Give a file a new title (the stored file name stays, downloads keep it)."""
    if not can_edit(user, resource.course) or resource.read_only_here:
        raise Forbidden("You may not change this course.")
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationError("The title must have 1 to 200 characters.", "title")
    with write():
        resource.title = title
        resource.save(only=[Resource.title])
    return resource


def delete_resource(user: User, resource: Resource) -> None:
    """Remove a file from its course (a tombstone, so the removal syncs too)."""
    if not can_edit(user, resource.course) or resource.read_only_here:
        raise Forbidden("You may not change this course.")
    with write():
        resource.tombstone()


def get_resource(user: User, course_id: str, resource_id: str) -> Resource:
    """A live file of a course the user may view; NotFound otherwise, to hide what exists."""
    resource = (
        Resource.select(Resource, Course)
        .join(Course)
        .where(
            (Resource.id == resource_id)
            & (Resource.course == course_id)
            & (Resource.deleted == False)
        )
        .first()
    )  # noqa: E712
    if resource is None or not can_view(user, resource.course):
        raise NotFound("No such file.")
    return resource


def section_resources(section: Section) -> list[Resource]:
    """A section's live files in order."""
    return list(
        Resource.live()
        .where(Resource.section == section)
        .order_by(Resource.position, Resource.title)
    )


def resources_by_section(course: Course) -> dict[str | None, list[Resource]]:
    """Every live file of a course grouped by section id, in one query (for the course page)."""
    grouped: dict[str | None, list[Resource]] = {}
    for resource in (
        Resource.live().where(Resource.course == course).order_by(Resource.position, Resource.title)
    ):
        grouped.setdefault(resource.section_id, []).append(resource)
    return grouped
