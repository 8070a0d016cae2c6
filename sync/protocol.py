"""Building and applying batches: the part of sync both ends share (no HTTP here).

A batch holds one origin's rows with ``after < seq <= end`` plus the current version of any
parent row of the same origin that the receiver cannot have yet (its ``seq`` is above
``end``). The receiver applies it in one transaction, parents before children, upserting
only rows whose incoming ``seq`` is newer, and moves the origin's watermark to ``end`` in
the same transaction: a batch delivered twice changes nothing, an interrupted one nothing.
"""

from __future__ import annotations

from collections import defaultdict

import peewee

from appliance.db import is_sqlite, write
from appliance.replication import OriginCounter, Replicated, replicated_models
from sync import wire
from sync.models import SyncWatermark
from sync.wire import WireError


class Refused(WireError):
    """Rows the sender may not write here (403): refused whole."""

    def __init__(self, message: str):
        super().__init__(403, "forbidden_rows", message)


def watermark(origin: str) -> int:
    row = SyncWatermark.get_or_none(SyncWatermark.origin == origin)
    return row.seq if row else 0


def set_watermark(origin: str, seq: int) -> None:
    """Move the origin's watermark forward (never back); call inside the batch's transaction."""
    SyncWatermark.insert(origin=origin, seq=seq).on_conflict(
        conflict_target=[SyncWatermark.origin],
        update={SyncWatermark.seq: peewee.fn.MAX(SyncWatermark.seq, peewee.EXCLUDED.seq)}
        if is_sqlite()
        else {SyncWatermark.seq: peewee.fn.GREATEST(SyncWatermark.seq, peewee.EXCLUDED.seq)},
    ).execute()


def counter(origin: str) -> int:
    """The origin's last handed-out seq (every row of it at or below is committed)."""
    row = OriginCounter.get_or_none(OriginCounter.origin == origin)
    return row.value if row else 0


def _fks(model) -> list[peewee.ForeignKeyField]:
    return [f for f in model._meta.sorted_fields if isinstance(f, peewee.ForeignKeyField)]


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def build_batch(
    origin: str,
    after: int,
    limit: int,
    ceiling: int,
    school: str | None = None,
    skip: tuple = (),
    parents_always: tuple = (),
    scrub: dict | None = None,
):
    """Rows of ``origin`` above ``after`` (at most ``limit`` by seq) with their unsent parents.

    ``ceiling`` is the highest seq to send (the origin's counter read before); ``school`` the
    partition (None: national rows); ``skip`` lists
    models sent only as parents, ``parents_always`` those sent as parents whatever their seq,
    ``scrub`` overrides columns ({table: {column: value}}). Returns (tables, rows, end).
    """
    models = [m for m in replicated_models() if m not in skip]
    seqs: list[int] = []

    def scope(model, q):
        q = q.where((model.origin == origin) & (model.seq > after) & (model.seq <= ceiling))
        return q.where(model.school == school) if school else q.where(model.school.is_null())

    for model in models:
        seqs.extend(
            s
            for (s,) in scope(model, model.select(model.seq))
            .order_by(model.seq)
            .limit(limit)
            .tuples()
        )
    seqs.sort()
    end = seqs[limit - 1] if len(seqs) >= limit else ceiling
    picked: dict[type, dict[str, tuple]] = defaultdict(dict)
    for model in models:
        query = scope(model, model.select(*wire.columns(model))).where(model.seq <= end)
        for row in query.tuples():
            picked[model][row[0]] = row
    _add_parents(picked, origin, end, parents_always)
    tables = {}
    total = 0
    for model in replicated_models():
        rows = list(picked.get(model, {}).values())
        if not rows:
            continue
        rows.sort(key=lambda r: r[wire.columns(model).index(model.seq)])
        encoded = wire.encode_rows(model, rows)
        for column, value in ((scrub or {}).get(model._meta.table_name) or {}).items():
            encoded[column] = [value] * len(rows)
        tables[model._meta.table_name] = encoded
        total += len(rows)
    return tables, total, end


def _add_parents(picked: dict, origin: str, end: int, parents_always: tuple) -> None:
    """Add, until none is missing, the parents of picked rows the receiver cannot have yet."""
    todo = list(picked)
    while todo:
        wanted: dict[type, set] = defaultdict(set)
        for model in todo:
            names = [f.name for f in wire.columns(model)]
            for fk in _fks(model):
                at = names.index(fk.name)
                for row in picked[model].values():
                    if row[at] is not None and row[at] not in picked.get(fk.rel_model, {}):
                        wanted[fk.rel_model].add(row[at])
        todo = []
        for parent, ids in wanted.items():
            cond = parent.origin == origin
            if parent not in parents_always:
                cond &= parent.seq > end
            for chunk in _chunks(sorted(ids)):
                for row in (
                    parent.select(*wire.columns(parent)).where(cond & parent.id.in_(chunk)).tuples()
                ):
                    picked[parent][row[0]] = row
                    todo.append(parent)
        todo = list(dict.fromkeys(todo))


