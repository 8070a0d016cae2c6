"""Small media files for the demo school, made here (no downloads: the LAN has no internet)."""

from __future__ import annotations

import io
import math
import shutil
import struct
import subprocess
import tempfile
import wave
import zlib
from array import array
from pathlib import Path

FFMPEG = Path("/usr/bin/ffmpeg")

# The diagram's parts: (left, top, right, bottom, colour) on a 320x200 canvas.
_PARTS = (
    (20, 20, 170, 120, (40, 110, 200)),  # monitor: blue
    (80, 120, 110, 135, (90, 90, 90)),  # monitor stand
    (200, 20, 290, 170, (40, 160, 80)),  # system unit: green
    (20, 150, 170, 185, (230, 190, 40)),  # keyboard: yellow
    (180, 175, 210, 195, (210, 60, 50)),  # mouse: red
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def computer_diagram_png(width: int = 320, height: int = 200) -> bytes:
    """A PNG of a computer's parts as coloured blocks on a light gradient."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type "none" for this scanline
        for x in range(width):
            colour = (235 - y // 8, 240 - y // 10, 250)
            for left, top, right, bottom, part in _PARTS:
                if left <= x < right and top <= y < bottom:
                    colour = part
            rows.extend(colour)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _png_chunk(b"IEND", b"")
    )


def one_page_pdf(lines: list[str]) -> bytes:
    """A valid one-page A4 PDF showing ``lines`` (ASCII) in Helvetica."""
    text = ["BT", "/F1 16 Tf", "60 780 Td", "22 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({escaped}) Tj T*")
    stream = "\n".join(text + ["ET"]).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def tones_wav(
    notes=(261.63, 329.63, 392.0, 523.25), seconds_each: float = 0.7, rate: int = 22050
) -> bytes:
    """A mono 16-bit WAV playing ``notes`` (Hz) one after another, softly faded in and out."""
    samples = array("h")
    count = int(seconds_each * rate)
    fade = rate // 50  # 20 ms: no clicks between notes
    for freq in notes:
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade)
            samples.append(int(12000 * envelope * math.sin(2 * math.pi * freq * i / rate)))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())
    return out.getvalue()


def pattern_webm(seconds: int = 3) -> bytes | None:
    """A short WebM test pattern made with ffmpeg, or None when ffmpeg is missing or fails."""
    if not FFMPEG.exists() or shutil.which(str(FFMPEG)) is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "pattern.webm"
        command = [
            str(FFMPEG),
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=duration={seconds}:size=320x240:rate=15",
            "-c:v",
            "libvpx",
            "-b:v",
            "200k",
            str(target),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None
        return target.read_bytes()
