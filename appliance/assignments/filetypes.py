"""Which files students may hand in: by extension, confirmed by the first bytes (no executables)."""

from __future__ import annotations

from typing import NamedTuple

from appliance.courses.filetypes import HEAD_BYTES, extension, sniff
from appliance.errors import ValidationError

__all__ = ["HEAD_BYTES", "TYPES", "check_type", "extension", "parse_types"]


class FileType(NamedTuple):
    mime: str
    family: str  # what the first bytes must show
    compressed: bool  # already compressed: stored as is in the ZIP of all submissions


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", "pdf", False),
    "jpg": FileType("image/jpeg", "jpeg", True),
    "jpeg": FileType("image/jpeg", "jpeg", True),
    "png": FileType("image/png", "png", True),
    "gif": FileType("image/gif", "gif", True),
    "webp": FileType("image/webp", "webp", True),
    "docx": FileType(_OOXML + "wordprocessingml.document", "zip", True),
    "xlsx": FileType(_OOXML + "spreadsheetml.sheet", "zip", True),
    "pptx": FileType(_OOXML + "presentationml.presentation", "zip", True),
    "odt": FileType(_ODF + "text", "zip", True),
    "ods": FileType(_ODF + "spreadsheet", "zip", True),
    "odp": FileType(_ODF + "presentation", "zip", True),
    "doc": FileType("application/msword", "ole", False),
    "xls": FileType("application/vnd.ms-excel", "ole", False),
    "ppt": FileType("application/vnd.ms-powerpoint", "ole", False),
    "zip": FileType("application/zip", "zip", True),
    "txt": FileType("text/plain", "text", False),
    "csv": FileType("text/csv", "text", False),
    "mp3": FileType("audio/mpeg", "mp3", True),
    "mp4": FileType("video/mp4", "mp4", True),
}


# Programs in any disguise: Windows PE, ELF, Mach-O, and scripts with a #! line.
_EXECUTABLE = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)


def _family(head: bytes) -> str | None:
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    found = sniff(head)
    if found is not None:
        return found
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # The head may cut a multibyte character in two; only a cut at the very end is fine.
            if exc.start < len(head) - 3:
                return None
        return "text"
    return None


def parse_types(value: str) -> list[str]:
    """Allowed extensions from "pdf, .DOCX jpg" to ["pdf", "docx", "jpg"]; unknown ones refused."""
    names = [part.strip().lstrip(".").lower() for part in value.replace(" ", ",").split(",")]
    names = list(dict.fromkeys(name for name in names if name))
    unknown = [name for name in names if name not in TYPES]
    if unknown:
        raise ValidationError(
            "These file types cannot be allowed: %(types)s. Choose from: %(known)s.",
            "file_types",
            types=", ".join(unknown),
            known=", ".join(TYPES),
        )
    return names


def check_type(filename: str, head: bytes, allowed: list[str]) -> FileType:
    """The type of an acceptable upload; refuses other extensions, programs and renamed files."""
    ext = extension(filename)
    if ext not in allowed or ext not in TYPES:
        raise ValidationError(
            "Files of this type are not accepted here. Allowed types: %(allowed)s.",
            "file",
            allowed=", ".join(allowed) or "-",
        )
    filetype = TYPES[ext]
    # The extension alone is not trusted: a program renamed to .pdf or .txt must not pass.
    if head.startswith(_EXECUTABLE) or _family(head) != filetype.family:
        raise ValidationError(
            "The file '%(name)s' is not really a %(ext)s file (its contents say otherwise).",
            "file",
            name=filename,
            ext=ext.upper(),
        )
    return filetype
