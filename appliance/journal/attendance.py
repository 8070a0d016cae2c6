"""Attendance per lesson date: absent, late, excused; blank means present."""

from __future__ import annotations

from appliance.accounts.models import User
from appliance.errors import ValidationError
from appliance.journal import audit
from appliance.journal.models import ATTENDANCE, Attendance, JournalColumn

SYMBOLS = {"absent": "н", "late": "оп", "excused": "ув"}  # as written in paper journals


def parse_status(text: str) -> str:
    """A status from a form; blank is present."""
    text = (text or "").strip()
    if text and text not in ATTENDANCE:
        raise ValidationError("Attendance must be absent, late, excused or blank.", "attendance")
    return text


def attendance_map(
    columns: list[JournalColumn], student: User | None = None
) -> dict[tuple[str, str], str]:
    """(student id, column id) → status for the columns (of one student if given), in one query."""
    ids = [c.id for c in columns if c.kind == "lesson"]
    if not ids:
        return {}
    rows = Attendance.live().where(Attendance.column.in_(ids))
    if student is not None:
        rows = rows.where(Attendance.student == student)
    return {(r.student_id, r.column_id): r.status for r in rows if r.status}


def set_status(
    actor: User, column: JournalColumn, student: User, status: str, reason: str = ""
) -> bool:
    """Record a status (inside a write); returns whether anything changed. Audited."""
    if column.kind != "lesson":
        raise ValidationError("Attendance is kept on lesson dates only.", "attendance")
    row = (
        Attendance.live()
        .where((Attendance.column == column) & (Attendance.student == student))
        .first()
    )
    old = row.status if row else ""
    if old == status:
        return False
    row = row or Attendance(column=column, student=student)
    row.status = status
    row.save()
    audit.append(
        actor, "attendance", row.id, student.id, column.id, "attendance", old, status, reason
    )
    return True
