"""The sync agent (schedule, backoff, SIGTERM), the sync commands and the admin's Sync page."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
import uuid

import pytest
from click.testing import CliRunner

from sync.agent import MAX_BACKOFF, Agent, backoff_seconds
from tests.conftest import login, post
from tests.e2e.conftest import MEKTEP


def test_backoff_doubles_from_a_minute_and_stops_at_an_hour():
    assert backoff_seconds(0, 900) == 900
    assert [backoff_seconds(n, 900) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff_seconds(7, 900) == MAX_BACKOFF == backoff_seconds(50, 900)


def test_agent_backs_off_after_failures_and_returns_to_the_interval():
    outcomes = iter([RuntimeError("hub down"), RuntimeError("hub down"), None])
    ran = []

    def once():
        ran.append(time.monotonic())
        outcome = next(outcomes, None)
        if outcome:
            raise outcome

    agent = Agent(once, interval_minutes=15, first_delay=0)
    intervals = []
    original = agent._schedule

    def spy(seconds, first=False):
        intervals.append(seconds)
        original(seconds, first)
        if not first and len(intervals) < 4:
            agent.scheduler.modify_job(
                Agent.JOB, next_run_time=_now()
            )  # don't wait a minute in a test

    agent._schedule = spy
    thread = threading.Thread(target=agent.start, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while len(ran) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    agent.scheduler.shutdown(wait=True)
    assert len(ran) == 3
    assert intervals == [900, 60, 120, 900]
    job_defaults = agent.scheduler._job_defaults
    assert job_defaults["max_instances"] == 1 and job_defaults["coalesce"] is True


def _now():
    import datetime as dt

    return dt.datetime.now().astimezone()


def test_the_daemon_stops_cleanly_on_sigterm(tmp_path):
    home = tmp_path / "node"
    subprocess.run([MEKTEP, "--home", str(home), "migrate"], check=True, capture_output=True)
    proc = subprocess.Popen(
        [MEKTEP, "--home", str(home), "sync", "daemon"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "sync agent: every 15 min" in err


def _cli(config, *args):
    from provisioning.cli import main

    return CliRunner().invoke(main, ["--home", str(config.home), *args])


def test_sync_commands_before_and_after_enrolling(hub, node_db, config, make_user):
    result = _cli(config, "sync", "now")
    assert result.exit_code == 1 and "not enrolled" in result.output
    status = json.loads(_cli(config, "sync", "status", "--json").output)
    assert status["enrolled"] is False and status["last_success"] is None
    code, token = hub.new_school()
    result = _cli(config, "enroll", "--hub", hub.url, "--token", token)
    assert result.exit_code == 0, result.output
    assert f"school {code}" in result.output
    make_user("student")
    result = _cli(config, "sync", "now")
    assert result.exit_code == 0, result.output
    assert (
        "hub answered" in result.output and "done: " in result.output and "ok in" in result.output
    )
    status = json.loads(_cli(config, "sync", "status", "--json").output)
    assert status["enrolled"] and status["last_success"] and status["pending_up"] == 0
    assert status["watermarks"] == {} or "hub" in status["watermarks"]
    text = _cli(config, "sync", "status").output
    assert "last success" in text and "clock skew" in text


def test_sync_now_fails_with_the_reason_when_the_hub_is_down(node_db, config):
    from sync import state

    state.put(hub_url="http://127.0.0.1:9", secret="00" * 32, credential=str(uuid.uuid4()))
    result = _cli(config, "sync", "now")
    assert result.exit_code == 1 and "did not answer" in result.output
    assert json.loads(_cli(config, "sync", "status", "--json").output)["last_error"]


def test_hub_token_and_revoke_commands(hub):
    from appliance.hub.models import HubNode

    code, _ = hub.new_school()
    result = hub.run("hub", "token", "--school", code, check=False)
    assert result.returncode == 0 and len(result.stdout.strip()) == 27
    assert "No school" in hub.run("hub", "token", "--school", "nope", check=False).stderr
    with hub.db():
        from appliance.hub.models import School

        HubNode.create(node_id="n-1", school=School.get_by_id(code), secret="00")
    assert hub.run("hub", "revoke", "n-1").returncode == 0
    with hub.db():
        assert HubNode.get_by_id("n-1").revoked_at is not None


@pytest.fixture
def admin(make_user):
    return make_user("admin")


def test_admin_sync_page_and_sync_now_button(hub, node_db, client, admin, tmp_path):
    from sync import client as sync_client

    login(client, admin)
    page = client.get("/admin/sync").get_data(as_text=True)
    assert "not enrolled" in page
    _, token = hub.new_school()
    sync_client.enroll(hub.url, token, str(uuid.uuid4()))
    assert client.post("/admin/sync/now").status_code == 400  # no CSRF token
    response = post(client, "/admin/sync/now", token_from="/admin/sync")
    assert response.status_code == 302
    from web.admin.sync import _running

    deadline = time.monotonic() + 15
    while _running.locked() and time.monotonic() < deadline:
        time.sleep(0.05)
    page = client.get("/admin/sync").get_data(as_text=True)
    assert hub.url in page and "never" not in page and "done: " in page
    assert client.get("/admin/").status_code == 200


def test_students_cannot_open_the_sync_page(client, make_user):
    student = make_user("student")
    login(client, student)
    assert client.get("/admin/sync").status_code in (302, 403)
