"""Shared pieces of every `mektep` command: the node's home, config and database."""

from __future__ import annotations

from pathlib import Path

import click

from appliance.config import Config, ConfigError, load_config
from appliance.db import init_database
from appliance.localtime import set_school_zone
from appliance.migrate import NotMigrated, require_migrated
from appliance.school.services import ensure_identity


class Node:
    """The node a command acts on (its home is MEKTEP_HOME or --home)."""

    def __init__(self, home: Path | None):
        self.home = home
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = load_config(self.home)
            except ConfigError as exc:
                raise click.ClickException(str(exc)) from exc
        return self._config

    def open(self, migrated: bool = True) -> Config:
        """Connect to the node's database; refuse one that is not migrated."""
        config = self.config
        init_database(config)
        set_school_zone(config.timezone)
        if migrated:
            try:
                require_migrated()
            except NotMigrated as exc:
                raise click.ClickException(str(exc)) from exc
            ensure_identity(config.role)
        return config


pass_node = click.make_pass_decorator(Node)
