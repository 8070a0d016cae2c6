"""Fixtures: a migrated node per test, a Flask client, user factories, real PostgreSQL."""

from __future__ import annotations

import re
import uuid

import pytest
from werkzeug.test import stream_encode_multipart

from appliance import migrate
from appliance.accounts import passwords
from appliance.accounts import services as accounts
from appliance.config import load_config
from appliance.db import db, init_database
from appliance.school.services import ensure_identity
from tests.parts import PostgresServer, need

# Tests hash many passwords: keep scrypt's cost down (the format stays the same).
passwords.N = 2**10


@pytest.fixture
def home(tmp_path):
    return tmp_path / "node"


@pytest.fixture
def config(home):
    return load_config(home, {"secret_key": "test-secret", "default_language": "en"})


@pytest.fixture
def node_db(config):
    """A migrated SQLite database bound to the shared proxy, with the node's identity loaded."""
    init_database(config)
    migrate.migrate()
    ensure_identity(config.role)
    yield db
    if not db.is_closed():
        db.close()


@pytest.fixture
def app(config, node_db):
    from web import create_app

    app = create_app(config)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(node_db):
    """Create a user: make_user("student", class_name="7А", password="...")."""

    def factory(
        role: str = "student", username: str | None = None, password: str = "password1", **kwargs
    ):
        username = username or f"{role}{uuid.uuid4().hex[:6]}"
        user, _ = accounts.create_user(username, role, password=password, **kwargs)
        user.plain_password = password
        return user

    return factory


def csrf_token(client, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, user, password: str | None = None):
    """Log a user in through the real login form; returns the response."""
    token = csrf_token(client)
    return client.post(
        "/login",
        data={
            "username": user.username,
            "password": password or user.plain_password,
            "csrf_token": token,
        },
    )


def post(client, path: str, data: dict | None = None, token_from: str = "/", **kwargs):
    """POST a form with a valid CSRF token taken from a page the user can open."""
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client, token_from)
    return client.post(path, data=data, **kwargs)


def post_multipart(client, path: str, fields: dict):
    """POST a multipart form encoded in memory.

    The test client would spool a large body to a temporary file it never closes when the
    app refuses the body unread (413).
    """
    body, length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    return client.post(
        path,
        input_stream=body,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session; yields it (create_database per test)."""
    server = PostgresServer()
    need(server.available, "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    server.start()
    yield server
    server.stop()
