"""Sync fixtures: a real hub per module (SQLite and PostgreSQL) and an enrolled node per test."""

from __future__ import annotations

import uuid

import pytest

from tests.sync.harness import Hub


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def hub(request, tmp_path_factory):
    url = ""
    if request.param == "postgres":
        server = request.getfixturevalue("postgres")
        url = server.create_database(f"hub_{uuid.uuid4().hex[:8]}")
    hub = Hub(tmp_path_factory.mktemp("hub"), url)
    yield hub
    hub.close()


@pytest.fixture
def sqlite_hub(tmp_path):
    hub = Hub(tmp_path / "hub")
    yield hub
    hub.close()


@pytest.fixture
def enrolled(hub, node_db, tmp_path):
    """The test's node enrolled with the hub for a new school; yields a sync function."""
    from sync import client

    code, token = hub.new_school()
    client.enroll(hub.url, token, str(uuid.uuid4()))

    def sync(**kwargs):
        return client.run_sync(tmp_path / "sync.lock", **kwargs)

    sync.code = code
    return sync
