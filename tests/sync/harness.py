"""A real hub (`mektep serve` with role=hub, SQLite or PostgreSQL) and helpers to sync a node to it."""

from __future__ import annotations

import os
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path

from appliance.config import load_config
from appliance.db import db, make_database
from tests.parts import MEKTEP, free_port, serve


@contextmanager
def bound(database):
    """Point the shared database proxy at another database for the block (hub-side checks)."""
    previous = db.obj
    db.initialize(database)
    try:
        with database.connection_context():
            yield database
    finally:
        db.initialize(previous)


class Hub:
    """The hub as a subprocess on a loopback port; its database is also opened by the test."""

    def __init__(self, home: Path, database_url: str = ""):
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        lines = [
            'role = "hub"',
            "advertise = false",
            'default_language = "en"',
            'secret_key = "hub-test"',
        ]
        if database_url:
            lines.append(f'database_url = "{database_url}"')
        (home / "mektep.toml").write_text("\n".join(lines) + "\n")
        self.run("migrate")
        self.config = load_config(home)
        self.database = make_database(self.config)
        self.proc = None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.start()

    def run(self, *args, check=True, env=None):
        return subprocess.run(
            [MEKTEP, "--home", str(self.home), *args],
            capture_output=True,
            text=True,
            check=check,
            env={**os.environ, **(env or {})},
        )

    def start(self) -> None:
        self.proc = serve(self.home, self.port)

    def stop(self, kill: bool = False) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill() if kill else self.proc.terminate()
            self.proc.wait(10)

    def db(self):
        return bound(self.database)

    def new_school(self) -> tuple[str, str]:
        """Register a school; return (code, enrollment token)."""
        from appliance.hub.models import Oblast, School
        from appliance.hub.tokens import create_token

        code = "S" + uuid.uuid4().hex[:8]
        with self.db():
            oblast, _ = Oblast.get_or_create(name="Naryn", defaults={"kind": "oblast"})
            School.create(code=code, name=f"School {code}", oblast=oblast)
            return code, create_token(code)

    def close(self) -> None:
        self.stop()
        if not self.database.is_closed():
            self.database.close()
        if hasattr(self.database, "close_all"):
            self.database.close_all()


def school_rows(origin: str) -> dict:
    """Every replicated row of ``origin`` in the bound database, comparable across backends."""
    from sync.protocol import stored_rows

    return stored_rows(origin)


def assert_hub_equals_node(hub: Hub, origin: str) -> None:
    """The hub's copy of the school is exactly the node's: every table, row and column."""
    node_rows = school_rows(origin)
    with hub.db():
        hub_rows = school_rows(origin)
    assert set(hub_rows) == set(node_rows), (sorted(hub_rows), sorted(node_rows))
    for table, rows in node_rows.items():
        assert len(hub_rows[table]) == len(rows), table
        for mine, theirs in zip(rows, hub_rows[table], strict=True):
            assert mine == theirs, (table, mine, theirs)
