"""The school year and its four quarters: data the admin enters every year."""

from __future__ import annotations

import datetime as dt

from appliance.accounts.models import User
from appliance.db import write
from appliance.errors import Forbidden, NotFound, ValidationError
from appliance.journal.models import Quarter, SchoolYear
from appliance.replication import local_school


def to_date(text) -> dt.date | None:
    """A date from a form (YYYY-MM-DD), or None when it is not one."""
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _school_years():
    """This school's years (the hub holds every school's; each keeps its own calendar)."""
    return SchoolYear.live().where(SchoolYear.school == local_school())


def years() -> list[SchoolYear]:
    return list(_school_years().order_by(SchoolYear.start.desc()))


def get_year(year_id: str) -> SchoolYear:
    year = _school_years().where(SchoolYear.id == year_id).first()
    if year is None:
        raise NotFound("No such school year.")
    return year


def quarters_of(year: SchoolYear) -> list[Quarter]:
    return list(Quarter.live().where(Quarter.year == year).order_by(Quarter.number))


def year_on(day: dt.date) -> SchoolYear | None:
    """The year holding ``day``, else the latest year that started before it, else any."""
    live = _school_years()
    return (
        live.where((SchoolYear.start <= day) & (SchoolYear.end >= day)).first()
        or live.where(SchoolYear.start <= day).order_by(SchoolYear.start.desc()).first()
        or live.order_by(SchoolYear.start).first()
    )


def quarter_on(year: SchoolYear, day: dt.date) -> Quarter | None:
    for quarter in quarters_of(year):
        if quarter.start <= day <= quarter.end:
            return quarter
    return None


def validate(name: str, start, end, quarters: list[tuple]) -> tuple[str, dt.date, dt.date, list]:
    """Check a year and its quarters: inside the year, in order, not overlapping."""
    name = (name or "").strip()
    if not name or len(name) > 40:
        raise ValidationError(
            "The school year needs a name of 1 to 40 characters, such as 2025–2026.", "name"
        )
    start, end = to_date(start), to_date(end)
    if start is None or end is None:
        raise ValidationError(
            "Please enter the start and end of the school year as dates (YYYY-MM-DD).",
            "end" if start else "start",
        )
    if end <= start:
        raise ValidationError("The school year must end after it starts.", "end")
    if len(quarters) != 4:
        raise ValidationError("A school year has four quarters.", "quarters")
    parsed = []
    for number, (q_start, q_end) in enumerate(quarters, 1):
        field = f"q{number}"
        start_field, end_field = field + "_start", field + "_end"
        q_start, q_end = to_date(q_start), to_date(q_end)
        if q_start is None or q_end is None:
            raise ValidationError(
                "Quarter %(n)s: please enter its start and end as dates (YYYY-MM-DD).",
                end_field if q_start else start_field,
                n=number,
            )
        if q_end < q_start:
            raise ValidationError("Quarter %(n)s ends before it starts.", end_field, n=number)
        if q_start < start or q_end > end:
            raise ValidationError(
                "Quarter %(n)s must lie inside the school year (%(start)s – %(end)s).",
                field,
                n=number,
                start=start.isoformat(),
                end=end.isoformat(),
            )
        if parsed and q_start <= parsed[-1][1]:
            raise ValidationError(
                "Quarter %(n)s must start after quarter %(prev)s ends (%(date)s); "
                "quarters go in order and do not overlap.",
                start_field,
                n=number,
                prev=number - 1,
                date=parsed[-1][1].isoformat(),
            )
        parsed.append((q_start, q_end))
    return name, start, end, parsed


def save_year(
    actor: User, name: str, start, end, quarters: list[tuple], year: SchoolYear | None = None
) -> SchoolYear:
    """Create or change a school year with its four quarters (admins only)."""
    if not actor.is_admin:
        raise Forbidden("Only an administrator edits the school year.")
    name, start, end, parsed = validate(name, start, end, quarters)
    with write():
        year = year or SchoolYear()
        year.name, year.start, year.end = name, start, end
        year.save()
        existing = {q.number: q for q in quarters_of(year)}
        for number, (q_start, q_end) in enumerate(parsed, 1):
            quarter = existing.get(number) or Quarter(year=year, number=number)
            quarter.start, quarter.end = q_start, q_end
            quarter.save()
    return year
