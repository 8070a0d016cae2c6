"""`mektep`: set up, run and look after a Mektep node."""

from __future__ import annotations

from pathlib import Path

import click

from appliance import __version__
from provisioning.context import Node


@click.group()
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="MEKTEP_HOME",
    help="The node's data folder (default: MEKTEP_HOME, ./var in a checkout, /var/lib/mektep).",
)
@click.version_option(__version__, prog_name="mektep")
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """Mektep: a school's own learning server for the classroom LAN."""
    ctx.obj = Node(home)


def _register() -> None:
    from provisioning import (
        audit,
        db_commands,
        demo,
        find,
        hub_commands,
        quiz,
        serve,
        sync_commands,
        users,
    )

    for module in (db_commands, serve, find, users, demo, quiz, audit, hub_commands, sync_commands):
        module.register(main)


_register()
