"""All submissions of an assignment as one ZIP: "Lastname_Firstname_username/original-name"."""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from typing import IO

from appliance.assignments.filetypes import TYPES, extension
from appliance.assignments.models import Assignment, Submission
from appliance.assignments.services import submissions_of
from appliance.content import ContentStore
from appliance.errors import ValidationError

MB = 1024 * 1024
MAX_ARCHIVE_BYTES = 4096 * MB  # more than a class hands in; a runaway archive stops here
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_part(name: str, fallback: str = "file") -> str:
    """One path component with no separators, control characters or leading dots ("../x" → "x")."""
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    return name[:120] or fallback


def folder_name(submission: Submission) -> str:
    """The student's folder: Lastname_Firstname_username."""
    student = submission.student
    parts = [student.last_name, student.first_name, student.username]
    return safe_part("_".join(part.strip() for part in parts if part and part.strip()), "student")


def _unique(name: str, taken: set[str]) -> str:
    """``name`` or "stem (2).ext", "stem (3).ext" ... when it is taken already."""
    if name.lower() not in taken:
        taken.add(name.lower())
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, dot, ext = name, "", ""
    number = 2
    while f"{stem} ({number}){dot}{ext}".lower() in taken:
        number += 1
    name = f"{stem} ({number}){dot}{ext}"
    taken.add(name.lower())
    return name


def entries(assignment: Assignment) -> list[tuple[str, Submission, str]]:
    """What goes into the ZIP: (archive name, submission, "text" or "file"), names unique."""
    taken: set[str] = set()
    result = []
    for submission in submissions_of(assignment):
        folder = _unique(folder_name(submission), taken)
        in_folder: set[str] = set()
        if submission.text:
            result.append((folder + "/" + _unique("submission.txt", in_folder), submission, "text"))
        if submission.sha256:
            name = _unique(safe_part(submission.filename), in_folder)
            result.append((folder + "/" + name, submission, "file"))
    return result


def write_archive(assignment: Assignment, store: ContentStore) -> IO[bytes]:
    """The ZIP in an anonymous temp file beside the content store (rewound, ready to send)."""
    items = entries(assignment)
    total = sum(len(s.text.encode()) if kind == "text" else s.size for _, s, kind in items)
    if total > MAX_ARCHIVE_BYTES:
        raise ValidationError(
            "The submissions are too large for one ZIP (%(mb)s MB).", mb=total // MB
        )
    store.root.mkdir(parents=True, exist_ok=True)
    # Beside the store, not in /tmp: on small boards /tmp is RAM, and the store's disk has room.
    if shutil.disk_usage(store.root).free < total + 64 * MB:
        raise ValidationError("There is not enough free disk space to build the ZIP.")
    out = tempfile.TemporaryFile(dir=store.root, prefix=".zip-")
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, submission, kind in items:
                if kind == "text":
                    # BOM and CRLF: old Windows Notepad on classroom PCs shows Cyrillic text right.
                    archive.writestr(
                        name, ("\ufeff" + submission.text.replace("\n", "\r\n")).encode("utf-8")
                    )
                    continue
                path = store.path_for(submission.sha256)
                if not path.exists():
                    continue  # not yet arrived from another machine; the table shows the rest
                filetype = TYPES.get(extension(submission.filename))
                method = zipfile.ZIP_STORED if filetype and filetype.compressed else None
                archive.write(path, name, compress_type=method)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return out
