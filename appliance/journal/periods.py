"""Quarter and year marks: computed from the marks, with the teacher's override kept apart."""

from __future__ import annotations

from dataclasses import dataclass

from appliance.accounts.models import User
from appliance.courses.access import can_edit
from appliance.db import write
from appliance.errors import Forbidden, ValidationError
from appliance.journal import audit
from appliance.journal.calendar import quarters_of
from appliance.journal.journals import Journal
from appliance.journal.marks import marks_map
from appliance.journal.models import PERIODS, PeriodMark, SchoolYear
from appliance.journal.scales import Rules, get_rules, mean_of, parse_mark, round_mean


@dataclass
class PeriodCell:
    """One quarter (or the year) for one student: the mean, the computed and the final mark."""

    mean: float | None
    computed: int | None
    override: int | None

    @property
    def final(self) -> int | None:
        return self.override if self.override is not None else self.computed


def overrides(journal: Journal, year: SchoolYear) -> dict[tuple[str, str], PeriodMark]:
    rows = PeriodMark.live().where(
        (PeriodMark.course == journal.course)
        & (PeriodMark.school_class == journal.school_class)
        & (PeriodMark.year == year)
    )
    return {(r.student_id, r.period): r for r in rows}


def period_table(
    journal: Journal,
    year: SchoolYear,
    rules: Rules | None = None,
    students: list[User] | None = None,
) -> dict[str, dict[str, PeriodCell]]:
    """student id → {"q1".."q4", "year"} cells. A quarter mark is the rounded mean of the marks
    dated in the quarter; the year mark the rounded mean of the four final quarter marks."""
    rules = rules or get_rules()
    students = journal.students() if students is None else students
    quarters = quarters_of(year)
    columns = journal.columns(year.start, year.end)
    marks = marks_map(columns, students[0] if len(students) == 1 else None)
    manual = overrides(journal, year)
    table = {}
    for student in students:
        cells = {}
        for quarter in quarters:
            values = [
                marks[(student.id, c.id)].value
                for c in columns
                if quarter.start <= c.date <= quarter.end and (student.id, c.id) in marks
            ]
            values = [v for v in values if v is not None]
            row = manual.get((student.id, f"q{quarter.number}"))
            cells[f"q{quarter.number}"] = PeriodCell(
                mean_of(values), round_mean(values, rules.rounding), row.value if row else None
            )
        finals = [cell.final for cell in cells.values() if cell.final is not None]
        row = manual.get((student.id, "year"))
        cells["year"] = PeriodCell(
            mean_of(finals), round_mean(finals, rules.rounding), row.value if row else None
        )
        table[student.id] = cells
    return table


def set_override(
    actor: User,
    journal: Journal,
    year: SchoolYear,
    student_id: str,
    period: str,
    text: str,
    reason: str = "",
) -> bool:
    """The teacher sets (or, with blank text, clears) a quarter or year mark. Audited."""
    if not can_edit(actor, journal.course):
        raise Forbidden("You may not change this journal.")
    if period not in PERIODS:
        raise ValidationError("Please choose a quarter or the year.", "period")
    student = journal.student(student_id)
    try:
        value = parse_mark(text, get_rules())
    except ValidationError as exc:
        field = period + "-" + student_id
        if period == "year":
            raise ValidationError(
                "%(student)s, year mark: %(value)s is not a mark on the scale (%(marks)s).",
                field,
                student=student.full_name,
                **exc.params,
            ) from None
        raise ValidationError(
            "%(student)s, quarter %(n)s: %(value)s is not a mark on the scale (%(marks)s).",
            field,
            student=student.full_name,
            n=period[1],
            **exc.params,
        ) from None
    with write():
        row = (
            PeriodMark.live()
            .where(
                (PeriodMark.course == journal.course)
                & (PeriodMark.student == student)
                & (PeriodMark.year == year)
                & (PeriodMark.period == period)
            )
            .first()
        )
        old = row.value if row else None
        if old == value:
            return False
        row = row or PeriodMark(
            course=journal.course,
            school_class=journal.school_class,
            student=student,
            year=year,
            period=period,
        )
        row.value = value
        row.save()
        audit.append(actor, "period", row.id, student.id, None, period, old, value, reason)
    return True
