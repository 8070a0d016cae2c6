"""Classroom PCs find the node: real `mektep serve` and clients in network namespaces."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.netns import MEKTEP, Avahi, Lan, Lines, stop, wait_for_text
from tests.parts import need

pytestmark = pytest.mark.netns

SRV, SRV_NEW, SRV2, PC = "10.77.0.2", "10.77.0.12", "10.77.0.3", "10.77.0.10"
PORT = 8080  # every host has its own network stack: no clash with anything on the machine
WATCH = str(Path(__file__).with_name("mdns_watch.py"))


def _mektep(home: Path, *args: str) -> None:
    subprocess.run([MEKTEP, "--home", str(home), *args], check=True, capture_output=True)


class NetNode:
    """`mektep serve` on 0.0.0.0 inside one namespace, its log in the node's home."""

    def __init__(self, lan: Lan, host: str, home: Path):
        if not (home / "mektep.db").exists():
            _mektep(home, "migrate")
            (home / "mektep.toml").write_text('default_language = "en"\n')
        self.home, self.log = home, home / "serve.log"
        self.log.write_text("")
        with open(self.log, "w") as out:
            self.proc = lan.popen(
                host,
                MEKTEP,
                "--home",
                str(home),
                "serve",
                "--host",
                "0.0.0.0",
                "--port",
                str(PORT),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for_text(self.log, "mDNS advertising on", 20)

    @property
    def node_id(self) -> str:
        with sqlite3.connect(self.home / "mektep.db") as conn:
            return conn.execute("select value from site_setting where key='node_id'").fetchone()[0]


@pytest.fixture(scope="module")
def lan():
    need(
        os.geteuid() == 0 and bool(shutil.which("ip")),
        "LAN tests need root and iproute2 (network namespaces)",
    )
    lan = Lan({"srv": SRV, "srv2": SRV2, "pc": PC})
    try:
        lan.up()
    except subprocess.CalledProcessError as exc:
        lan.down()
        need(False, f"cannot create network namespaces here: {exc.stderr.strip()}")
    yield lan
    lan.down()


@pytest.fixture(scope="module")
def server(lan, tmp_path_factory):
    node = NetNode(lan, "srv", tmp_path_factory.mktemp("srv") / "node")
    yield node
    stop(node.proc)


@pytest.fixture
def watcher(lan):
    proc = lan.popen("pc", sys.executable, WATCH, stdout=subprocess.PIPE, text=True)
    yield Lines(proc)
    stop(proc, signal.SIGINT)
    proc.stdout.close()


def find(lan: Lan, timeout: float = 5) -> list[dict]:
    result = lan.run("pc", MEKTEP, "find", "--json", "--timeout", str(timeout))
    return json.loads(result.stdout)


def test_pc_finds_the_node_and_confirms_it_over_http(lan, server):
    nodes = find(lan)
    assert [n["addresses"] for n in nodes] == [[SRV]]
    node = nodes[0]
    # The node id came from GET /api/v1/info over the advertised address.
    assert node["reachable"] and node["url"] == f"http://{SRV}:{PORT}/"
    assert node["node_id"] == server.node_id
    assert (node["instance"], node["host"], node["school"]) == ("Mektep", "mektep.local", "Mektep")

    table = lan.run("pc", MEKTEP, "find", "--timeout", "5")
    assert table.returncode == 0 and f"http://{SRV}:{PORT}/" in table.stdout


def test_avahi_on_the_pc_sees_the_service_and_resolves_mektep_local(lan, server):
    need(Avahi.available(), "avahi-daemon, avahi-utils and dbus are not installed")
    avahi = Avahi(lan, "pc")
    try:
        avahi.start()
        deadline, browse = time.monotonic() + 15, ""
        while time.monotonic() < deadline and f";{SRV};{PORT};" not in browse:
            browse = avahi.client("avahi-browse", "-rptk", "_http._tcp").stdout
        assert f";{SRV};{PORT};" in browse and "txtvers=1" in browse and "api=1" in browse
        assert "=;eth0;IPv4;Mektep;_http._tcp;local;mektep.local;" in browse
        resolved = avahi.client("avahi-resolve", "-4", "-n", "mektep.local").stdout
        assert resolved.split() == ["mektep.local", SRV]
        subtype = avahi.client("avahi-browse", "-ptk", "_mektep._sub._http._tcp").stdout
        assert ";Mektep;" in subtype
    finally:
        avahi.stop()


def test_a_second_node_takes_another_name(lan, server, tmp_path):
    second = NetNode(lan, "srv2", tmp_path / "node")
    try:
        log = second.log.read_text()
        assert "this node is advertised as 'Mektep-2' at mektep-2.local" in log
        nodes = {n["node_id"]: n for n in find(lan)}
        assert nodes[second.node_id]["instance"] == "Mektep-2"
        assert nodes[second.node_id]["host"] == "mektep-2.local"
        assert nodes[second.node_id]["url"] == f"http://{SRV2}:{PORT}/"
        assert nodes[server.node_id]["instance"] == "Mektep"
    finally:
        assert stop(second.proc) == 0


def test_a_new_address_is_seen_by_the_pc_within_10_seconds(lan, server, watcher):
    watcher.wait_for(lambda line: [SRV] in json.loads(line)["nodes"].values(), 10)
    ns = lan.ns["srv"]
    try:
        subprocess.run(["ip", "-n", ns, "addr", "del", f"{SRV}/24", "dev", "eth0"], check=True)
        subprocess.run(["ip", "-n", ns, "addr", "add", f"{SRV_NEW}/24", "dev", "eth0"], check=True)
        moved = time.monotonic()
        # The PC's long-running browser drops the old address and shows only the new one.
        line = watcher.wait_for(lambda line: [SRV_NEW] in json.loads(line)["nodes"].values(), 10)
        assert json.loads(line)["t"] - moved < 10
        node = find(lan)[0]
        assert node["reachable"] and node["url"] == f"http://{SRV_NEW}:{PORT}/"
    finally:
        subprocess.run(["ip", "-n", ns, "addr", "flush", "dev", "eth0"], check=True)
        subprocess.run(["ip", "-n", ns, "addr", "add", f"{SRV}/24", "dev", "eth0"], check=True)
        subprocess.run(
            ["ip", "-n", ns, "route", "replace", "224.0.0.0/4", "dev", "eth0"], check=True
        )
    watcher.wait_for(lambda line: [SRV] in json.loads(line)["nodes"].values(), 10)


def test_stopping_the_server_says_goodbye(lan, watcher, tmp_path):
    node = NetNode(lan, "srv2", tmp_path / "node")
    watcher.wait_for(lambda line: [SRV2] in json.loads(line)["nodes"].values(), 10)
    stopped = time.monotonic()
    assert stop(node.proc, signal.SIGTERM) == 0
    watcher.wait_for(lambda line: [SRV2] not in json.loads(line)["nodes"].values(), 5)
    assert time.monotonic() - stopped < 5
    assert "Traceback" not in node.log.read_text()
