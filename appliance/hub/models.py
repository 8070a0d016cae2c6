"""Hub-local tables (not replicated): the school registry, enrolled nodes, enrollment tokens."""

from __future__ import annotations

import peewee

from appliance.db import BaseModel, utcnow


class Oblast(BaseModel):
    """An oblast or a city of republican significance (Bishkek, Osh)."""

    name = peewee.CharField(max_length=100, unique=True)
    kind = peewee.CharField(max_length=8, default="oblast")  # oblast | city


class Rayon(BaseModel):
    """A district of an oblast (or of a city)."""

    oblast = peewee.ForeignKeyField(Oblast, backref="rayons", on_delete="CASCADE")
    name = peewee.CharField(max_length=100)

    class Meta:
        indexes = ((("oblast", "name"), True),)


class School(BaseModel):
    """A school in the registry, by its ministry code.

    ``partition`` is the value of the ``school`` column in the school's replicated rows; it
    is fixed when the school's first node enrolls and inherited by any replacement node.
    """

    code = peewee.CharField(max_length=32, primary_key=True)
    name = peewee.CharField(max_length=200)
    oblast = peewee.ForeignKeyField(Oblast, backref="schools")
    rayon = peewee.ForeignKeyField(Rayon, null=True, backref="schools")
    partition = peewee.CharField(max_length=64, null=True, unique=True)
    origin = peewee.CharField(max_length=64, null=True, unique=True)
    created_at = peewee.DateTimeField(default=utcnow)


class HubNode(BaseModel):
    """An enrolled node: its credential and what the hub last saw of it."""

    node_id = peewee.CharField(max_length=36, primary_key=True)
    school = peewee.ForeignKeyField(School, backref="nodes")
    secret = peewee.CharField(max_length=128)  # shared HMAC key (hex); shown once to the node
    enrolled_at = peewee.DateTimeField(default=utcnow)
    revoked_at = peewee.DateTimeField(null=True)
    last_counter = peewee.BigIntegerField(default=0)  # replay protection: strictly increasing
    last_sync_at = peewee.DateTimeField(null=True)
    last_error = peewee.TextField(default="")
    version = peewee.CharField(max_length=32, default="")
    clock_skew_seconds = peewee.FloatField(null=True)  # node clock minus hub clock
    pending_up = peewee.BigIntegerField(null=True)  # rows the node said it still had to send

    class Meta:
        table_name = "hub_node"


class EnrollmentToken(BaseModel):
    """A one-time, expiring token that lets one node enroll for a school."""

    token_hash = peewee.CharField(max_length=64, primary_key=True)  # sha256 of the token
    school = peewee.ForeignKeyField(School, backref="tokens")
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)
    used_by = peewee.CharField(max_length=36, null=True)

    class Meta:
        table_name = "enrollment_token"


HUB_MODELS = [Oblast, Rayon, School, HubNode, EnrollmentToken]
