"""Enrollment tokens (one-time, expiring, stored hashed) and cutting a node off."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from appliance.db import utcnow, write
from appliance.errors import NotFound, ValidationError
from appliance.hub.models import EnrollmentToken, HubNode, School


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").strip().encode()).hexdigest()


def create_token(school_code: str, hours: int = 72) -> str:
    """A new one-time token for the school, valid ``hours``; returns it in plain (shown once)."""
    if not 1 <= int(hours) <= 24 * 90:
        raise ValidationError("A token is valid for 1 to 2160 hours.", "hours")
    school = School.get_or_none(School.code == (school_code or "").strip())
    if school is None:
        raise NotFound("No school with the code '%(code)s'.", code=school_code)
    # Readable groups so it can be typed from a printed sheet.
    raw = secrets.token_hex(12)
    token = "-".join(raw[i : i + 6] for i in range(0, len(raw), 6))
    with write():
        EnrollmentToken.create(
            token_hash=token_hash(token),
            school=school,
            expires_at=utcnow() + dt.timedelta(hours=int(hours)),
        )
    return token


def list_tokens(school_code: str | None = None) -> list[EnrollmentToken]:
    """Tokens (hashes only) newest first."""
    query = EnrollmentToken.select().order_by(EnrollmentToken.created_at.desc())
    if school_code:
        query = query.where(EnrollmentToken.school == school_code)
    return list(query)


def revoke_node(node_id: str) -> HubNode:
    """Cut a node off: its requests get 401 from now on."""
    node = HubNode.get_or_none(HubNode.node_id == (node_id or "").strip())
    if node is None:
        raise NotFound("No such node: %(node)s.", node=node_id)
    if node.revoked_at is None:
        with write():
            node.revoked_at = utcnow()
            node.save()
    return node
