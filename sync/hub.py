"""The hub's side of sync: authenticate a node, answer hello, apply pushes, serve pulls."""

from __future__ import annotations

import datetime as dt
import logging

from appliance import API_VERSION, __version__
from appliance.accounts.models import User
from appliance.db import utcnow, write
from appliance.hub.models import HubNode, School
from appliance.journal.models import AuditEntry
from sync import auth, protocol, wire
from sync.wire import WireError

log = logging.getLogger("mektep.sync.hub")

CAPABILITIES = ["gzip", "hello-watermark", "push", "pull", "restore"]
# National content travels down; hub accounts only as the owners of that content, scrubbed.
DOWN_SKIP = (User, AuditEntry)
DOWN_SCRUB = {"user_account": {"password_hash": "!", "email": ""}}
PULL_LIMIT = 2000


class Unauthorized(WireError):
    def __init__(self, code: str, message: str, **extra):
        super().__init__(401, code, message)
        self.extra = extra


def authenticate(method: str, path: str, headers, body: bytes) -> HubNode:
    """The enrolled, unrevoked node that signed this request with a fresh counter."""
    node_id = headers.get(auth.HEADER_NODE, "")
    given = headers.get(auth.HEADER_SIGNATURE, "")
    try:
        count = int(headers.get(auth.HEADER_COUNTER, ""))
    except ValueError:
        count = None
    if not node_id or not given or count is None:
        raise Unauthorized("no_credentials", "this request carries no node credentials")
    node = HubNode.get_or_none(HubNode.node_id == node_id)
    if node is None:
        raise Unauthorized("unknown_node", "this node is not enrolled here")
    if node.revoked_at is not None:
        raise Unauthorized("revoked", "this node's credential was revoked; enroll it again")
    if not auth.verify(node.secret, method, path, node_id, count, body, given):
        raise Unauthorized("bad_signature", "the request signature does not match")
    with write():
        # Compare-and-set: of two requests with one counter only the first passes.
        moved = (
            HubNode.update(last_counter=count)
            .where((HubNode.node_id == node_id) & (HubNode.last_counter < count))
            .execute()
        )
    if not moved:
        last = HubNode.get_by_id(node_id).last_counter
        raise Unauthorized(
            "replay",
            f"request counter {count} is not above the last accepted ({last})",
            last_counter=last,
        )
    node.last_counter = count
    return node


def note_error(node: HubNode, message: str) -> None:
    log.warning("node %s: %s", node.node_id, message)
    with write():
        HubNode.update(last_error=message[:2000]).where(HubNode.node_id == node.node_id).execute()


def hello(node: HubNode, payload: dict) -> dict:
    """Versions, capabilities, the hub's time and what the hub holds of the node's origin."""
    school = School.get_by_id(node.school_id)
    now = utcnow()
    mark = protocol.watermark(school.origin)
    skew = None
    try:
        skew = (dt.datetime.fromisoformat(payload.get("time")) - now).total_seconds()
    except (TypeError, ValueError):
        pass
    pending = payload.get("max_seq")
    with write():
        HubNode.update(
            last_sync_at=now,
            version=str(payload.get("version", ""))[:32],
            clock_skew_seconds=skew,
            pending_up=max(0, int(pending) - mark) if isinstance(pending, int) else None,
        ).where(HubNode.node_id == node.node_id).execute()
    return {
        "api": [API_VERSION],
        "version": __version__,
        "capabilities": CAPABILITIES,
        "time": now.isoformat(),
        "origin": school.origin,
        "school": school.partition,
        "watermark": mark,
        "hub_seq": protocol.counter("hub"),
        "limits": {
            "rows": wire.MAX_ROWS,
            "compressed": wire.MAX_COMPRESSED,
            "decompressed": wire.MAX_DECOMPRESSED,
        },
    }


def push(node: HubNode, payload: dict) -> dict:
    """Apply one batch of the node's school data; refuse it whole when anything is wrong."""
    school = School.get_by_id(node.school_id)
    origin, after, end = payload.get("origin"), payload.get("after"), payload.get("end")
    if not isinstance(after, int) or not isinstance(end, int) or end < after or after < 0:
        raise WireError(
            400, "malformed", "'after' and 'end' must be integers with 0 <= after <= end"
        )
    try:
        if origin != school.origin or payload.get("school") != school.partition:
            raise protocol.Refused(
                f"this node writes origin {school.origin!r} school {school.partition!r}, "
                f"not {origin!r} {payload.get('school')!r}"
            )
        mark = protocol.watermark(origin)
        if after > mark:
            raise WireError(
                409, "gap", f"the batch starts after {after} but the hub holds up to {mark}"
            )
        applied = protocol.apply_batch(
            payload.get("tables"), {school.origin: school.partition}, origin, after, end
        )
    except protocol.Refused as exc:
        note_error(node, exc.message)
        raise
    with write():
        HubNode.update(last_sync_at=utcnow(), last_error="").where(
            HubNode.node_id == node.node_id
        ).execute()
    return {"watermark": protocol.watermark(origin), "applied": applied}


def pull(node: HubNode, payload: dict) -> dict:
    """The next batch for the node: national content, or its own school's rows when restoring."""
    school = School.get_by_id(node.school_id)
    streams = payload.get("streams")
    if not isinstance(streams, list) or not streams:
        raise WireError(400, "malformed", "'streams' must be a non-empty list")
    limit = payload.get("limit", PULL_LIMIT)
    limit = min(limit, PULL_LIMIT) if isinstance(limit, int) and limit > 0 else PULL_LIMIT
    for stream in streams:
        origin, after, upto = stream.get("origin"), stream.get("after"), stream.get("upto")
        if not isinstance(after, int) or (upto is not None and not isinstance(upto, int)):
            raise WireError(400, "malformed", "a stream's 'after' and 'upto' must be integers")
        if origin == "hub":
            ceiling = protocol.counter("hub")
            if after >= ceiling:
                continue
            tables, rows, end = protocol.build_batch(
                "hub",
                after,
                limit,
                ceiling,
                None,
                skip=DOWN_SKIP,
                parents_always=(User,),
                scrub=DOWN_SCRUB,
            )
        elif origin == school.origin:
            ceiling = upto or 0  # the highest seq held when this node adopted the origin
            if after >= ceiling:
                continue
            tables, rows, end = protocol.build_batch(
                origin, after, limit, ceiling, school.partition
            )
        else:
            raise protocol.Refused(f"this node may not read origin {origin!r}")
        return {
            "origin": origin,
            "after": after,
            "end": end,
            "rows": rows,
            "tables": tables,
            "more": end < ceiling,
        }
    return {"origin": None, "rows": 0, "tables": {}, "more": False}
