"""A small LAN of Linux network namespaces for discovery tests, and an avahi client in one.

Only namespaces and veth pairs made here are touched: hosts join a bridge that lives in its own
"lan" namespace, so nothing is created in (or sent to) the machine's real network.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

MEKTEP = str(Path(sys.executable).parent / "mektep")


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


class Lan:
    """Hosts (namespaces) on one bridged /24, each with lo, eth0 and a multicast route."""

    def __init__(self, hosts: dict[str, str]):
        tag = f"mk{os.getpid()}"  # unique, so two test runs on one machine do not collide
        self.hosts = dict(hosts)
        self.ns = {name: f"{tag}-{name}" for name in hosts}
        self.bridge_ns = f"{tag}-lan"
        self.procs: list[subprocess.Popen] = []

    def up(self) -> None:
        ip("netns", "add", self.bridge_ns)
        ip("-n", self.bridge_ns, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0")
        ip("-n", self.bridge_ns, "link", "set", "br0", "up")
        for name, address in self.hosts.items():
            ns = self.ns[name]
            ip("netns", "add", ns)
            ip(
                "-n",
                self.bridge_ns,
                "link",
                "add",
                f"p-{name}",
                "type",
                "veth",
                "peer",
                "name",
                "eth0",
                "netns",
                ns,
            )
            ip("-n", self.bridge_ns, "link", "set", f"p-{name}", "master", "br0", "up")
            ip("-n", ns, "addr", "add", f"{address}/24", "dev", "eth0")
            ip("-n", ns, "link", "set", "lo", "up")
            ip("-n", ns, "link", "set", "eth0", "up")
            ip("-n", ns, "route", "add", "224.0.0.0/4", "dev", "eth0")

    def down(self) -> None:
        for proc in self.procs:
            stop(proc)
        for ns in [*self.ns.values(), self.bridge_ns]:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)

    def cmd(self, host: str, *args: str) -> list[str]:
        return ["ip", "netns", "exec", self.ns[host], *args]

    def run(self, host: str, *args: str, timeout: float = 30, **kwargs):
        return subprocess.run(
            self.cmd(host, *args), capture_output=True, text=True, timeout=timeout, **kwargs
        )

    def popen(self, host: str, *args: str, **kwargs) -> subprocess.Popen:
        proc = subprocess.Popen(self.cmd(host, *args), **kwargs)
        self.procs.append(proc)
        return proc


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10) -> int:
    """Signal one process we started and wait for it (kill it if it hangs)."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    return proc.returncode


def wait_for_text(path: Path, text: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = path.read_text() if path.exists() else ""
        if text in content:
            return content
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not in {path} after {timeout}s:\n{content}")


class Lines:
    """A process's stdout lines, readable with a timeout."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.queue.put(line)

    def wait_for(self, predicate, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                break
            if predicate(line):
                return line
        raise AssertionError(f"no matching line within {timeout}s")


DBUS_CONF = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={bus}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/>
  </policy>
</busconfig>
"""

AVAHI_CONF = """[server]
use-ipv4=yes
use-ipv6=no
allow-interfaces=eth0
enable-dbus=yes
[publish]
disable-publishing=yes
"""


class Avahi:
    """A private D-Bus and avahi-daemon inside one namespace, and its command-line clients."""

    def __init__(self, lan: Lan, host: str):
        self.lan, self.host = lan, host
        self.dir = Path(tempfile.mkdtemp(prefix="mektep-avahi-"))
        self.env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={self.dir / 'bus'}"}
        self.procs: list[subprocess.Popen] = []

    @staticmethod
    def available() -> bool:
        return all(
            shutil.which(b)
            for b in ("dbus-daemon", "avahi-daemon", "avahi-browse", "avahi-resolve", "unshare")
        )

    def start(self) -> None:
        (self.dir / "bus.conf").write_text(DBUS_CONF.format(bus=self.dir / "bus"))
        (self.dir / "avahi.conf").write_text(AVAHI_CONF)
        self.procs.append(
            self.lan.popen(
                self.host,
                "dbus-daemon",
                "--nofork",
                f"--config-file={self.dir / 'bus.conf'}",
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        deadline = time.monotonic() + 10
        while not (self.dir / "bus").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        # avahi-daemon keeps its pid file in /run/avahi-daemon: give it a private /run.
        daemon = (
            f"mount -t tmpfs tmpfs /run && exec avahi-daemon --no-drop-root --no-rlimits "
            f"--no-chroot -f {self.dir / 'avahi.conf'}"
        )
        with open(self.dir / "avahi.log", "w") as log:
            self.procs.append(
                self.lan.popen(
                    self.host,
                    "unshare",
                    "--mount",
                    "sh",
                    "-c",
                    daemon,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        wait_for_text(self.dir / "avahi.log", "Server startup complete", 15)

    def client(self, *args: str, timeout: float = 15) -> subprocess.CompletedProcess:
        return self.lan.run(self.host, *args, env=self.env, timeout=timeout)

    def stop(self) -> None:
        for proc in reversed(self.procs):
            stop(proc)
        shutil.rmtree(self.dir, ignore_errors=True)
