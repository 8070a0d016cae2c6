"""Real parts for tests (PostgreSQL, free ports, a running server) and the rule for missing ones.

A test that needs a part this machine lacks skips with the reason; in CI (CI=true) that
is a failure instead, so CI always runs everything.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

MEKTEP = str(Path(sys.executable).parent / "mektep")


def need(condition: bool, reason: str) -> None:
    """Skip (locally) or fail (in CI) when a real part is missing."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"missing part in CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0, host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


def serve(
    home: Path, port: int, command: tuple[str, ...] = ("serve",), env: dict | None = None
) -> subprocess.Popen:
    """Start `mektep <command>` on 127.0.0.1:port (log appended to home/serve.log); return once it listens."""
    with (home / "serve.log").open("ab") as log:
        proc = subprocess.Popen(
            [MEKTEP, "--home", str(home), *command, "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
    wait_for_port(port)
    return proc


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for version in ("17", "16", "15"):
        candidate = Path(f"/usr/lib/postgresql/{version}/bin/{name}")
        if candidate.exists():
            return str(candidate)
    return None


class PostgresServer:
    """A throwaway PostgreSQL cluster in a temp dir on a free loopback port."""

    def __init__(self):
        self.initdb = _pg_bin("initdb")
        self.pg_ctl = _pg_bin("pg_ctl")
        self.dir = Path(tempfile.mkdtemp(prefix="mektep-pg-"))
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres")

    def start(self) -> str:
        data = self.dir / "data"
        subprocess.run(
            [
                *self.as_user,
                self.initdb,
                "-D",
                str(data),
                "-U",
                "mektep",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )
        opts = f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c max_connections=200"
        subprocess.run(
            [
                *self.as_user,
                self.pg_ctl,
                "-D",
                str(data),
                "-o",
                opts,
                "-l",
                str(self.dir / "log"),
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
        )
        return f"postgresql://mektep@127.0.0.1:{self.port}/postgres"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            f"postgresql://mektep@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://mektep@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run(
            [*self.as_user, self.pg_ctl, "-D", str(self.dir / "data"), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def available(self) -> bool:
        if not (self.initdb and self.pg_ctl):
            return False
        if self.as_user:
            try:
                import pwd

                pwd.getpwnam("postgres")
            except KeyError:
                return False
        return True
