"""What the hub refuses: unsigned, replayed, revoked, foreign rows, oversized and malformed batches."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import uuid

import pytest

from appliance.accounts.models import SchoolClass, User
from appliance.replication import local_origin, local_school
from sync import auth, protocol, state, wire
from sync.transport import SyncError, Transport
from tests.sync.harness import assert_hub_equals_node


def _raw(hub, path: str, body: bytes, headers: dict | None = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=30)
    conn.request("POST", path, body=body, headers={"Content-Encoding": "gzip", **(headers or {})})
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    if response.getheader("Content-Encoding") == "gzip":
        raw = gzip.decompress(raw)
    return response.status, json.loads(raw)


def _signed(body: bytes, path: str = "/sync/v1/push", counter: int | None = None) -> dict:
    count = counter if counter is not None else state.next_counter()
    return auth.sign_headers(
        state.get("secret"), "POST", path, state.get("credential"), count, body
    )


def _batch(**change) -> dict:
    origin = local_origin()
    tables, _, end = protocol.build_batch(origin, 0, 5000, protocol.counter(origin), local_school())
    return {
        "origin": origin,
        "school": local_school(),
        "after": 0,
        "end": end,
        "tables": tables,
        **change,
    }


def _hub_has(hub, model, row_id) -> bool:
    with hub.db():
        return model.get_or_none(model.id == row_id) is not None


def test_without_credentials_401(hub, enrolled):
    status, body = _raw(hub, "/sync/v1/hello", wire.compress({}))
    assert status == 401 and body["error"] == "no_credentials" and body["message"]


def test_bad_signature_and_unknown_node_401(hub, enrolled):
    body = wire.compress({})
    headers = _signed(body, "/sync/v1/hello")
    headers[auth.HEADER_SIGNATURE] = "0" * 64
    assert _raw(hub, "/sync/v1/hello", body, headers)[1]["error"] == "bad_signature"
    headers = _signed(body, "/sync/v1/hello")
    headers[auth.HEADER_NODE] = str(uuid.uuid4())
    assert _raw(hub, "/sync/v1/hello", body, headers)[1]["error"] == "unknown_node"


def test_a_replayed_request_is_refused(hub, enrolled):
    klass = SchoolClass(name="replayed")
    klass.save()
    body = wire.compress(_batch())
    headers = _signed(body)
    assert _raw(hub, "/sync/v1/push", body, headers)[0] == 200
    status, answer = _raw(hub, "/sync/v1/push", body, headers)
    assert (
        status == 401
        and answer["error"] == "replay"
        and answer["last_counter"] == int(headers[auth.HEADER_COUNTER])
    )


def test_a_node_that_lost_its_counter_jumps_past_the_hubs(hub, enrolled):
    enrolled()
    enrolled()
    state.put(counter=0)  # a backup restored from before those syncs
    assert enrolled()["round_trips"] == 2  # refused once, told the hub's counter, then accepted
    assert state.get_int("counter") > 2


def test_a_revoked_node_is_refused(hub, enrolled):
    from appliance.hub.tokens import revoke_node

    enrolled()
    credential = state.get("credential")
    with hub.db():
        revoke_node(credential)
    with pytest.raises(SyncError) as refused:
        enrolled()
    assert refused.value.status == 401 and refused.value.code == "revoked"
    assert "revoked" in state.get("last_error")


@pytest.mark.parametrize("change", ["origin", "school", "row_origin", "row_school", "hub_origin"])
def test_rows_of_another_origin_or_school_are_refused_whole(hub, enrolled, change):
    mine = SchoolClass(name="mine")
    mine.save()
    payload = _batch()
    table = payload["tables"]["school_class"]
    if change == "origin":
        payload["origin"] = "node-0ther000"
    elif change == "school":
        payload["school"] = "school-0ther000"
    elif change in ("row_origin", "hub_origin"):
        table["origin"][-1] = "hub" if change == "hub_origin" else "node-0ther000"
    else:
        table["school"][-1] = "school-0ther000"
    body = wire.compress(payload)
    status, answer = _raw(hub, "/sync/v1/push", body, _signed(body))
    assert status == 403 and answer["error"] == "forbidden_rows", answer
    assert not _hub_has(hub, SchoolClass, mine.id)
    from appliance.hub.models import HubNode

    credential = state.get("credential")
    with hub.db():
        assert (
            "not this sender" in HubNode.get_by_id(credential).last_error
            or "writes origin" in HubNode.get_by_id(credential).last_error
        )
    enrolled()  # the honest batch still goes through afterwards
    assert_hub_equals_node(hub, local_origin())


def test_overwriting_another_origins_row_by_id_is_refused(hub, enrolled):
    enrolled()
    with hub.db():
        foreign = SchoolClass(name="hub's", origin="node-f0000000", school="school-f0000000")
        foreign._replicating = True
        foreign.save()
    payload = _batch()
    payload["tables"] = {
        "school_class": wire.encode_rows(
            SchoolClass,
            [
                (
                    foreign.id,
                    local_origin(),
                    local_school(),
                    10**9,
                    False,
                    foreign.updated_at,
                    "stolen",
                    None,
                )
            ],
        )
    }
    body = wire.compress(payload)
    status, answer = _raw(hub, "/sync/v1/push", body, _signed(body))
    assert status == 403 and "exists here" in answer["message"]
    with hub.db():
        assert SchoolClass.get_by_id(foreign.id).name == "hub's"


def test_a_row_whose_parent_is_missing_is_refused_with_its_name(hub, enrolled):
    klass = SchoolClass(name="parent")
    klass.save()
    User(username="child", role="student", school_class=klass, password_hash="x").save()
    payload = _batch()
    del payload["tables"]["school_class"]
    body = wire.compress(payload)
    status, answer = _raw(hub, "/sync/v1/push", body, _signed(body))
    assert status == 400 and answer["error"] == "missing_parent"
    assert "user_account" in answer["message"] and klass.id in answer["message"]
    assert not _hub_has(hub, User, User.get(User.username == "child").id)


@pytest.mark.parametrize(
    "kind", ["not_gzip", "not_json", "truncated", "bad_column", "bad_value", "unknown_table"]
)
def test_malformed_batches_get_400_and_nothing_applies(hub, enrolled, kind):
    klass = SchoolClass(name="m")
    klass.save()
    payload = _batch()
    body = wire.compress(payload)
    if kind == "not_gzip":
        body = b"plain text"
    elif kind == "not_json":
        body = gzip.compress(b"{not json")
    elif kind == "truncated":
        body = body[:-12]
    elif kind == "bad_column":
        payload["tables"]["school_class"]["nonsense"] = [1]
        body = wire.compress(payload)
    elif kind == "bad_value":
        payload["tables"]["school_class"]["updated_at"] = ["yesterday"]
        body = wire.compress(payload)
    else:
        payload["tables"]["sqlite_master"] = {}
        body = wire.compress(payload)
    status, answer = _raw(hub, "/sync/v1/push", body, _signed(body))
    assert status == 400 and answer["error"] == "malformed" and answer["message"]
    assert not _hub_has(hub, SchoolClass, klass.id)


def test_oversized_bodies_get_413_and_nothing_applies(hub, enrolled):
    klass = SchoolClass(name="big")
    klass.save()
    payload = _batch()
    # More rows than a batch may hold.
    table = payload["tables"]["school_class"]
    many = {col: values * (wire.MAX_ROWS + 1) for col, values in table.items()}
    payload["tables"]["school_class"] = many
    body = wire.compress(payload)
    status, answer = _raw(hub, "/sync/v1/push", body, _signed(body))
    assert status == 413 and answer["error"] == "too_many_rows"
    # A gzip bomb: small on the wire, over the inflated limit.
    bomb = gzip.compress(b" " * (wire.MAX_DECOMPRESSED + 10), compresslevel=9)
    assert len(bomb) < wire.MAX_COMPRESSED
    status, answer = _raw(hub, "/sync/v1/push", bomb, _signed(bomb))
    assert status == 413 and answer["error"] == "too_large"
    # Over the compressed limit: refused before it is read.
    huge = os.urandom(wire.MAX_COMPRESSED + 1)
    status, answer = _raw(hub, "/sync/v1/push", huge, _signed(huge))
    assert status == 413
    assert not _hub_has(hub, SchoolClass, klass.id)


def test_enrollment_tokens_are_one_time(hub, node_db):
    from sync import client

    _, token = hub.new_school()
    client.enroll(hub.url, token, str(uuid.uuid4()))
    with pytest.raises(SyncError) as refused:
        client.enroll(hub.url, token, str(uuid.uuid4()))
    assert refused.value.status == 403 and "token" in refused.value.message
    with pytest.raises(SyncError):
        Transport(hub.url).post(
            "enroll",
            {"token": "nope", "node_id": "x", "origin": "node-1", "school": "s"},
            signed=False,
        )


def test_a_node_does_not_answer_sync_requests(client):
    response = client.post("/sync/v1/hello", data=wire.compress({}))
    assert response.status_code == 404 and response.get_json()["error"] == "not_a_hub"
