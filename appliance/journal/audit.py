"""The append-only, hash-chained audit log of mark and attendance changes.

Each entry's hash is sha256(previous hash + canonical JSON of the entry). Entries are
chained per origin in the order of their ``position`` (the origin's local counter), never
by clock: classroom servers have wrong clocks, and the log must verify anyway.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from appliance.accounts.models import User
from appliance.db import utcnow, write
from appliance.journal.models import AuditEntry
from appliance.replication import local_origin, local_school, new_id, next_seq

GENESIS = "0" * 64
HASHED_FIELDS = (
    "id",
    "origin",
    "school",
    "position",
    "at",
    "actor_id",
    "actor_name",
    "object_type",
    "object_id",
    "student_id",
    "column_id",
    "field",
    "old",
    "new",
    "reason",
)


def canonical(entry: AuditEntry) -> str:
    """The entry's content as canonical JSON (sorted keys, no spaces, dates in ISO form)."""
    data = {}
    for name in HASHED_FIELDS:
        value = getattr(entry, name)
        data[name] = (
            value.isoformat(timespec="microseconds") if hasattr(value, "isoformat") else value
        )
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + canonical(entry)).encode("utf-8")).hexdigest()


def _text(value) -> str:
    return "" if value is None else str(value)


def append(
    actor: User | None,
    object_type: str,
    object_id: str,
    student_id: str,
    column_id: str | None,
    field: str,
    old,
    new,
    reason: str = "",
    actor_name: str = "",
) -> AuditEntry:
    """Append one entry to the local chain; call inside the writing transaction."""
    origin = local_origin()
    with write():
        # Bumping the origin's counter locks its row until commit (PostgreSQL; SQLite holds the
        # write lock anyway), so two writers never read the same last entry and fork the chain.
        next_seq(origin)
        last = (
            AuditEntry.select(AuditEntry.position, AuditEntry.hash)
            .where(AuditEntry.origin == origin)
            .order_by(AuditEntry.position.desc())
            .first()
        )
        entry = AuditEntry(
            id=new_id(),
            origin=origin,
            school=local_school(),
            position=(last.position + 1) if last else 1,
            at=utcnow(),
            actor_id=actor.id if actor else None,
            actor_name=(actor.full_name if actor else actor_name)[:200],
            object_type=object_type,
            object_id=object_id,
            student_id=student_id,
            column_id=column_id,
            field=field,
            old=_text(old),
            new=_text(new),
            reason=(reason or "").strip()[:500],
            prev_hash=last.hash if last else GENESIS,
        )
        entry.hash = entry_hash(entry.prev_hash, entry)
        entry.save(force_insert=True)
    return entry


def history(student_id: str, column_id: str | None = None, object_type: str | None = None):
    """A student's entries for one column (or of one kind), oldest first by position."""
    query = AuditEntry.select().where(AuditEntry.student_id == student_id)
    if column_id is not None:
        query = query.where(AuditEntry.column_id == column_id)
    if object_type is not None:
        query = query.where(AuditEntry.object_type == object_type)
    return list(query.order_by(AuditEntry.origin, AuditEntry.position))


@dataclass
class Broken:
    """The first entry where the chain does not hold."""

    id: str
    origin: str
    position: int
    problem: str


@dataclass
class Verdict:
    count: int
    broken: Broken | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify() -> Verdict:
    """Walk every origin's chain in position order; stop at the first broken entry."""
    count = 0
    origins = [
        row.origin
        for row in AuditEntry.select(AuditEntry.origin).distinct().order_by(AuditEntry.origin)
    ]
    for origin in origins:
        prev_hash, expected = GENESIS, 1
        for entry in (
            AuditEntry.select()
            .where(AuditEntry.origin == origin)
            .order_by(AuditEntry.position)
            .iterator()
        ):
            problem = None
            if entry.position != expected:
                problem = (
                    f"position {entry.position} where {expected} was expected (an entry is missing)"
                )
            elif entry.prev_hash != prev_hash:
                problem = (
                    f"prev_hash {entry.prev_hash[:12]}… does not match the previous entry's "
                    f"hash {prev_hash[:12]}…"
                )
            else:
                computed = entry_hash(prev_hash, entry)
                if computed != entry.hash:
                    problem = (
                        f"content does not match its hash (stored {entry.hash[:12]}…, "
                        f"computed {computed[:12]}…): a field was changed"
                    )
            if problem:
                return Verdict(count, Broken(entry.id, origin, entry.position, problem))
            prev_hash, expected = entry.hash, expected + 1
            count += 1
    return Verdict(count, None)


@dataclass
class Mismatch:
    """A current value that differs from what the audit log last recorded for it."""

    object_type: str
    object_id: str
    field: str
    current: str
    logged: str


def reconcile() -> Mismatch | None:
    """Compare this origin's marks and attendance with the log's last word on each; first mismatch.

    Only rows this node writes are checked: rows from elsewhere may arrive before their entries.
    """
    from appliance.journal.models import Attendance, Mark, PeriodMark

    origin = local_origin()
    logged = {}
    query = (
        AuditEntry.select(AuditEntry.object_id, AuditEntry.field, AuditEntry.new)
        .where(AuditEntry.origin == origin)
        .order_by(AuditEntry.position)
        .tuples()
    )
    for object_id, field, new in query.iterator():
        logged[(object_id, field)] = new
    checks = (
        ("mark", Mark, (("manual", "manual_value"), ("auto", "auto_value"))),
        ("attendance", Attendance, (("attendance", "status"),)),
        ("period", PeriodMark, ((None, "value"),)),
    )
    for object_type, model, fields in checks:
        for row in model.select().where(model.origin == origin).order_by(model.seq).iterator():
            for field, attr in fields:
                field = field or row.period
                current, last = _text(getattr(row, attr)), logged.get((row.id, field), "")
                if current != last:
                    return Mismatch(object_type, row.id, field, current, last)
    return None
