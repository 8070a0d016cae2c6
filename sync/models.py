"""Sync bookkeeping tables (not replicated): per-origin watermarks and the node's sync state."""

from __future__ import annotations

import peewee

from appliance.db import BaseModel


class SyncWatermark(BaseModel):
    """The highest ``seq`` of an origin applied here (moves only when a batch commits)."""

    origin = peewee.CharField(max_length=64, primary_key=True)
    seq = peewee.BigIntegerField(default=0)

    class Meta:
        table_name = "sync_watermark"


class SyncState(BaseModel):
    """The node's side of sync: hub URL, credential, request counter, last outcome (key/value)."""

    key = peewee.CharField(max_length=64, primary_key=True)
    value = peewee.TextField(default="")

    class Meta:
        table_name = "sync_state"


SYNC_MODELS = [SyncWatermark, SyncState]
