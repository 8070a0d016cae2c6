"""Enrolling a node at the hub: redeem a token, give the node its credential and identity.

The first node of a school brings its own origin and partition, which the school keeps for
good. A replacement node adopts them, continues the origin's counter from the hub's
watermark and the old node's credential is revoked, so two machines never write one origin.
"""

from __future__ import annotations

import secrets

import peewee

from appliance.db import utcnow, write
from appliance.errors import Forbidden, ValidationError
from appliance.hub.models import EnrollmentToken, HubNode, School
from appliance.hub.tokens import token_hash
from appliance.replication import replicated_models
from sync.models import SyncWatermark


def enroll(
    token: str, node_id: str, origin: str, partition: str, has_school_data: bool, version: str = ""
) -> dict:
    """Redeem ``token`` for the node; returns its credential, origin, partition and seq start."""
    if not node_id or len(node_id) > 36 or not origin or not partition:
        raise ValidationError("node_id, origin and school are required.")
    if origin == "hub" or not origin.startswith("node-"):
        raise ValidationError("A node's origin must look like node-xxxxxxxx.", "origin")
    with write():
        row = EnrollmentToken.get_or_none(EnrollmentToken.token_hash == token_hash(token))
        if row is None or row.used_at is not None or row.expires_at < utcnow():
            raise Forbidden(
                "The enrollment token is unknown, used or expired; ask the hub for a new one."
            )
        school = School.get_by_id(row.school_id)
        if HubNode.get_or_none(HubNode.node_id == node_id) is not None:
            raise Forbidden(
                "This node is already enrolled; revoke it at the hub before enrolling again."
            )
        adopt = school.origin is not None and school.origin != origin
        if adopt and has_school_data:
            raise Forbidden(
                "School %(code)s already has its data at the hub from another server; this "
                "server has school data of its own. Enroll a fresh server (mektep migrate on "
                "an empty home) to replace the old one.",
                code=school.code,
            )
        if school.origin is None:
            taken = School.get_or_none((School.origin == origin) | (School.partition == partition))
            if taken is not None:
                raise Forbidden(
                    "This server's identity belongs to school %(code)s already.", code=taken.code
                )
            school.origin, school.partition = origin, partition
            school.save()
        now = utcnow()
        HubNode.update(revoked_at=now).where(
            (HubNode.school == school.code) & HubNode.revoked_at.is_null()
        ).execute()
        secret = secrets.token_hex(32)
        HubNode.create(node_id=node_id, school=school, secret=secret, version=version[:32])
        row.used_at, row.used_by = now, node_id
        row.save()
        start = highest_seq(school.origin)
    return {
        "node_id": node_id,
        "secret": secret,
        "origin": school.origin,
        "school": school.partition,
        "school_code": school.code,
        "school_name": school.name,
        "seq_start": start,
        "adopted": adopt,
    }


def highest_seq(origin: str) -> int:
    """The highest seq of ``origin`` the hub holds (a parent sent early can be above the watermark)."""
    mark = SyncWatermark.get_or_none(SyncWatermark.origin == origin)
    best = mark.seq if mark else 0
    for model in replicated_models():
        top = model.select(peewee.fn.MAX(model.seq)).where(model.origin == origin).scalar()
        best = max(best, top or 0)
    return best
