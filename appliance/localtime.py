"""The school's local time: times are stored as naive UTC and shown in the `timezone` setting.

Kyrgyzstan has one zone (UTC+6) and no summer time; the setting exists for nodes elsewhere.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from appliance.errors import ValidationError

DEFAULT_TIMEZONE = "Asia/Bishkek"
_school_zone = {"tz": ZoneInfo(DEFAULT_TIMEZONE)}


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def to_local(value: dt.datetime | None, tz: ZoneInfo) -> dt.datetime | None:
    """A stored naive-UTC time as an aware local time."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(tz)


def to_input(value: dt.datetime | None, tz: ZoneInfo) -> str:
    """A stored naive-UTC time for an <input type="datetime-local"> field."""
    local = to_local(value, tz)
    return local.strftime("%Y-%m-%dT%H:%M") if local else ""


def from_input(text: str | None, tz: ZoneInfo, field: str) -> dt.datetime | None:
    """A local "YYYY-MM-DDTHH:MM" (or "YYYY-MM-DD HH:MM") from a form as naive UTC; '' → None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        local = dt.datetime.fromisoformat(text.replace(" ", "T")).replace(second=0, microsecond=0)
    except ValueError:
        raise ValidationError("Enter the time as YYYY-MM-DD HH:MM.", field) from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=tz)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def set_school_zone(name: str | None) -> ZoneInfo:
    """The process's school zone (from the `timezone` setting), set when the node is opened."""
    _school_zone["tz"] = zone(name)
    return _school_zone["tz"]


def school_zone() -> ZoneInfo:
    return _school_zone["tz"]


def school_date(value: dt.datetime | None = None) -> dt.date:
    """The school's calendar date of a naive-UTC time (default: now): a journal's day."""
    value = value or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return to_local(value, school_zone()).date()
