"""Schema migrations: numbered files in ``appliance/migrations``, applied in order.

Each migration holds frozen copies of the tables it creates (generated from the models by
``make_migration``), so an old database upgrades the same way whatever the models say
today. ``schema_drift`` tells when the models changed without a migration (a test checks).
"""

from __future__ import annotations

from pathlib import Path

from playhouse.migrations import Runner, template
from playhouse.schema_diff import diff_models

from appliance.db import db

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class NotMigrated(Exception):
    """The database lacks migrations; ``mektep migrate`` applies them."""


def _runner() -> Runner:
    return Runner(db.obj, directory=str(MIGRATIONS_DIR), table_name="schema_migration")


def pending() -> list[str]:
    """Names of migrations not yet applied to the database."""
    runner = _runner()
    if not runner.History.table_exists():
        return [m.name for m in runner.migrations()]
    return [m.name for m in runner.status() if m.path and not m.applied]


def migrate() -> list[str]:
    """Apply every pending migration; return their names."""
    return _runner().up()


def require_migrated() -> None:
    """Raise NotMigrated when the database is behind the code."""
    todo = pending()
    if todo:
        raise NotMigrated(
            f"The database is not up to date ({len(todo)} migration(s) pending: {', '.join(todo)}). "
            "Run `mektep migrate` first."
        )


def schema_drift(models) -> str:
    """Differences between the models and the migrated database ('' when none)."""
    diff = diff_models(db.obj, models)
    return str(diff) if diff else ""


def make_migration(name: str, models) -> Path | None:
    """Write a migration for what the models have that the database lacks."""
    diff = diff_models(db.obj, models)
    if not diff:
        return None
    return Path(_runner().create(name, body=template(diff)))
