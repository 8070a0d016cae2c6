"""`mektep users add|list|passwd`."""

import click

from appliance.accounts import services as accounts
from appliance.errors import DomainError
from provisioning.context import Node, pass_node


@click.group("users")
def users_group() -> None:
    """Manage admins, teachers and students."""


@users_group.command("add")
@click.option("--role", type=click.Choice(["admin", "teacher", "student"]), required=True)
@click.option("--username", required=True)
@click.option("--password", help="Initial password (generated when left out).")
@click.option("--class", "class_name", help="The student's class, e.g. 7А.")
@click.option("--name", default="", help='Full name, "Last First".')
@pass_node
def add(node: Node, role, username, password, class_name, name) -> None:
    """Add one user."""
    node.open()
    last, _sep, first = name.strip().partition(" ")
    try:
        user, initial = accounts.create_user(username, role, password=password, first_name=first,
                                             last_name=last, class_name=class_name)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.username}" + (f" with password {initial}" if not password else ""))


@users_group.command("list")
@click.option("--role", type=click.Choice(["admin", "teacher", "student"]))
@pass_node
def list_users(node: Node, role) -> None:
    """List users."""
    node.open()
    for user in accounts.list_users(role):
        klass = user.school_class.name if user.school_class else ""
        click.echo(f"{user.username}\t{user.role}\t{klass}\t{user.full_name}")


@users_group.command("passwd")
@click.argument("username")
@click.option("--password", help="The new password (generated when left out).")
@pass_node
def passwd(node: Node, username, password) -> None:
    """Set a new password for a user (for a locked-out admin too)."""
    node.open()
    user = accounts.find_user(username)
    if user is None:
        raise click.ClickException(f"No user '{username}'.")
    from appliance.accounts.models import User

    system = User(role="admin", username="(command line)")
    try:
        new = accounts.reset_password(system, user, password)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"New password for {username}: {new}")


def register(main: click.Group) -> None:
    main.add_command(users_group)
