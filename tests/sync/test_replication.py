"""Node ↔ hub replication against a real hub (SQLite and PostgreSQL): exact, idempotent, resumable."""

from __future__ import annotations

import uuid

import pytest

from appliance.accounts.models import User
from appliance.courses.models import Course, Lesson, Section
from appliance.db import db
from appliance.replication import local_origin, local_school, set_local_identity
from sync import protocol, state
from sync.transport import SyncError, Transport
from tests.sync.data import build_school
from tests.sync.harness import assert_hub_equals_node


def test_data_written_before_enrolling_arrives_whole_in_small_batches(hub, node_db, tmp_path):
    from sync import client

    build_school(students=5)  # used before it enrolled
    code, token = hub.new_school()
    client.enroll(hub.url, token, str(uuid.uuid4()))
    result = client.run_sync(tmp_path / "lock", batch_size=3)
    assert result["pushed"] >= 40
    assert_hub_equals_node(hub, local_origin())
    with hub.db():
        from appliance.hub.models import School

        school = School.get_by_id(code)
        assert (school.origin, school.partition) == (local_origin(), local_school())


def test_nothing_to_send_is_one_small_round_trip(hub, enrolled, make_user):
    make_user("student")
    enrolled()
    result = enrolled()
    assert result["round_trips"] == 1
    assert result["bytes_sent"] + result["bytes_received"] < 2048
    assert result["pushed"] == result["pulled"] == 0


def test_a_batch_delivered_twice_changes_nothing(hub, enrolled):
    build_school(students=3)
    origin = local_origin()
    tables, rows, end = protocol.build_batch(
        origin, 0, 10_000, protocol.counter(origin), local_school()
    )
    transport = Transport(state.get("hub_url"), state.get("credential"), state.get("secret"))
    payload = {"origin": origin, "school": local_school(), "after": 0, "end": end, "tables": tables}
    first = transport.post("push", payload)
    with hub.db():
        before = protocol.stored_rows(origin)
    second = transport.post("push", payload)
    with hub.db():
        assert protocol.stored_rows(origin) == before
    assert first["watermark"] == second["watermark"] == end
    assert enrolled()["pushed"] == 0
    assert_hub_equals_node(hub, origin)


def test_edits_and_tombstones_travel_and_the_hub_keeps_the_newest(hub, enrolled):
    school = build_school(students=3)
    enrolled()
    user = User.get(User.username == "pupil0")
    user.first_name = "Aida"
    user.save()
    school["course"].tombstone()
    result = enrolled()
    assert result["pushed"] == 2
    assert_hub_equals_node(hub, local_origin())
    with hub.db():
        assert Course.get_by_id(school["course"].id).deleted


def _publish_national_course(hub) -> str:
    """Write a national course at the hub (origin "hub"), as the hub's own writer."""
    with hub.db():
        set_local_identity("hub", None)
        owner = User(
            username=f"methodist{uuid.uuid4().hex[:4]}",
            role="teacher",
            password_hash="scrypt:secret",
            email="m@hub",
        )
        owner.save()
        course = Course(title="National physics", owner=owner, grade=7)
        course.save()
        section = Section(course=course, title="Motion")
        section.save()
        Lesson(course=course, section=section, title="Speed").save()
        owner.first_name = "Changed after"  # the owner's seq is now above the course's
        owner.save()
    return course.id


def test_national_content_reaches_the_node_read_only_with_scrubbed_owner(hub, enrolled):
    node_origin = local_origin()
    course_id = _publish_national_course(hub)
    from appliance.school.services import ensure_identity

    ensure_identity("node")
    assert local_origin() == node_origin
    result = enrolled()
    assert result["pulled"] >= 4
    course = Course.get_by_id(course_id)
    assert course.origin == "hub" and course.read_only_here and course.school is None
    assert Lesson.select().where(Lesson.course == course_id).count() == 1
    assert course.owner.password_hash == "!" and course.owner.email == ""
    course.title = "edited here"
    with pytest.raises(PermissionError):
        course.save()
    assert enrolled()["round_trips"] == 1


def test_a_replacement_server_adopts_the_school_and_gets_its_data_back(hub, enrolled, tmp_path):
    from appliance import migrate
    from appliance.config import load_config
    from appliance.db import init_database
    from appliance.school.services import ensure_identity
    from sync import client

    build_school(students=4)
    enrolled()
    old_origin, old_rows = local_origin(), protocol.stored_rows(local_origin())
    old_transport = Transport(state.get("hub_url"), state.get("credential"), state.get("secret"))
    with hub.db():
        from appliance.hub.tokens import create_token

        token = create_token(enrolled.code)
    db.close()
    init_database(load_config(tmp_path / "new-node", {"secret_key": "x"}))
    migrate.migrate()
    ensure_identity("node")
    answer = client.enroll(hub.url, token, str(uuid.uuid4()))
    assert answer["adopted"] and local_origin() == old_origin
    client.run_sync(tmp_path / "new.lock", batch_size=7)
    assert protocol.stored_rows(old_origin) == old_rows
    User(username="after-replacement", role="student", password_hash="x").save()
    assert client.run_sync(tmp_path / "new.lock")["pushed"] == 1
    assert_hub_equals_node(hub, old_origin)
    with pytest.raises(SyncError) as refused:
        old_transport.post("hello", {})
    assert refused.value.status == 401 and refused.value.code == "revoked"


def test_a_replacement_with_its_own_school_data_is_refused(hub, enrolled, tmp_path):
    from appliance import migrate
    from appliance.config import load_config
    from appliance.db import init_database
    from appliance.school.services import ensure_identity
    from sync import client

    enrolled()
    with hub.db():
        from appliance.hub.tokens import create_token

        token = create_token(enrolled.code)
    db.close()
    init_database(load_config(tmp_path / "other", {"secret_key": "x"}))
    migrate.migrate()
    ensure_identity("node")
    User(username="own", role="admin", password_hash="x").save()
    with pytest.raises(SyncError) as refused:
        client.enroll(hub.url, token, str(uuid.uuid4()))
    assert refused.value.status == 403 and "school data of its own" in refused.value.message
