"""Sync under faults: the agent SIGKILLed, a cut connection, a hub restart, wrong clocks.

After the next good sync the hub's copy of the school must equal the node's exactly.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
import uuid

from appliance.db import db
from appliance.hub.models import HubNode
from appliance.replication import local_origin
from sync import state
from tests.e2e.conftest import mektep
from tests.sync.conftest import enrolled, hub, sqlite_hub  # noqa: F401  (fixtures)
from tests.sync.data import build_school, random_edit
from tests.sync.harness import assert_hub_equals_node
from tests.sync.proxy import CuttingProxy


def _sync_cli(home, hook: str = "", check: bool = False, **env):
    extra = {"MEKTEP_SYNC_BATCH": "20", **env}
    if hook:
        extra["MEKTEP_TEST_SYNC_HOOK"] = hook
    db.close()  # the subprocess writes the node's database; we read it again afterwards
    return mektep(home, "sync", "now", check=check, env=extra)


def _good_sync_equals(home, the_hub) -> None:
    result = _sync_cli(home)
    assert result.returncode == 0, result.stderr
    assert "ok in" in result.stdout
    assert_hub_equals_node(the_hub, local_origin())


def test_killed_between_batches_and_inside_a_batch(hub, enrolled, home):  # noqa: F811
    build_school(students=30)
    between = _sync_cli(home, "kill:push-built:3")
    assert between.returncode == -9
    assert between.stdout.count("sent ") == 2  # two batches committed, killed building the third
    inside = _sync_cli(home, "kill:push-sent:2")
    assert inside.returncode == -9
    _good_sync_equals(home, hub)


def test_killed_while_applying_national_content(hub, enrolled, home):  # noqa: F811
    from tests.sync.test_replication import _publish_national_course

    origin = local_origin()
    _publish_national_course(hub)
    from appliance.school.services import ensure_identity

    ensure_identity("node")
    assert local_origin() == origin
    killed = _sync_cli(home, "kill:pull-applied:1", MEKTEP_SYNC_BATCH="2")
    assert killed.returncode == -9
    _good_sync_equals(home, hub)
    from appliance.courses.models import Course

    assert Course.select().where(Course.origin == "hub").count() >= 1


def test_a_connection_cut_in_the_middle_of_a_response(sqlite_hub, node_db, home):  # noqa: F811
    from sync import client

    build_school(students=10)
    proxy = CuttingProxy(sqlite_hub.port, cut_at=2, keep=60)
    try:
        _, token = sqlite_hub.new_school()
        client.enroll(proxy.url, token, str(uuid.uuid4()))  # connection 1
        cut = _sync_cli(home)  # hello (2) is cut mid-response
        assert cut.returncode == 1 and ("did not answer" in cut.stderr or "cut short" in cut.stderr)
        assert proxy.cuts == 1
        proxy.cut_at = proxy.connections + 2  # the next run: its first push is cut
        cut = _sync_cli(home)
        assert cut.returncode == 1
        _good_sync_equals(home, sqlite_hub)
        assert proxy.cuts == 2
    finally:
        proxy.close()


def test_the_hub_restarts_during_a_sync(sqlite_hub, node_db, home):  # noqa: F811
    from sync import client

    build_school(students=30)
    _, token = sqlite_hub.new_school()
    client.enroll(sqlite_hub.url, token, str(uuid.uuid4()))
    db.close()
    env = {
        "MEKTEP_SYNC_BATCH": "20",
        "MEKTEP_TEST_SYNC_HOOK": "sleep:push-built:2",
        "MEKTEP_TEST_SYNC_SLEEP": "4",
        "MEKTEP_DEFAULT_LANGUAGE": "en",
    }
    proc = subprocess.Popen(
        [*_cmd(home), "sync", "now"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**__import__("os").environ, **env},
    )
    time.sleep(1.5)
    sqlite_hub.stop(kill=True)
    sqlite_hub.start()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    _good_sync_equals(home, sqlite_hub)


def _cmd(home):
    from tests.e2e.conftest import MEKTEP

    return [MEKTEP, "--home", str(home)]


def test_clock_three_years_back_and_two_days_ahead(hub, enrolled, home):  # noqa: F811
    school = build_school(students=5)
    credential = state.get("credential")
    for offset in (-3 * 365.25 * 86400, 2 * 86400):
        random_edit(__import__("random").Random(int(offset)), school, int(offset))
        result = _sync_cli(home, MEKTEP_TEST_CLOCK_OFFSET=str(offset))
        assert result.returncode == 0, result.stderr
        info = json.loads(mektep(home, "sync", "status", "--json").stdout)
        assert abs(info["clock_skew_seconds"] - offset) < 60
        with hub.db():
            assert abs(HubNode.get_by_id(credential).clock_skew_seconds - offset) < 60
        assert_hub_equals_node(hub, local_origin())


def test_agent_syncs_while_the_web_app_writes(sqlite_hub, node_db, home):  # noqa: F811
    import random

    from sync import client

    school = build_school(students=5)
    _, token = sqlite_hub.new_school()
    client.enroll(sqlite_hub.url, token, str(uuid.uuid4()))
    errors: list[BaseException] = []
    done = threading.Event()

    def writer():
        rng = random.Random(7)
        db.connect(reuse_if_open=True)
        try:
            n = 0
            while not done.is_set():
                n += 1
                random_edit(rng, school, n)
                time.sleep(0.005)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        runs = [
            mektep(home, "sync", "now", check=False, env={"MEKTEP_SYNC_BATCH": "25"})
            for _ in range(3)
        ]
    finally:
        done.set()
        thread.join()
    assert not errors
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    _good_sync_equals(home, sqlite_hub)
