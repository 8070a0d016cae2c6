"""The server's clock for quizzes: one function, so tests can move time without sleeping."""

import datetime as dt
import os

from appliance.db import utcnow

# TEST-ONLY: browser tests run the server in a subprocess, where monkeypatching cannot reach.
# When this environment variable names a file, the number of seconds in it is added to the
# clock. Production never sets it; an unset variable costs one dictionary look-up.
TEST_OFFSET_ENV = "MEKTEP_TEST_CLOCK_OFFSET_FILE"


def _test_offset(path: str) -> dt.timedelta:
    try:
        with open(path, encoding="ascii") as handle:
            return dt.timedelta(seconds=float(handle.read().strip() or 0))
    except FileNotFoundError:
        return dt.timedelta(0)


def now():
    """Naive UTC now on this server (the pupil's PC clock is never asked)."""
    path = os.environ.get(TEST_OFFSET_ENV)
    return utcnow() + _test_offset(path) if path else utcnow()
