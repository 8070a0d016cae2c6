"""A server with no LAN interface at all still serves, and says advertising is off."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import pytest

from tests.e2e.netns import MEKTEP, stop, wait_for_text
from tests.parts import need

pytestmark = pytest.mark.netns


@pytest.fixture
def lonely_host():
    """A network namespace with only loopback: a server whose cable is out."""
    need(os.geteuid() == 0 and bool(shutil.which("ip")), "needs root and iproute2 (namespaces)")
    name = f"mk-alone-{uuid.uuid4().hex[:6]}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


def test_serve_without_lan_still_serves_and_says_advertising_is_off(lonely_host, tmp_path):
    home = tmp_path / "node"
    subprocess.run([MEKTEP, "--home", str(home), "migrate"], check=True, capture_output=True)
    log = home / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                "ip",
                "netns",
                "exec",
                lonely_host,
                MEKTEP,
                "--home",
                str(home),
                "serve",
                "--host",
                "0.0.0.0",
                "--port",
                "8080",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        text = wait_for_text(log, "advertising off", 20)
        assert "still serving" in text
        probe = (
            "import urllib.request,time\n"
            "for _ in range(100):\n"
            "    try:\n"
            "        print(urllib.request.urlopen('http://127.0.0.1:8080/healthz').status); break\n"
            "    except OSError: time.sleep(0.1)\n"
        )
        answer = subprocess.run(
            ["ip", "netns", "exec", lonely_host, sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert answer.stdout.strip() == "200"
    finally:
        stop(proc)
