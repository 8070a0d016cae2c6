"""`mektep users add|list|passwd|import`."""

import json
from pathlib import Path

import click

from appliance.accounts import csv_import
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
        user, initial = accounts.create_user(
            username,
            role,
            password=password,
            first_name=first,
            last_name=last,
            class_name=class_name,
        )
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Created {user.role} {user.username}"
        + (f" with password {initial}" if not password else "")
    )


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


@users_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="Check the file and show what would be created; write nothing."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_node
def import_users(node: Node, file: Path, dry_run: bool, as_json: bool) -> None:
    """Create students and teachers from a CSV file (Moodle's upload-user columns)."""
    node.open()
    with file.open("rb") as stream:
        # One byte past the limit tells a file that is too large without reading all of it.
        preview = csv_import.parse(stream.read(csv_import.MAX_BYTES + 1))
    created = False
    if preview.ok and not dry_run:
        try:
            csv_import.apply_import(preview)
            created = True
        except DomainError as exc:
            preview.errors.append(csv_import.RowError(None, exc))
    if as_json:
        _print_json(preview, created)
    else:
        _print_text(preview, created)
    if preview.errors:
        raise SystemExit(1)


def _print_json(preview: csv_import.Preview, created: bool) -> None:
    rows = [row.as_dict() for row in preview.rows]
    click.echo(
        json.dumps(
            {
                "ok": not preview.errors,
                "created" if created else "would_create": rows,
                "errors": [{"line": e.line, "message": e.message} for e in preview.errors],
            },
            ensure_ascii=False,
            indent=2,
        )
    )


def _print_text(preview: csv_import.Preview, created: bool) -> None:
    for row in preview.rows:
        klass = f" {row.class_name}" if row.class_name else ""
        note = " (generated)" if row.generated else ""
        click.echo(
            f"line {row.line}: {row.role}{klass} {row.username} "
            f"({row.last_name} {row.first_name}) password {row.password}{note}"
        )
    if preview.ignored_columns:
        click.echo("Ignored columns: " + ", ".join(preview.ignored_columns))
    for error in preview.errors:
        where = f"line {error.line}: " if error.line else ""
        click.echo(f"Error: {where}{error.message}", err=True)
    if preview.errors:
        click.echo("Nothing was imported: fix the errors and run again.", err=True)
    elif created:
        click.echo(f"Created {len(preview.rows)} users.")
    else:
        click.echo(f"Would create {len(preview.rows)} users (dry run, nothing written).")


def register(main: click.Group) -> None:
    main.add_command(users_group)
