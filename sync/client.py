"""The node's side of sync: enroll with the hub, run one sync, report the sync status."""

from __future__ import annotations

import datetime as dt
import fcntl
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from appliance import API_VERSION, __version__
from appliance.db import write
from appliance.replication import (
    OriginCounter,
    local_origin,
    local_school,
    replicated_models,
    set_local_identity,
)
from appliance.school.models import SiteSetting
from appliance.school.services import forget_cached_settings
from sync import clock, protocol, state
from sync.models import SyncWatermark
from sync.transport import SyncError, Transport, hook

BATCH_SIZE = 2000


def has_school_data(origin: str) -> bool:
    """True when any replicated row was written by ``origin`` here."""
    return any(m.select().where(m.origin == origin).exists() for m in replicated_models())


def enroll(hub_url: str, token: str, node_id: str) -> dict:
    """Redeem a token at the hub; store the credential; adopt the school's origin if it has one."""
    origin, school = local_origin(), local_school()
    transport = Transport(hub_url)
    answer = transport.post(
        "enroll",
        {
            "token": token.strip(),
            "node_id": node_id,
            "origin": origin,
            "school": school,
            "has_school_data": has_school_data(origin),
            "version": __version__,
        },
        signed=False,
    )
    with write():
        if answer["origin"] != origin:
            # A replacement server: it takes over the school's origin and continues its counter.
            for key, value in (("origin", answer["origin"]), ("school_id", answer["school"])):
                forget_cached_settings()
                SiteSetting.insert(key=key, value=value).on_conflict(
                    conflict_target=[SiteSetting.key], update={SiteSetting.value: value}
                ).execute()
            start = int(answer["seq_start"])
            OriginCounter.insert(origin=answer["origin"], value=start).on_conflict(
                conflict_target=[OriginCounter.origin], update={OriginCounter.value: start}
            ).execute()
            state.put(restore_upto=start)
        state.put(
            hub_url=hub_url.rstrip("/"),
            credential=answer["node_id"],
            secret=answer["secret"],
            counter=0,
            school_code=answer["school_code"],
            school_name=answer["school_name"],
            last_error="",
            hub_watermark=0,
        )
    set_local_identity(answer["origin"], answer["school"])
    return answer


