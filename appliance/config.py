"""The settings registry: every setting with its type, default and help, in one place.

Values come from the defaults, then ``$MEKTEP_HOME/mektep.toml``, then ``MEKTEP_<NAME>``
environment variables, then explicit overrides (the command line, tests).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A setting has a value that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str

    @property
    def env_var(self) -> str:
        return "MEKTEP_" + self.name.upper()


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting(
            "role", str, "node", "What this installation is: `node` (a school) or `hub` (national)."
        ),
        Setting(
            "database_url",
            str,
            "",
            "Empty for SQLite under MEKTEP_HOME; `postgresql://user:pass@host:port/db` for PostgreSQL.",
        ),
        Setting("host", str, "0.0.0.0", "Address `mektep serve` listens on."),
        Setting("port", int, 8080, "TCP port `mektep serve` listens on."),
        Setting("threads", int, 8, "Waitress worker threads (requests handled at once)."),
        Setting(
            "connection_limit",
            int,
            400,
            "Most open connections waitress accepts (a class of 30 PCs opens several each).",
        ),
        Setting(
            "channel_timeout",
            int,
            60,
            "Seconds an idle connection is kept before waitress closes it.",
        ),
        Setting(
            "max_upload_mb",
            int,
            200,
            "Largest request body in megabytes (lesson videos are the largest uploads).",
        ),
        Setting(
            "login_attempts",
            int,
            5,
            "Failed logins allowed per username and per address in `login_window` seconds.",
        ),
        Setting(
            "login_window", int, 300, "Seconds over which failed logins are counted for throttling."
        ),
        Setting(
            "hash_concurrency",
            int,
            2,
            "Password hashes computed at once; the rest wait (each takes 16 MiB and a core).",
        ),
        Setting(
            "default_language",
            str,
            "ky",
            "Interface language for new users and the login page: `ky`, `ru` or `en`.",
        ),
        Setting(
            "timezone",
            str,
            "Asia/Bishkek",
            "Time zone in which times are shown and entered (stored as UTC).",
        ),
        Setting(
            "secret_key",
            str,
            "",
            "Signs session cookies. Empty: generated once into MEKTEP_HOME/secret_key.",
        ),
        Setting("log_level", str, "INFO", "Logging level: DEBUG, INFO, WARNING or ERROR."),
        Setting(
            "advertise", bool, True, "Advertise the node on the LAN with mDNS/DNS-SD while serving."
        ),
        Setting(
            "mdns_hostname",
            str,
            "mektep",
            "Host name advertised over mDNS (`mektep` gives http://mektep.local/).",
        ),
        Setting(
            "mdns_interfaces",
            str,
            "",
            "Comma-separated interface names to advertise on; empty means every LAN interface.",
        ),
        Setting(
            "sync_interval",
            int,
            15,
            "Minutes between syncs with the hub (`mektep sync daemon`), with up to a third added as jitter.",
        ),
        Setting(
            "sync_batch",
            int,
            2000,
            "Rows per sync batch sent to or received from the hub (at most 5000).",
        ),
    ]
}


def default_home() -> Path:
    """MEKTEP_HOME, else ./var in a checkout, else /var/lib/mektep when installed."""
    if os.environ.get("MEKTEP_HOME"):
        return Path(os.environ["MEKTEP_HOME"])
    if (Path.cwd() / "pyproject.toml").exists():
        return Path.cwd() / "var"
    return Path("/var/lib/mektep")


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    if isinstance(value, setting.type) and not (setting.type is int and isinstance(value, bool)):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if setting.type is bool:
                if text.lower() in ("1", "true", "yes", "on"):
                    return True
                if text.lower() in ("0", "false", "no", "off"):
                    return False
                raise ValueError(text)
            return setting.type(text)
        except ValueError:
            pass
    raise ConfigError(
        f"{where}: setting '{setting.name}' must be {setting.type.__name__}, got {value!r}"
    )


@dataclass
class Config:
    home: Path
    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def database_path(self) -> Path:
        return self.home / "mektep.db"

    @property
    def content_dir(self) -> Path:
        return self.home / "content"


def load_config(home: Path | str | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Read the settings for the node whose home is ``home``."""
    # Absolute: file paths built from it are handed to code that resolves relative paths
    # against its own folder (Flask's send_file resolves against the app's root).
    home = (Path(home) if home else default_home()).absolute()
    values = {name: s.default for name, s in SETTINGS.items()}
    toml_path = home / "mektep.toml"
    if toml_path.exists():
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{toml_path}: {exc}") from exc
        for name, value in data.items():
            if name not in SETTINGS:
                raise ConfigError(f"{toml_path}: unknown setting '{name}'")
            values[name] = _coerce(SETTINGS[name], value, str(toml_path))
    for name, setting in SETTINGS.items():
        if setting.env_var in os.environ:
            values[name] = _coerce(setting, os.environ[setting.env_var], setting.env_var)
    for name, value in (overrides or {}).items():
        if name not in SETTINGS:
            raise ConfigError(f"unknown setting '{name}'")
        if value is not None:
            values[name] = _coerce(SETTINGS[name], value, "override")
    if values["role"] not in ("node", "hub"):
        raise ConfigError(f"setting 'role' must be 'node' or 'hub', got {values['role']!r}")
    if values["default_language"] not in ("ky", "ru", "en"):
        raise ConfigError("setting 'default_language' must be ky, ru or en")
    return Config(home=home, values=values)


def secret_key(config: Config) -> str:
    """The configured secret key, or one generated once and kept in MEKTEP_HOME."""
    if config.secret_key:
        return config.secret_key
    path = config.home / "secret_key"
    if not path.exists():
        config.home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(os.urandom(32).hex())
    return path.read_text().strip()
