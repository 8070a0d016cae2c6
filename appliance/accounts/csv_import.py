"""Bulk import of students and teachers from a CSV file in Moodle's upload-user format.

``parse`` never writes: it returns a ``Preview`` of the users a file would create and every
problem found, each with the file's physical line number (the header is line 1).
``apply_import`` then creates all of them in one transaction, or none.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from appliance.accounts import services as accounts
from appliance.accounts.models import User
from appliance.accounts.passwords import generate_password, hash_password
from appliance.db import write
from appliance.errors import DomainError, ValidationError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
REQUIRED = ("username", "firstname", "lastname")
OPTIONAL = ("password", "email", "cohort1", "role1")
# Moodle's course roles map onto ours; an empty role means a student.
ROLES = {"": "student", "student": "student", "teacher": "teacher", "editingteacher": "teacher"}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# C0 control characters other than tab, LF and CR never occur in a spreadsheet's text.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class ImportRow:
    """One user the file would create."""

    line: int
    username: str
    first_name: str
    last_name: str
    email: str
    role: str
    class_name: str | None
    password: str
    generated: bool

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "username": self.username,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "role": self.role,
            "class": self.class_name,
            "password": self.password,
        }


@dataclass
class RowError:
    """A problem at a line of the file (None: the file as a whole)."""

    line: int | None
    error: DomainError

    @property
    def message(self) -> str:
        return str(self.error)


@dataclass
class Preview:
    """What an import would do: rows to create, errors, and ignored columns."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def class_names(self) -> list[str]:
        return sorted({r.class_name for r in self.rows if r.class_name})

    def generated_passwords(self) -> dict[int, str]:
        """Generated passwords by line, so a second parse of the same file reuses them."""
        return {r.line: r.password for r in self.rows if r.generated}


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


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_header(header: list[str], preview: Preview) -> list[str] | None:
    """Lower-cased column names, or None (with an error) when the header is unusable."""
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [n for n in names if n and n not in REQUIRED + OPTIONAL]
    if missing:
        preview.errors.append(
            RowError(
                1,
                ValidationError(
                    "The header lacks the required columns: %(missing)s. Unknown columns: %(unknown)s. "
                    "The first line must name the columns, e.g. username,firstname,lastname,cohort1.",
                    missing=", ".join(missing),
                    unknown=", ".join(unknown) or "-",
                ),
            )
        )
        return None
    twice = sorted({n for n in names if n and names.count(n) > 1})
    if twice:
        preview.errors.append(
            RowError(
                1,
                ValidationError(
                    "The header names these columns more than once: %(columns)s.",
                    columns=", ".join(twice),
                ),
            )
        )
        return None
    # Moodle files often carry more columns (idnumber, city, ...): they are not needed here.
    preview.ignored_columns = unknown
    return names


def _check_row(
    line: int, values: dict[str, str], seen: dict[str, int], chosen: Mapping[int, str]
) -> ImportRow:
    """The row as a user to create; raises ValidationError on the first problem."""
    username = accounts.validate_username(values.get("username", ""))
    if username in seen:
        raise ValidationError(
            "The username '%(username)s' is also on line %(line)s.",
            username=username,
            line=seen[username],
        )
    seen[username] = line
    if accounts.find_user(username):
        raise ValidationError("The username '%(username)s' is already taken.", username=username)
    first, last = values.get("firstname", ""), values.get("lastname", "")
    if not first or not last:
        raise ValidationError("The first name and the last name must not be empty.")
    if len(first) > 100 or len(last) > 100:
        raise ValidationError("A name must have at most 100 characters.")
    role_value = values.get("role1", "").lower()
    if role_value not in ROLES:
        raise ValidationError("Unknown role '%(role)s': use student or teacher.", role=role_value)
    role = ROLES[role_value]
    class_name = values.get("cohort1") or None
    if class_name:
        if role != "student":
            raise ValidationError("Only students belong to a class.")
        class_name = accounts.validate_class_name(class_name)
    email = values.get("email", "")
    if email and (len(email) > 200 or not EMAIL_RE.match(email)):
        raise ValidationError("'%(email)s' is not an email address.", email=email[:60])
    password, generated = values.get("password", ""), False
    if password:
        accounts.validate_password(password)
    else:
        password, generated = chosen.get(line) or generate_password(), True
    return ImportRow(line, username, first, last, email, role, class_name, password, generated)


