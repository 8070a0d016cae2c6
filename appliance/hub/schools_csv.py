"""Import the school registry from a CSV file with the columns code, name, oblast, rayon.

``parse`` never writes: it returns a ``Preview`` of what the file would add or change and every
problem with its physical line number (the header is line 1). ``apply_import`` writes all rows
in one transaction, or none. Schools are matched by code, so a second import updates names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peewee import JOIN

from appliance import csvfile
from appliance.csvfile import RowError
from appliance.db import write
from appliance.errors import DomainError, ValidationError
from appliance.hub import registry
from appliance.hub.models import Oblast, Rayon, School

REQUIRED = ("code", "name", "oblast")
OPTIONAL = ("rayon",)
MAX_ROWS = 10000


@dataclass
class SchoolRow:
    """One school of the file and what importing it would do."""

    line: int
    code: str
    name: str
    oblast: Oblast
    rayon: str
    action: str  # new | update | same

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "code": self.code,
            "name": self.name,
            "oblast": self.oblast.name,
            "rayon": self.rayon,
            "action": self.action,
        }


@dataclass
class Preview:
    """What an import would do: the rows and every error found."""

    rows: list[SchoolRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "new": self.count("new"),
            "update": self.count("update"),
            "same": self.count("same"),
            "rows": [r.as_dict() for r in self.rows],
            "errors": [{"line": e.line, "message": e.message} for e in self.errors],
        }


def _header(names: list[str], preview: Preview) -> bool:
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        preview.errors.append(
            RowError(
                1,
                ValidationError(
                    "The header lacks the required columns: %(missing)s. The first line must name the "
                    "columns: code,name,oblast,rayon.",
                    missing=", ".join(missing),
                ),
            )
        )
        return False
    twice = csvfile.duplicate_columns_error(names)
    if twice:
        preview.errors.append(twice)
        return False
    return True


def _check(
    line: int,
    values: dict[str, str],
    seen: dict[str, int],
    known: list[Oblast],
    existing: dict[str, School],
) -> SchoolRow:
    code = registry.validate_code(values.get("code", ""))
    if code in seen:
        raise ValidationError(
            "The code '%(code)s' is also on line %(line)s.", code=code, line=seen[code]
        )
    seen[code] = line
    name = registry.validate_name(values.get("name", ""))
    oblast = registry.find_oblast(values.get("oblast", ""), known)
    if oblast is None:
        raise ValidationError(
            "Unknown oblast '%(oblast)s'. Use one of: %(names)s.",
            "oblast",
            oblast=values.get("oblast", "")[:60],
            names=", ".join(o.name for o in known),
        )
    rayon = registry.clean_rayon_name(values.get("rayon", ""))
    old = existing.get(code)
    if old is None:
        action = "new"
    elif (old.name, old.oblast_id, old.rayon.name.lower() if old.rayon else "") == (
        name,
        oblast.id,
        rayon.lower(),
    ):
        action = "same"
    else:
        action = "update"
    return SchoolRow(line, code, name, oblast, rayon, action)


def _read(reader, preview: Preview) -> None:
    names = [h.strip().lower() for h in next(reader, None) or []]
    if not _header(names, preview):
        return
    known = registry.oblasts()
    existing = {s.code: s for s in School.select(School, Rayon).join(Rayon, JOIN.LEFT_OUTER)}
    seen: dict[str, int] = {}
    csvfile.check_records(
        reader,
        names,
        preview,
        lambda line, values: _check(line, values, seen, known, existing),
        MAX_ROWS,
        ValidationError(
            "The file has more than %(n)s schools; split it into several files.", n=MAX_ROWS
        ),
    )


def parse(data: bytes) -> Preview:
    """Read and check a whole file (UTF-8 or Windows-1251, comma or semicolon); never writes."""
    preview = Preview()
    csvfile.parse_into(
        preview,
        data,
        lambda reader: _read(reader, preview),
        ValidationError("The file has a header but no schools."),
    )
    return preview


def apply_import(preview: Preview) -> dict[str, int]:
    """Write every school of an error-free preview in one transaction; returns counts by action."""
    if not preview.ok:
        raise ValidationError("The file has errors; nothing was imported.")
    with write():
        for row in preview.rows:
            if row.action == "same":
                continue
            try:
                registry.save_school(row.code, row.name, row.oblast, row.rayon)
            except DomainError as exc:
                raise ValidationError(
                    "Line %(line)s: %(error)s", line=row.line, error=str(exc)
                ) from exc
    return {action: preview.count(action) for action in ("new", "update", "same")}