@contextmanager
def _exclusive(lock_path: Path):
    """One sync at a time per node (the agent and the admin's button share this lock)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncError("busy", "another sync is running on this node") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run_sync(
    lock_path: Path,
    progress: Callable[[str], None] = lambda line: None,
    batch_size: int | None = None,
) -> dict:
    """One full sync: hello, push until the hub holds everything, pull national content."""
    if not state.enrolled():
        raise SyncError(
            "not_enrolled", "this node is not enrolled: run mektep enroll --hub URL --token TOKEN"
        )
    batch_size = batch_size or BATCH_SIZE
    started = time.monotonic()
    with _exclusive(lock_path):
        transport = Transport(state.get("hub_url"), state.get("credential"), state.get("secret"))
        state.put(running=clock.now().isoformat(), progress="")

        def say(line: str) -> None:
            state.put(progress=line)
            progress(line)

        try:
            result = _sync(transport, say, batch_size)
        except Exception as exc:
            message = str(exc) if isinstance(exc, SyncError) else f"{type(exc).__name__}: {exc}"
            state.put(last_error=message, last_error_at=clock.now().isoformat(), running="")
            raise
        result.update(
            seconds=round(time.monotonic() - started, 3),
            bytes_sent=transport.sent,
            bytes_received=transport.received,
            round_trips=transport.round_trips,
        )
        state.put(
            last_success=clock.now().isoformat(), last_error="", running="", last_result=result
        )
        say(f"done: {result['pushed']} rows up, {result['pulled']} rows down")
        return result


def _sync(transport: Transport, say, batch_size: int) -> dict:
    origin, school = local_origin(), local_school()
    sent_at = clock.now()
    own_max = protocol.counter(origin)
    hello = transport.post(
        "hello",
        {
            "api": [API_VERSION],
            "version": __version__,
            "time": sent_at.isoformat(),
            "max_seq": own_max,
            "hub_seq_seen": protocol.watermark("hub"),
        },
        point="hello",
    )
    if API_VERSION not in hello.get("api", []):
        raise SyncError(
            "version", f"the hub speaks API {hello.get('api')}, this node {API_VERSION}"
        )
    received_at = clock.now()
    midpoint = sent_at + (received_at - sent_at) / 2
    skew = (midpoint - dt.datetime.fromisoformat(hello["time"])).total_seconds()
    mark = int(hello["watermark"])
    state.put(clock_skew=round(skew, 1), hub_watermark=mark, hub_seq=int(hello["hub_seq"]))
    say(f"hub answered: holds this school up to {mark}, clock skew {skew:+.0f} s")
    if mark > own_max:
        # The hub holds more of our origin than we do (a restored backup): never reuse a seq.
        with write():
            OriginCounter.insert(origin=origin, value=mark).on_conflict(
                conflict_target=[OriginCounter.origin], update={OriginCounter.value: mark}
            ).execute()
    # Push up to what was written when this sync began: writes made meanwhile go next time,
    # so a school busy writing cannot keep one sync running for ever.
    pushed = _push(transport, say, origin, school, mark, max(own_max, mark), batch_size)
    pulled = _pull(transport, say, origin, school, int(hello["hub_seq"]), batch_size)
    return {"pushed": pushed, "pulled": pulled}


def _push(transport, say, origin, school, mark: int, ceiling: int, batch_size: int) -> int:
    total = 0
    while True:
        if ceiling <= mark:
            return total
        tables, rows, end = protocol.build_batch(origin, mark, batch_size, ceiling, school)
        hook("push-built")
        answer = transport.post(
            "push",
            {"origin": origin, "school": school, "after": mark, "end": end, "tables": tables},
            point="push",
        )
        mark = int(answer["watermark"])
        state.put(hub_watermark=mark)
        total += rows
        say(f"sent {rows} rows; the hub holds this school up to {mark} of {ceiling}")


def _pull(transport, say, origin, school, hub_seq: int, batch_size: int) -> int:
    total = 0
    while True:
        streams = []
        if hub_seq > protocol.watermark("hub"):
            streams.append({"origin": "hub", "after": protocol.watermark("hub")})
        upto = state.get_int("restore_upto")
        if upto > protocol.watermark(origin):
            streams.append({"origin": origin, "after": protocol.watermark(origin), "upto": upto})
        if not streams:
            return total
        answer = transport.post("pull", {"streams": streams, "limit": batch_size}, point="pull")
        if not answer.get("origin"):
            return total
        which = answer["origin"]
        allowed = {"hub": None} if which == "hub" else {origin: school}
        protocol.apply_batch(
            answer["tables"], allowed, which, int(answer["after"]), int(answer["end"])
        )
        hook("pull-applied")
        total += int(answer.get("rows", 0))
        say(f"received {answer.get('rows', 0)} rows of {which} (up to {answer['end']})")
        if which == "hub" and not answer.get("more"):
            hub_seq = min(hub_seq, protocol.watermark("hub"))


def pending_rows(origin: str, after: int) -> int:
    """Rows of ``origin`` written since the hub's watermark (what the next sync sends)."""
    return sum(
        m.select().where((m.origin == origin) & (m.seq > after)).count()
        for m in replicated_models()
    )


def status() -> dict:
    """What the admin page and `mektep sync status` show."""
    origin = local_origin()
    own_max = protocol.counter(origin)
    return {
        "enrolled": state.enrolled(),
        "hub_url": state.get("hub_url"),
        "node": state.get("credential"),
        "school_code": state.get("school_code"),
        "origin": origin,
        "school": local_school(),
        "last_success": state.get("last_success") or None,
        "last_error": state.get("last_error") or None,
        "last_error_at": state.get("last_error_at") or None,
        "clock_skew_seconds": float(state.get("clock_skew")) if state.get("clock_skew") else None,
        "pending_up": pending_rows(origin, state.get_int("hub_watermark")),
        "pending_down": max(0, state.get_int("hub_seq") - protocol.watermark("hub")),
        "watermarks": {
            w.origin: w.seq for w in SyncWatermark.select().order_by(SyncWatermark.origin)
        },
        "own_seq": own_max,
        "hub_holds": state.get_int("hub_watermark"),
        "running": state.get("running") or None,
        "progress": state.get("progress") or None,
    }
