"""Setting up a hub: its settings file, the seeded registry of oblasts, its first admin."""

from __future__ import annotations

import re
from pathlib import Path

from appliance.accounts import services as accounts
from appliance.db import write
from appliance.hub.models import Oblast

# The seven oblasts and the two cities of republican significance.
OBLASTS = (
    ("Batken", "oblast"),
    ("Chüy", "oblast"),
    ("Issyk-Kul", "oblast"),
    ("Jalal-Abad", "oblast"),
    ("Naryn", "oblast"),
    ("Osh", "oblast"),
    ("Talas", "oblast"),
    ("Bishkek", "city"),
    ("Osh city", "city"),
)


def seed_registry() -> int:
    """Create the oblasts and cities that are missing; returns how many were created."""
    created = 0
    with write():
        existing = {o.name for o in Oblast.select(Oblast.name)}
        for name, kind in OBLASTS:
            if name not in existing:
                Oblast.create(name=name, kind=kind)
                created += 1
    return created


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def write_settings(home: Path, values: dict[str, str]) -> Path:
    """Set string settings in MEKTEP_HOME/mektep.toml, keeping every other line as it is."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "mektep.toml"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for name, value in values.items():
        line = f"{name} = {_toml_string(value)}"
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
        for i, old in enumerate(lines):
            if pattern.match(old):
                lines[i] = line
                break
        else:
            lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ensure_admin(username: str, password: str | None) -> tuple[object, str | None, bool]:
    """The hub admin with this username, created when missing: (user, new password, created)."""
    existing = accounts.find_user(username)
    if existing is not None:
        return existing, None, False
    user, initial = accounts.create_user(username, "admin", password=password)
    return user, initial, True
