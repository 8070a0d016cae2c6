"""The node's clock as sync sees it (display and skew only; nothing is ordered by it)."""

from __future__ import annotations

import datetime as dt
import os

from appliance.db import utcnow


def now() -> dt.datetime:
    """UTC now, shifted by MEKTEP_TEST_CLOCK_OFFSET seconds (tests play a wrong CMOS clock)."""
    offset = float(os.environ.get("MEKTEP_TEST_CLOCK_OFFSET") or 0)
    return utcnow() + dt.timedelta(seconds=offset)
