"""The wire format: gzip-compressed JSON, rows column-wise per table, with hard size caps."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zlib

import peewee

from appliance.replication import Replicated, replicated_models

MAX_COMPRESSED = 8 * 1024 * 1024  # a request or response body on the wire
MAX_DECOMPRESSED = 64 * 1024 * 1024  # what it may inflate to (stops gzip bombs)
MAX_ROWS = 5000  # rows in one batch, parents included


class WireError(Exception):
    """A body that cannot be accepted; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def compress(payload: dict) -> bytes:
    """JSON-encode and gzip a payload."""
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return gzip.compress(data, compresslevel=6, mtime=0)


def decompress(body: bytes) -> dict:
    """Inflate (with a cap) and parse a payload; raise WireError 413/400."""
    if len(body) > MAX_COMPRESSED:
        raise WireError(
            413, "too_large", f"the body is larger than {MAX_COMPRESSED} bytes compressed"
        )
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, MAX_DECOMPRESSED + 1)
    except zlib.error as exc:
        raise WireError(400, "malformed", f"the body is not valid gzip: {exc}") from exc
    if len(data) > MAX_DECOMPRESSED or inflater.unconsumed_tail:
        raise WireError(
            413, "too_large", f"the body inflates to more than {MAX_DECOMPRESSED} bytes"
        )
    if not inflater.eof:
        raise WireError(400, "malformed", "the gzip body is truncated")
    try:
        payload = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(400, "malformed", f"the body is not valid JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise WireError(400, "malformed", "the body must be a JSON object")
    return payload


def models_by_table() -> dict[str, type[Replicated]]:
    return {m._meta.table_name: m for m in replicated_models()}


def columns(model: type[Replicated]) -> list[peewee.Field]:
    return list(model._meta.sorted_fields)


def _out(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def encode_rows(model: type[Replicated], rows: list[tuple]) -> dict[str, list]:
    """Rows (tuples in ``columns(model)`` order) as one list per column (compresses best)."""
    fields = columns(model)
    return {f.column_name: [_out(row[i]) for row in rows] for i, f in enumerate(fields)}


def _decoder(field: peewee.Field):
    if isinstance(field, peewee.DateTimeField):
        return lambda v: None if v is None else dt.datetime.fromisoformat(v)
    if isinstance(field, peewee.DateField):
        return lambda v: None if v is None else dt.date.fromisoformat(v)
    if isinstance(field, peewee.BooleanField):
        return lambda v: None if v is None else bool(v)
    return lambda v: v


def decode_rows(model: type[Replicated], table: dict) -> list[dict]:
    """Column lists back into row dicts keyed by field name; WireError 400 when malformed."""
    name = model._meta.table_name
    if not isinstance(table, dict):
        raise WireError(400, "malformed", f"{name}: rows must be an object of columns")
    fields = columns(model)
    missing = [f.column_name for f in fields if f.column_name not in table]
    unknown = set(table) - {f.column_name for f in fields}
    if missing or unknown:
        raise WireError(
            400, "malformed", f"{name}: columns missing {missing} or unknown {sorted(unknown)}"
        )
    lengths = {len(v) if isinstance(v, list) else -1 for v in table.values()}
    if len(lengths) != 1 or -1 in lengths:
        raise WireError(400, "malformed", f"{name}: every column must be a list of the same length")
    out = []
    count = lengths.pop()
    decoders = [(f.name, f.column_name, _decoder(f)) for f in fields]
    try:
        for i in range(count):
            out.append({fname: dec(table[col][i]) for fname, col, dec in decoders})
    except (TypeError, ValueError) as exc:
        raise WireError(400, "malformed", f"{name}: a value cannot be read: {exc}") from exc
    for row in out:
        if (
            not isinstance(row["id"], str)
            or not isinstance(row["seq"], int)
            or not isinstance(row["origin"], str)
        ):
            raise WireError(
                400, "malformed", f"{name}: id, origin and seq must be text, text and integer"
            )
    return out


def count_rows(tables: dict) -> int:
    total = 0
    for table in tables.values():
        if isinstance(table, dict) and table:
            first = next(iter(table.values()))
            total += len(first) if isinstance(first, list) else 0
    return total
