"""School-local times: entered and shown in the `timezone` setting, stored as UTC."""

import datetime as dt

import pytest

from appliance.errors import ValidationError
from appliance.localtime import from_input, to_input, zone


def test_bishkek_input_is_stored_as_utc_and_shown_back():
    tz = zone("Asia/Bishkek")
    stored = from_input("2026-12-01T09:30", tz, "open_at")
    assert stored == dt.datetime(2026, 12, 1, 3, 30)
    assert to_input(stored, tz) == "2026-12-01T09:30"
    assert from_input("", tz, "open_at") is None


def test_bad_time_names_the_field_and_unknown_zone_falls_back():
    with pytest.raises(ValidationError) as err:
        from_input("next monday", zone("Asia/Bishkek"), "close_at")
    assert err.value.field == "close_at"
    assert str(zone("Mars/Olympus")) == "Asia/Bishkek"


def test_school_date_is_the_local_calendar_day():
    from appliance.localtime import school_date, set_school_zone

    set_school_zone("Asia/Bishkek")
    # 20:30 UTC on 1 Dec is 02:30 on 2 Dec in Bishkek: the journal writes 2 Dec.
    assert school_date(dt.datetime(2026, 12, 1, 20, 30)) == dt.date(2026, 12, 2)
