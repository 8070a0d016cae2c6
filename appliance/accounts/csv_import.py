"""Bulk import of students and teachers from a CSV file in Moodle's upload-user format.

``parse`` never writes: it returns a ``Preview`` of the users a file would create and every
problem found, each with the file's physical line number (the header is line 1).
``apply_import`` then creates all of them in one transaction, or none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from appliance import csvfile
from appliance.accounts import services as accounts
from appliance.accounts.models import User
from appliance.accounts.passwords import generate_password, hash_password
from appliance.csvfile import RowError
from appliance.db import write
from appliance.errors import DomainError, ValidationError

MAX_BYTES = csvfile.MAX_BYTES  # the web form and the CLI read at most this much
MAX_ROWS = 5000
REQUIRED = ("username", "firstname", "lastname")
OPTIONAL = ("password", "email", "cohort1", "role1")
# Moodle's course roles map onto ours; an empty role means a student.
ROLES = {"": "student", "student": "student", "teacher": "teacher", "editingteacher": "teacher"}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
    twice = csvfile.duplicate_columns_error(names)
    if twice:
        preview.errors.append(twice)
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


def parse(data: bytes, chosen: Mapping[int, str] | None = None) -> Preview:
    """Read and validate a whole file; never writes. ``chosen``: passwords to reuse by line."""
    preview = Preview()
    csvfile.parse_into(
        preview,
        data,
        lambda reader: _read_rows(reader, preview, chosen or {}),
        ValidationError("The file has a header but no users."),
    )
    return preview


def _read_rows(reader, preview: Preview, chosen: Mapping[int, str]) -> None:
    header = next(reader, None)
    names = _read_header(header or [], preview)
    if names is None:
        return
    seen: dict[str, int] = {}
    csvfile.check_records(
        reader,
        names,
        preview,
        lambda line, values: _check_row(line, values, seen, chosen),
        MAX_ROWS,
        ValidationError(
            "The file has more than %(n)s users; split it into several files.", n=MAX_ROWS
        ),
    )


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
