"""Hub fixtures: a migrated, seeded hub on SQLite or on a real PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from appliance import migrate
from appliance.config import load_config
from appliance.db import db, init_database
from appliance.hub.seed import seed_registry
from appliance.school.services import ensure_identity


def open_hub(home, database_url: str = ""):
    """Bind the database of a hub at ``home``, migrated, with its identity and seeded registry."""
    config = load_config(
        home,
        {
            "role": "hub",
            "database_url": database_url,
            "secret_key": "test-secret",
            "default_language": "en",
            "advertise": False,
        },
    )
    init_database(config)
    migrate.migrate()
    ensure_identity("hub")
    seed_registry()
    return config


def close_hub():
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


@pytest.fixture
def hub_config(tmp_path):
    config = open_hub(tmp_path / "hub")
    yield config
    close_hub()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_hub(request, tmp_path):
    """The hub on SQLite, then on PostgreSQL."""
    url = ""
    if request.param == "postgres":
        server = request.getfixturevalue("postgres")
        url = server.create_database(f"hub_{uuid.uuid4().hex[:8]}")
    config = open_hub(tmp_path / "hub", url)
    yield config
    close_hub()


@pytest.fixture
def hub_app(hub_config):
    from web import create_app

    app = create_app(hub_config)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def hub_client(hub_app):
    return hub_app.test_client()
