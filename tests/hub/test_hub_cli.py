"""`mektep hub init|serve|schools import|report` through the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from appliance.hub.seed import write_settings
from provisioning.cli import main
from tests.hub import dataset
from tests.hub.conftest import close_hub, open_hub
from tests.parts import free_port, wait_for_port

MEKTEP = str(Path(sys.executable).parent / "mektep")


def run(home, *args):
    try:
        return CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)
    finally:
        close_hub()


def test_init_keeps_other_settings_seeds_and_creates_an_admin(tmp_path):
    (tmp_path / "mektep.toml").write_text('# the hub\nport = 9000\nrole = "node"\n')
    first = run(tmp_path, "hub", "init", "--admin", "ministry")
    assert first.exit_code == 0, first.output
    assert "added 9 oblast(s)" in first.output
    assert "Created hub admin ministry with password " in first.output
    text = (tmp_path / "mektep.toml").read_text()
    assert text.startswith("# the hub\n")
    assert tomllib.loads(text) == {"port": 9000, "role": "hub"}
    again = run(tmp_path, "hub", "init", "--admin", "ministry", "--password", "whatever1")
    assert again.exit_code == 0
    assert "added 0 oblast(s)" in again.output and "already exists" in again.output
    listed = run(tmp_path, "users", "list")
    assert "ministry\tadmin" in listed.output


def test_init_writes_the_database_url(tmp_path, postgres):
    url = postgres.create_database("hub_cli_init")
    result = run(tmp_path, "hub", "init", "--database-url", url, "--password", "secret12")
    assert result.exit_code == 0, result.output
    assert tomllib.loads((tmp_path / "mektep.toml").read_text())["database_url"] == url
    assert "Created hub admin admin." in result.output
    assert "hub_cli_init" in result.output and "secret12" not in result.output


def test_init_refuses_a_school_nodes_home(tmp_path):
    assert run(tmp_path, "migrate").exit_code == 0
    result = run(tmp_path, "hub", "init")
    assert result.exit_code == 1 and "holds a school node" in result.output
    assert not (tmp_path / "mektep.toml").exists()


def test_hub_commands_refuse_a_node(tmp_path):
    run(tmp_path, "migrate")
    result = run(tmp_path, "hub", "report")
    assert result.exit_code == 1 and "not a hub" in result.output


def test_schools_import_dry_run_json_and_errors(tmp_path):
    run(tmp_path, "hub", "init", "--password", "secret12")
    good = tmp_path / "schools.csv"
    good.write_bytes(
        "code;name;oblast;rayon\n41001;Школа №1;Чуйская;Сокулук\n61001;Ош мектеби;Osh;\n".encode(
            "cp1251"
        )
    )
    dry = run(tmp_path, "hub", "schools", "import", str(good), "--dry-run")
    assert dry.exit_code == 0 and "Would add 2 school(s)" in dry.output
    assert "0 school(s)" in run(tmp_path, "hub", "report").output
    done = run(tmp_path, "hub", "schools", "import", str(good), "--json")
    data = json.loads(done.output)
    assert (data["ok"], data["new"], data["written"]) == (True, 2, True)
    assert data["rows"][0] == {
        "line": 2,
        "code": "41001",
        "name": "Школа №1",
        "oblast": "Chüy",
        "rayon": "Сокулук",
        "action": "new",
    }
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,oblast\n41001,Renamed,Chui\n41002,Two,Atlantis\n", encoding="utf-8")
    failed = run(tmp_path, "hub", "schools", "import", str(bad))
    assert failed.exit_code == 1
    assert "bad.csv: line 3: Unknown oblast 'Atlantis'" in failed.output
    assert "Nothing was imported." in failed.output
    as_json = json.loads(run(tmp_path, "hub", "schools", "import", str(bad), "--json").output)
    assert as_json["errors"][0]["line"] == 3 and as_json["written"] is False
    report = json.loads(run(tmp_path, "hub", "report", "--json").output)
    assert {s["code"]: s["name"] for s in report["schools"]} == {
        "41001": "Школа №1",
        "61001": "Ош мектеби",
    }


def _report_home(tmp_path, url=""):
    home = tmp_path / "hub"
    open_hub(home, url)
    dataset.build()
    close_hub()
    write_settings(home, {"role": "hub", "database_url": url})
    return home


def _check_report(home):
    result = run(home, "hub", "report", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"scope", "totals", "schools", "courses", "national_quizzes"}
    schools = {s["code"]: s for s in data["schools"]}
    assert schools["A001"] == {
        "code": "A001",
        "name": "School No. 1",
        "oblast": "Chüy",
        "rayon": "Alamüdün",
        "students": 3,
        "classes": 2,
        "quiz_attempts": 3,
        "marks": 4,
        "mean_mark": 3.5,
        "last_sync": "2026-01-10T08:00:00",
    }
    assert data["totals"]["marks"] == 6 and data["totals"]["schools"] == 3
    quiz = data["national_quizzes"][0]
    assert (quiz["title"], quiz["quiz_attempts"]) == ("National test", 4)
    assert [i["facility"] for i in quiz["items"]] == [0.75, 0.5]
    osh = json.loads(run(home, "hub", "report", "--oblast", "Ошская область", "--json").output)
    assert osh["scope"]["oblast"] == "Osh" and [s["code"] for s in osh["schools"]] == ["B001"]
    assert osh["national_quizzes"][0]["quiz_attempts"] == 1
    one = json.loads(run(home, "hub", "report", "--school", "A001", "--json").output)
    assert [(c["name"], c["students"], c["marks"]) for c in one["classes"]] == [
        ("7А", 2, 3),
        ("8Б", 1, 1),
    ]
    assert [(c["quarter"], c["marks"]) for c in one["courses"]] == [(1, 3), (2, 1)]
    missing = run(home, "hub", "report", "--school", "NOPE")
    assert missing.exit_code == 1 and "No school with the code 'NOPE'" in missing.output
    text = run(home, "hub", "report").output
    assert "A001\tSchool No. 1\tChüy\tAlamüdün\t3\t2\t3\t4\t3.5\t2026-01-10T08:00:00" in text


def test_report_json_sqlite(tmp_path):
    _check_report(_report_home(tmp_path))


def test_report_json_postgres(tmp_path, postgres):
    _check_report(_report_home(tmp_path, postgres.create_database("hub_cli_report")))


def test_serve_turns_advertising_off_unless_asked(tmp_path, monkeypatch):
    import provisioning.serve

    seen = []
    monkeypatch.setattr(
        provisioning.serve,
        "run_server",
        lambda node, host, port: seen.append((node.config.advertise, node.config.role, port)),
    )
    run(tmp_path, "hub", "init", "--password", "secret12")
    write_settings(tmp_path, {"role": "hub"})
    (tmp_path / "mektep.toml").write_text(
        (tmp_path / "mektep.toml").read_text() + "advertise = true\n"
    )
    assert run(tmp_path, "hub", "serve", "--port", "8123").exit_code == 0
    assert run(tmp_path, "hub", "serve", "--advertise").exit_code == 0
    assert seen == [(False, "hub", 8123), (True, "hub", None)]


def test_serve_runs_the_hub_app(tmp_path):
    home = tmp_path / "hub"
    env = {**os.environ, "MEKTEP_DEFAULT_LANGUAGE": "en"}
    subprocess.run(
        [MEKTEP, "--home", str(home), "hub", "init", "--password", "secret12"],
        check=True,
        capture_output=True,
        env=env,
    )
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [MEKTEP, "--home", str(home), "hub", "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        wait_for_port(port)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
            assert json.load(response)["role"] == "hub"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/schools") as response:
            assert "/login" in response.url  # the hub's pages ask for a login
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
    assert "Mektep hub serving" in (tmp_path / "serve.log").read_text()
