"""The quiz clock's test-only offset (browser tests move a server subprocess's time)."""

import datetime as dt

from appliance.quizzes import clock


def test_offset_file_is_read_only_when_the_variable_is_set(monkeypatch, tmp_path):
    offset = tmp_path / "offset"
    offset.write_text("3600")
    monkeypatch.delenv(clock.TEST_OFFSET_ENV, raising=False)
    assert abs(clock.now() - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(seconds=5)

    monkeypatch.setenv(clock.TEST_OFFSET_ENV, str(offset))
    ahead = clock.now() - dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert dt.timedelta(seconds=3595) < ahead < dt.timedelta(seconds=3605)

    offset.write_text("90")  # read on every call: the test moves the clock while the server runs
    ahead = clock.now() - dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert dt.timedelta(seconds=85) < ahead < dt.timedelta(seconds=95)

    offset.unlink()  # no file yet: no offset
    assert abs(clock.now() - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(seconds=5)
