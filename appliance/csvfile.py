"""Plumbing shared by the CSV imports: decoding, sniffing, the record loop and error rows.

Each import supplies its own header and row checks; this module reads the file, numbers its
records by physical line (the header is line 1) and collects every problem as a ``RowError``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from appliance.errors import DomainError, ValidationError

MAX_BYTES = 2 * 1024 * 1024
# C0 control characters other than tab, LF and CR never occur in a spreadsheet's text.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class RowError:
    """A problem at a line of the file (None: the file as a whole)."""

    line: int | None
    error: DomainError

    @property
    def message(self) -> str:
        return str(self.error)


class Collects(Protocol):
    """What a preview must have for the helpers below: checked rows and errors."""

    rows: list[Any]
    errors: list[RowError]


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1251."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                # What Excel on a Russian Windows saves as "CSV".
                return data.decode("cp1251")
            except UnicodeDecodeError:
                pass
    raise ValidationError("This is not a text file. Save the table from the spreadsheet as CSV.")


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def text_of(data: bytes) -> str:
    """The file's text; raises ValidationError when it is too large, empty or not text."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            "The file is larger than %(mb)s MB; split it into several files.", mb=MAX_BYTES // 2**20
        )
    if not data.strip():
        raise ValidationError("The file is empty.")
    text = decode(data).lstrip("\ufeff")
    if CONTROL_RE.search(text):
        raise ValidationError(
            "This is not a text file. Save the table from the spreadsheet as CSV."
        )
    return text


def parse_into(
    preview: Collects, data: bytes, read: Callable[[Any], None], no_rows: ValidationError
) -> None:
    """Decode ``data`` and hand a csv reader to ``read``; file-level problems become errors."""
    try:
        text = text_of(data)
    except ValidationError as exc:
        preview.errors.append(RowError(None, exc))
        return
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=sniff_delimiter(text.split("\n", 1)[0])
    )
    try:
        read(reader)
    except csv.Error as exc:
        preview.errors.append(
            RowError(
                reader.line_num,
                ValidationError("The file is not valid CSV: %(reason)s.", reason=str(exc)),
            )
        )
    if not preview.errors and not preview.rows:
        preview.errors.append(RowError(None, no_rows))


def duplicate_columns_error(names: list[str]) -> RowError | None:
    """An error at the header when it names a column twice, else None."""
    twice = sorted({n for n in names if n and names.count(n) > 1})
    if not twice:
        return None
    return RowError(
        1,
        ValidationError(
            "The header names these columns more than once: %(columns)s.",
            columns=", ".join(twice),
        ),
    )


def check_records(
    reader: Any,
    names: list[str],
    preview: Collects,
    check: Callable[[int, dict[str, str]], Any],
    max_rows: int,
    too_many: ValidationError,
) -> None:
    """Run ``check(line, values)`` on each non-blank record, collecting rows and errors."""
    count, last_line = 0, reader.line_num
    for row in reader:
        # A quoted cell may span lines: the record starts on the line after the previous one.
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        if count > max_rows:
            preview.errors.append(RowError(None, too_many))
            return
        # Excel writes trailing empty cells (";;;") after the last column; those are harmless.
        if any(cell.strip() for cell in row[len(names) :]):
            preview.errors.append(
                RowError(
                    line, ValidationError("This line has more cells than the header has columns.")
                )
            )
            continue
        values = {n: cell.strip() for n, cell in zip(names, row, strict=False) if n}
        try:
            preview.rows.append(check(line, values))
        except DomainError as exc:
            preview.errors.append(RowError(line, exc))
