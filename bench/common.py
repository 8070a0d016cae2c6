"""Shared pieces of the benchmarks: a node served by `mektep serve`, HTTP clients, figures."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEKTEP = str(Path(sys.executable).parent / "mektep")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`mektep serve` on loopback in a subprocess; measures start time and peak RSS."""

    def __init__(self, home: Path, env: dict | None = None):
        self.home = home
        self.port = free_port()
        self.env = {**os.environ, **(env or {})}
        self.proc = None
        self.startup_seconds = None

    def start(self) -> None:
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [
                MEKTEP,
                "--home",
                str(self.home),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while time.monotonic() - started < 30:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    self.startup_seconds = time.monotonic() - started
                    return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("server did not answer /healthz within 30 s")

    def peak_rss_mb(self) -> float:
        """The server's peak resident set (VmHWM) in MB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)


class Recorder:
    """Request timings by kind and error counts (status >= 400), shared by the student threads."""

    def __init__(self):
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def __call__(self, kind: str, seconds: float, status: int) -> None:
        with self._lock:
            if status >= 400:
                self.errors[kind] += 1
            else:
                self.timings[kind].append(seconds)


class Browser:
    """One classroom PC: a keep-alive connection with cookies, timing every request."""

    def __init__(self, port: int, record):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.record = record
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.last_location = ""

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        form: dict | None = None,
        raw: bytes | None = None,
        headers: dict | None = None,
    ) -> tuple[int, bytes]:
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        body = raw
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            status = response.status
            for header, value in response.getheaders():
                if header.lower() == "location":
                    self.last_location = urllib.parse.urlparse(value).path
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            status, data = 599, b""
        self.record(kind, time.perf_counter() - started, status)
        return status, data


CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]
