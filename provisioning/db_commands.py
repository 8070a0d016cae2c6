"""`mektep migrate` and `mektep settings`."""

import click

from appliance import migrate as migrations
from appliance.config import SETTINGS
from appliance.school.services import ensure_identity
from provisioning.context import Node, pass_node


@click.command("migrate")
@pass_node
def migrate_command(node: Node) -> None:
    """Create or upgrade the node's database (keeps all data)."""
    config = node.open(migrated=False)
    applied = migrations.migrate()
    identity = ensure_identity(config.role)
    if applied:
        click.echo(f"Applied {len(applied)} migration(s): {', '.join(applied)}")
    else:
        click.echo("The database is up to date.")
    click.echo(f"Node {identity['node_id']} ({config.role}) at {config.home}")


@click.command("settings")
@pass_node
def settings_command(node: Node) -> None:
    """Show every setting with its current value and where to change it."""
    config = node.config
    for name, setting in SETTINGS.items():
        value = config.values[name]
        if name == "secret_key" and value:
            value = "(set)"
        click.echo(f"{name} = {value!r}    [{setting.env_var}] {setting.help}")


def register(main: click.Group) -> None:
    main.add_command(migrate_command)
    main.add_command(settings_command)
