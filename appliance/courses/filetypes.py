"""Which files a course may hold: by extension and by the magic bytes at their start."""

from __future__ import annotations

from typing import NamedTuple


class FileType(NamedTuple):
    """An allowed kind of file: its MIME type, what the viewer shows, and its magic check."""

    mime: str
    kind: str  # pdf, image, audio or video: picks the viewer element and the icon
    family: str  # the container the magic bytes must show


# SVG and HTML are left out on purpose: a browser runs scripts inside them.
TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", "pdf", "pdf"),
    "png": FileType("image/png", "image", "png"),
    "jpg": FileType("image/jpeg", "image", "jpeg"),
    "jpeg": FileType("image/jpeg", "image", "jpeg"),
    "gif": FileType("image/gif", "image", "gif"),
    "webp": FileType("image/webp", "image", "webp"),
    "mp3": FileType("audio/mpeg", "audio", "mp3"),
    "ogg": FileType("audio/ogg", "audio", "ogg"),
    "wav": FileType("audio/wav", "audio", "wav"),
    "m4a": FileType("audio/mp4", "audio", "mp4"),
    "mp4": FileType("video/mp4", "video", "mp4"),
    "webm": FileType("video/webm", "video", "webm"),
    "ogv": FileType("video/ogg", "video", "ogg"),
}

ALLOWED_TEXT = "PDF, PNG, JPEG, GIF, WebP, MP3, OGG, WAV, M4A, MP4, WebM, OGV"

KIND_BY_MIME = {t.mime: t.kind for t in TYPES.values()}

HEAD_BYTES = 64  # enough for every signature below


def extension(filename: str) -> str:
    """The lower-cased extension without the dot ('' when there is none)."""
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff(head: bytes) -> str | None:
    """The container family the first bytes show, or None when it is none we accept."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE"):
        return "webp" if head[8:12] == b"WEBP" else "wav"
    if head.startswith(b"OggS"):
        return "ogg"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: WebM (and Matroska)
        return "webm"
    # MP3: an ID3 tag, or a bare MPEG audio frame (11 sync bits set).
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def kind_of(mime: str) -> str:
    """The viewer kind of a stored MIME type ('file' for anything not viewable inline)."""
    return KIND_BY_MIME.get(mime, "file")
