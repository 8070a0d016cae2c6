"""`mektep hub ...`: set up and run the national hub, its school registry and reports."""

from __future__ import annotations

import click


@click.group("hub")
def hub() -> None:
    """The national hub: registry of schools, enrolled nodes and reports."""


def register(main: click.Group) -> None:
    main.add_command(hub)
