"""The one database handle: SQLite by default, PostgreSQL when ``database_url`` says so."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from urllib.parse import unquote, urlparse

import peewee
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from appliance.config import Config, ConfigError

db = peewee.DatabaseProxy()

# Power cuts are normal in rural schools: a write confirmed on screen must be on disk
# (synchronous=full), and WAL lets classroom readers go on while a teacher writes.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "cache_size": -16000,
}


class BaseModel(peewee.Model):
    """Base of every model: bound to the shared database proxy."""

    class Meta:
        database = db
        legacy_table_names = False


def utcnow() -> dt.datetime:
    """Naive UTC now, for display only: never order by it (clocks in schools are wrong)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def make_database(config: Config) -> peewee.Database:
    """Build (but do not bind) the database the configuration asks for."""
    url = config.database_url
    if not url:
        config.home.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE: take the write lock when a transaction begins, so two writers
        # never deadlock upgrading a read lock (SQLITE_BUSY on commit).
        # Pooled: each request reuses a connection instead of opening one and setting the
        # pragmas again (about a fifth of a small page's time).
        return PooledSqliteDatabase(
            str(config.database_path),
            pragmas=SQLITE_PRAGMAS,
            lock_type="IMMEDIATE",
            check_same_thread=False,
            timeout=10,
            max_connections=64,
            stale_timeout=600,
        )
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ConfigError(f"database_url: unsupported scheme {parsed.scheme!r} (use postgresql://)")
    return PooledPostgresqlDatabase(
        parsed.path.lstrip("/"),
        user=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password else None,
        host=parsed.hostname or "localhost",
        port=parsed.port or 5432,
        max_connections=32,
        stale_timeout=300,
    )


def init_database(config: Config) -> peewee.Database:
    """Bind the shared proxy to the configured database and return it."""
    database = make_database(config)
    db.initialize(database)
    return database


def is_sqlite() -> bool:
    return isinstance(db.obj, peewee.SqliteDatabase)


def database_ok() -> bool:
    """True when a trivial query answers (for /healthz)."""
    try:
        db.execute_sql("SELECT 1").fetchone()
        return True
    except peewee.PeeweeException:
        return False


@contextmanager
def write():
    """A write transaction (IMMEDIATE on SQLite); nested calls become savepoints."""
    with db.atomic():
        yield