def decode_batch(tables) -> list[tuple[type[Replicated], list[dict]]]:
    """The batch's rows per model in dependency order; WireError 400/413 when malformed."""
    if not isinstance(tables, dict):
        raise WireError(400, "malformed", "'tables' must be an object")
    known = wire.models_by_table()
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise WireError(400, "malformed", f"unknown tables: {', '.join(unknown)}")
    if wire.count_rows(tables) > wire.MAX_ROWS:
        raise WireError(413, "too_many_rows", f"a batch may hold at most {wire.MAX_ROWS} rows")
    out = []
    for model in replicated_models():
        if model._meta.table_name in tables:
            rows = wire.decode_rows(model, tables[model._meta.table_name])
            if rows:
                out.append((model, _parents_first(model, rows)))
    return out


def _parents_first(model, rows: list[dict]) -> list[dict]:
    """Rows by seq, except that a row referring to its own table comes after its parent."""
    rows = sorted(rows, key=lambda r: r["seq"])
    selfs = [f for f in _fks(model) if f.rel_model is model]
    if not selfs:
        return rows
    by_id = {r["id"]: r for r in rows}
    done: set = set()
    out: list[dict] = []

    def visit(row, depth=0):
        if row["id"] in done or depth > len(rows):
            return
        for f in selfs:
            parent = by_id.get(row[f.name])
            if parent is not None and parent is not row:
                visit(parent, depth + 1)
        done.add(row["id"])
        out.append(row)

    for row in rows:
        visit(row)
    return out


def check_batch(decoded, allowed: dict[str, str | None]) -> None:
    """Refuse the whole batch when a row is not the sender's to write or lacks a parent."""
    in_batch: dict[type, set] = {model: {r["id"] for r in rows} for model, rows in decoded}
    for model, rows in decoded:
        name = model._meta.table_name
        for row in rows:
            if row["origin"] not in allowed or row["school"] != allowed[row["origin"]]:
                raise Refused(
                    f"{name} {row['id']}: origin {row['origin']!r} school {row['school']!r} "
                    "is not this sender's to write"
                )
        ids = sorted(in_batch[model])
        for chunk in _chunks(ids):
            clash = model.select(model.id, model.origin).where(
                model.id.in_(chunk) & model.origin.not_in(list(allowed))
            )
            for other in clash:
                raise Refused(f"{name} {other.id}: exists here with origin {other.origin!r}")
    for model, rows in decoded:
        for fk in _fks(model):
            refs = {r[fk.name] for r in rows if r[fk.name] is not None} - in_batch.get(
                fk.rel_model, set()
            )
            present: set = set()
            for chunk in _chunks(sorted(refs)):
                present.update(
                    i
                    for (i,) in fk.rel_model.select(fk.rel_model.id)
                    .where(fk.rel_model.id.in_(chunk))
                    .tuples()
                )
            missing = refs - present
            if missing:
                row = next(r for r in rows if r[fk.name] in missing)
                raise WireError(
                    400,
                    "missing_parent",
                    f"{model._meta.table_name} {row['id']}: its {fk.name} "
                    f"{row[fk.name]} ({fk.rel_model._meta.table_name}) is neither here nor in the batch",
                )


def upsert(decoded) -> int:
    """Write the rows, newer seq wins; call inside a transaction. Returns rows offered."""
    total = 0
    for model, rows in decoded:
        fields = wire.columns(model)
        update = {f: peewee.EXCLUDED[f.column_name] for f in fields if f is not model.id}
        size = max(1, 30000 // len(fields))
        for chunk in _chunks(rows, size):
            (
                model.insert_many([tuple(r[f.name] for f in fields) for r in chunk], fields=fields)
                .on_conflict(
                    conflict_target=[model.id],
                    update=update,
                    where=(model.seq < peewee.EXCLUDED.seq),
                )
                .as_rowcount()
                .execute()
            )
        total += len(rows)
    return total


def apply_batch(tables, allowed: dict[str, str | None], origin: str, after: int, end: int) -> int:
    """Check and apply one batch of ``origin`` and move its watermark to ``end``, all or nothing."""
    decoded = decode_batch(tables)
    with write():
        check_batch(decoded, allowed)
        total = upsert(decoded)
        set_watermark(origin, end)
    return total


def stored_rows(origin: str) -> dict[str, list[dict]]:
    """Every replicated row of ``origin`` here, per table, ordered by id (for comparisons)."""
    out = {}
    for model in replicated_models():
        rows = list(model.select().where(model.origin == origin).order_by(model.id).dicts())
        if rows:
            out[model._meta.table_name] = rows
    return out
