"""The node's sync state (key/value in sync_state) and its durable request counter."""

from __future__ import annotations

import json

from appliance.db import write
from sync.models import SyncState


def get(key: str, default: str = "") -> str:
    row = SyncState.get_or_none(SyncState.key == key)
    return row.value if row else default


def get_int(key: str, default: int = 0) -> int:
    try:
        return int(get(key) or default)
    except ValueError:
        return default


def put(**values) -> None:
    """Store values (converted to text) in one write transaction."""
    with write():
        for key, value in values.items():
            text = (
                value
                if isinstance(value, str)
                else json.dumps(value)
                if isinstance(value, (dict, list))
                else ""
                if value is None
                else str(value)
            )
            SyncState.insert(key=key, value=text).on_conflict(
                conflict_target=[SyncState.key], update={SyncState.value: text}
            ).execute()


def next_counter(at_least: int = 0) -> int:
    """The next request counter, committed (synchronous=full) before the request is sent."""
    with write():
        value = max(get_int("counter") + 1, at_least + 1)
        put(counter=value)
    return value


def enrolled() -> bool:
    return bool(get("secret") and get("hub_url"))