def _extra_fields(row: list[str], width: int) -> bool:
    # Excel writes trailing empty cells (";;;") after the last column; those are harmless.
    return any(cell.strip() for cell in row[width:])


def parse(data: bytes, chosen: Mapping[int, str] | None = None) -> Preview:
    """Read and validate a whole file; never writes. ``chosen``: passwords to reuse by line."""
    preview = Preview()
    if len(data) > MAX_BYTES:
        preview.errors.append(
            RowError(
                None,
                ValidationError(
                    "The file is larger than %(mb)s MB; split it into several files.",
                    mb=MAX_BYTES // 2**20,
                ),
            )
        )
        return preview
    if not data.strip():
        preview.errors.append(RowError(None, ValidationError("The file is empty.")))
        return preview
    try:
        text = decode(data)
    except ValidationError as exc:
        preview.errors.append(RowError(None, exc))
        return preview
    if CONTROL_RE.search(text):
        preview.errors.append(
            RowError(
                None,
                ValidationError(
                    "This is not a text file. Save the table from the spreadsheet as CSV."
                ),
            )
        )
        return preview
    header_line = text.lstrip("\ufeff").split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=_sniff_delimiter(header_line)
    )
    try:
        _read_rows(reader, preview, chosen or {})
    except csv.Error as exc:
        preview.errors.append(
            RowError(
                reader.line_num,
                ValidationError("The file is not valid CSV: %(reason)s.", reason=str(exc)),
            )
        )
    if not preview.errors and not preview.rows:
        preview.errors.append(
            RowError(None, ValidationError("The file has a header but no users."))
        )
    return preview


def _read_rows(reader, preview: Preview, chosen: Mapping[int, str]) -> None:
    header = next(reader, None)
    names = _read_header(header or [], preview)
    if names is None:
        return
    seen: dict[str, int] = {}
    count, last_line = 0, reader.line_num
    for row in reader:
        # A quoted cell may span lines: the record starts on the line after the previous one.
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        if count > MAX_ROWS:
            preview.errors.append(
                RowError(
                    None,
                    ValidationError(
                        "The file has more than %(n)s users; split it into several files.",
                        n=MAX_ROWS,
                    ),
                )
            )
            return
        if _extra_fields(row, len(names)):
            preview.errors.append(
                RowError(
                    line, ValidationError("This line has more cells than the header has columns.")
                )
            )
            continue
        values = {n: cell.strip() for n, cell in zip(names, row, strict=False) if n}
        try:
            preview.rows.append(_check_row(line, values, seen, chosen))
        except DomainError as exc:
            preview.errors.append(RowError(line, exc))


def apply_import(preview: Preview) -> list[User]:
    """Create every user of a preview without errors, all in one transaction."""
    if not preview.ok:
        raise ValidationError("The file has errors; nothing was imported.")
    # Hashing is slow by design: do it before taking the write lock, not while holding it.
    with ThreadPoolExecutor(max_workers=2) as pool:
        hashes = list(pool.map(hash_password, [r.password for r in preview.rows]))
    users = []
    with write():
        for row, password_hash in zip(preview.rows, hashes, strict=True):
            try:
                user, _password = accounts.create_user(
                    row.username,
                    row.role,
                    password=row.password,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    email=row.email,
                    class_name=row.class_name,
                    password_hash=password_hash,
                )
            except DomainError as exc:
                # Someone created this username since the preview: the whole import rolls back.
                raise ValidationError(
                    "Line %(line)s: %(error)s", line=row.line, error=str(exc)
                ) from exc
            users.append(user)
    return users
