"""The replicated-model mixin and the per-origin change counter (see ARCHITECTURE.md).

Every row that must reach another machine carries a UUID id, the ``origin`` that alone
writes it, the ``school`` partition, the origin's ``seq`` at its latest write and a
``deleted`` tombstone. A sender asks ``origin = me AND seq > watermark ORDER BY seq``.

``seq`` order equals commit order: the counter row is bumped with one
``INSERT .. ON CONFLICT DO UPDATE .. RETURNING`` inside the writer's transaction. On
PostgreSQL that holds the counter row's lock until commit, so a later writer of the same
origin waits and takes the next number only after the first has committed; on SQLite the
IMMEDIATE write lock serialises writers the same way.
"""

from __future__ import annotations

import uuid

import peewee

from appliance.db import BaseModel, db, utcnow

HUB_ORIGIN = "hub"  # the origin of national content, written only at the hub


class OriginCounter(BaseModel):
    """The last ``seq`` handed out per origin."""

    origin = peewee.CharField(max_length=64, primary_key=True)
    value = peewee.BigIntegerField(default=0)


_identity = {"origin": None, "school": None}


def set_local_identity(origin: str, school: str | None) -> None:
    """Which origin this process writes as, and its school partition (None on the hub)."""
    _identity["origin"] = origin
    _identity["school"] = school


def local_origin() -> str:
    origin = _identity["origin"]
    if not origin:
        raise RuntimeError("the local origin is not set: the node's identity was not loaded")
    return origin


def local_school() -> str | None:
    return _identity["school"]


def new_id() -> str:
    return str(uuid.uuid4())


def next_seq(origin: str) -> int:
    """Bump and return the origin's counter; call inside the writing transaction."""
    sql = (
        'INSERT INTO "origin_counter" ("origin", "value") VALUES (%s, 1) '
        'ON CONFLICT ("origin") DO UPDATE SET "value" = "origin_counter"."value" + 1 '
        'RETURNING "value"'
    )
    param = db.obj.param if hasattr(db.obj, "param") else "?"
    cursor = db.execute_sql(sql.replace("%s", param), (origin,))
    # fetchall: a RETURNING statement left half-read keeps SQLite's statement open.
    ((value,),) = cursor.fetchall()
    cursor.close()
    return value


class Replicated(BaseModel):
    """Mixin base for replicated models: UUID id, origin, school, seq, tombstone."""

    id = peewee.CharField(max_length=36, primary_key=True, default=new_id)
    origin = peewee.CharField(max_length=64, index=True)
    school = peewee.CharField(max_length=64, null=True, index=True)
    seq = peewee.BigIntegerField(index=True, default=0)
    deleted = peewee.BooleanField(default=False, index=True)
    updated_at = peewee.DateTimeField(default=utcnow)  # for display; never for ordering

    def __init__(self, *args, **kwargs):
        from_db = bool(kwargs.get("__no_default__"))
        super().__init__(*args, **kwargs)
        self._persisted = from_db

    def save(self, force_insert: bool = False, only=None):
        """Write the row with the next ``seq`` of its origin, in one transaction."""
        if not self.origin:
            self.origin = local_origin()
            if self.school is None:
                self.school = local_school()
        elif self.origin != local_origin() and not getattr(self, "_replicating", False):
            # Single writer per row: only the origin may change it.
            raise PermissionError(f"row {self.id} belongs to origin {self.origin}; read-only here")
        with db.atomic():
            self.seq = next_seq(self.origin)
            self.updated_at = utcnow()
            if only is not None:
                only = list(only) + [type(self).seq, type(self).updated_at]
            result = super().save(force_insert=force_insert or not self._persisted, only=only)
        self._persisted = True
        return result

    def tombstone(self) -> None:
        """Mark the row deleted; it stays until it has synced."""
        self.deleted = True
        self.save()

    @classmethod
    def live(cls):
        """Rows not tombstoned."""
        return cls.select().where(cls.deleted == False)  # noqa: E712

    @property
    def read_only_here(self) -> bool:
        return self.origin != local_origin()

    class Meta:
        pass


def replicated_models() -> list[type[Replicated]]:
    """Every concrete replicated model, parents before children."""
    import appliance.models  # noqa: F401  (defines them all)

    seen = []

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                walk(sub)

    walk(Replicated)
    return peewee.sort_models(seen)
