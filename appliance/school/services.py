"""Reading and changing the school's settings and the node's identity."""

from __future__ import annotations

import re
import time
import uuid

from appliance.db import write
from appliance.errors import ValidationError
from appliance.hub.seed import OBLASTS as REGIONS
from appliance.replication import HUB_ORIGIN, set_local_identity
from appliance.school.models import SiteSetting

DEFAULTS = {
    "school_name": "Mektep",
    "oblast": "",
    "primary_colour": "#1f5f8b",
    "accent_colour": "#e0a526",
    "logo_hash": "",
}

# The hub's registry seeds the same oblasts and cities: one list, in its order.
OBLASTS = tuple(name for name, _kind in REGIONS)

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


# Every page shows the school's name and colours: keep them for a few seconds instead of one
# query per request. A change made in this process is seen at once; one made by another
# process (the command line) within CACHE_SECONDS.
CACHE_SECONDS = 10.0
_cache: dict[str, object] = {"values": None, "at": 0.0}


def get_settings() -> dict[str, str]:
    """All look settings, defaults filled in."""
    cached = _cache["values"]
    if cached is not None and time.monotonic() - _cache["at"] < CACHE_SECONDS:
        return dict(cached)
    values = dict(DEFAULTS)
    for row in SiteSetting.select():
        values[row.key] = row.value
    _cache["values"], _cache["at"] = values, time.monotonic()
    return dict(values)


def forget_cached_settings() -> None:
    _cache["values"] = None


def get_setting(key: str) -> str:
    row = SiteSetting.get_or_none(SiteSetting.key == key)
    return row.value if row else DEFAULTS.get(key, "")


def _put(key: str, value: str) -> None:
    forget_cached_settings()
    SiteSetting.insert(key=key, value=value).on_conflict(
        conflict_target=[SiteSetting.key], update={SiteSetting.value: value}
    ).execute()


def update_look(
    school_name: str,
    oblast: str,
    primary_colour: str,
    accent_colour: str,
    logo_hash: str | None = None,
) -> None:
    """Change the school's name, oblast and colours (and logo when given)."""
    school_name = school_name.strip()
    if not school_name or len(school_name) > 120:
        raise ValidationError("The school name must have 1 to 120 characters.", "school_name")
    for field, colour in (("primary_colour", primary_colour), ("accent_colour", accent_colour)):
        if not _COLOUR.match(colour or ""):
            raise ValidationError("A colour must look like #1f5f8b.", field)
    with write():
        _put("school_name", school_name)
        _put("oblast", oblast.strip())
        _put("primary_colour", primary_colour)
        _put("accent_colour", accent_colour)
        if logo_hash is not None:
            _put("logo_hash", logo_hash)


def ensure_identity(role: str = "node") -> dict[str, str]:
    """Create the node's id, origin and school partition once; load them into the process."""
    forget_cached_settings()  # a process (or a test) may have opened another database
    with write():
        node_id = get_setting("node_id")
        if not node_id:
            node_id = str(uuid.uuid4())
            _put("node_id", node_id)
            _put("origin", HUB_ORIGIN if role == "hub" else f"node-{node_id[:8]}")
            _put("school_id", "" if role == "hub" else f"school-{node_id[:8]}")
    identity = {k: get_setting(k) for k in ("node_id", "origin", "school_id")}
    set_local_identity(identity["origin"], identity["school_id"] or None)
    return identity
