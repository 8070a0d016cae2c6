"""Request plumbing shared by the CSV import pages: the upload, the pending folder, error rows."""

from __future__ import annotations

import time
from pathlib import Path

from flask import current_app, request

from appliance.csvfile import MAX_BYTES
from web.errors import error_message

# An upload the admin never confirmed is removed after a day.
PENDING_TTL = 24 * 3600


def uploaded_csv() -> bytes | None:
    """The bytes of the form's ``file`` field (None when no file was chosen)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    # One byte past the limit is enough to know the file is too large without reading it all.
    return upload.stream.read(MAX_BYTES + 1)


def pending_folder() -> Path:
    """The folder of uploads awaiting the admin's confirmation."""
    folder = current_app.config["MEKTEP"].home / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sweep(folder: Path, pattern: str) -> None:
    """Remove the ``pattern`` uploads of ``folder`` that were never confirmed."""
    now = time.time()
    for old in folder.glob(pattern):
        if now - old.stat().st_mtime > PENDING_TTL:
            old.unlink(missing_ok=True)


def error_lines(preview) -> list[tuple[int | None, str]]:
    """A preview's errors as (line, translated message) for the _import_errors.html partial."""
    return [(e.line, error_message(e.error)) for e in preview.errors]
