"""`mektep hub ...`: set up and run the national hub, its school registry and reports."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import click

from appliance.config import Config, ConfigError, default_home, load_config
from appliance.errors import DomainError
from provisioning.context import Node, pass_node


@click.group("hub")
def hub() -> None:
    """The national hub: registry of schools, enrolled nodes and reports."""


def _reload(node: Node, **overrides) -> Config:
    """Read the settings again (after mektep.toml changed, or with overrides for this run)."""
    try:
        node._config = load_config(node.home, overrides)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    return node._config


def open_hub(node: Node) -> Config:
    """Connect to the hub's database; refuse a node's home."""
    config = node.open()
    if config.role != "hub":
        raise click.ClickException(
            f"{config.home} is a school node, not a hub. "
            "Run `mektep hub init` for a hub's own MEKTEP_HOME."
        )
    return config


def _safe_url(url: str) -> str:
    if not url:
        return "SQLite"
    parsed = urlparse(url)
    return parsed._replace(netloc=parsed.netloc.rsplit("@", 1)[-1]).geturl()


@hub.command("init")
@click.option(
    "--database-url", help="postgresql://user:pass@host:port/db (default: SQLite, for a demo hub)."
)
@click.option("--admin", default="admin", show_default=True, help="Username of the hub admin.")
@click.option("--password", help="The admin's password (generated and printed when left out).")
@pass_node
def init_command(node: Node, database_url: str | None, admin: str, password: str | None) -> None:
    """Make MEKTEP_HOME a hub: settings, database, registry of oblasts, first admin."""
    from appliance import migrate
    from appliance.hub import seed
    from appliance.school.services import ensure_identity, get_setting

    node.home = node.home or default_home()
    config = _reload(node, role="hub", database_url=database_url)
    config = node.open(migrated=False)
    applied = migrate.migrate()
    origin = get_setting("origin")
    if origin and origin != "hub":
        raise click.ClickException(
            f"{config.home} holds a school node (origin {origin}); "
            "a hub needs a MEKTEP_HOME of its own."
        )
    settings = {"role": "hub"}
    if database_url is not None:
        settings["database_url"] = database_url
    path = seed.write_settings(config.home, settings)
    ensure_identity("hub")
    created = seed.seed_registry()
    try:
        user, initial, new = seed.ensure_admin(admin, password)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Hub at {config.home} ({_safe_url(config.database_url)}); settings in {path}.")
    click.echo(
        f"Applied {len(applied)} migration(s); added {created} oblast(s) and cities to the registry."
    )
    if not new:
        click.echo(f"The user {user.username} already exists ({user.role}); password unchanged.")
    elif password:
        click.echo(f"Created hub admin {user.username}.")
    else:
        click.echo(f"Created hub admin {user.username} with password {initial}")


@hub.command("serve")
@click.option("--host", help="Address to listen on (setting `host`).")
@click.option("--port", type=int, help="Port to listen on (setting `port`).")
@click.option(
    "--advertise/--no-advertise",
    default=False,
    show_default=True,
    help="Advertise on the LAN with mDNS (a hub normally serves the internet, not a LAN).",
)
@pass_node
def serve_command(node: Node, host: str | None, port: int | None, advertise: bool) -> None:
    """Serve the hub: the same web application with role=hub."""
    from provisioning.serve import run_server

    _reload(node, advertise=advertise)
    open_hub(node)
    run_server(node, host, port)


@hub.group("schools")
def schools_group() -> None:
    """The registry of schools."""


@schools_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="Check the file and show what would change; write nothing."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_node
def import_schools(node: Node, file: Path, dry_run: bool, as_json: bool) -> None:
    """Add or update schools from a CSV file with the columns code, name, oblast, rayon."""
    from appliance.hub import schools_csv

    open_hub(node)
    preview = schools_csv.parse(file.read_bytes())
    result = preview.as_dict()
    if preview.ok and not dry_run:
        try:
            schools_csv.apply_import(preview)
        except DomainError as exc:
            raise click.ClickException(str(exc)) from exc
    result["written"] = preview.ok and not dry_run
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for error in preview.errors:
            where = f"line {error.line}: " if error.line else ""
            click.echo(f"{file.name}: {where}{error.message}", err=True)
        if preview.ok:
            verb = "Would add" if dry_run else "Added"
            click.echo(
                f"{verb} {result['new']} school(s), "
                f"{'would update' if dry_run else 'updated'} {result['update']}, "
                f"{result['same']} unchanged."
            )
    if not preview.ok:
        if not as_json:
            click.echo("Nothing was imported.", err=True)
        raise SystemExit(1)


PUBLIC_SCHOOL_FIELDS = (
    "code",
    "name",
    "oblast",
    "rayon",
    "students",
    "classes",
    "quiz_attempts",
    "marks",
    "mean_mark",
    "last_sync",
)


@hub.command("report")
@click.option("--oblast", help="Only this oblast or city (any usual spelling).")
@click.option("--school", "code", help="Only this school (its code); adds its classes.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@pass_node
def report_command(node: Node, oblast: str | None, code: str | None, as_json: bool) -> None:
    """Students, classes, quiz attempts, marks and last sync per school; per course and quarter."""
    from appliance.hub import registry, reports

    open_hub(node)
    scope, found_oblast, school = reports.Scope(), None, None
    try:
        if oblast:
            found_oblast = registry.find_oblast(oblast)
            if found_oblast is None:
                raise click.ClickException(f"Unknown oblast '{oblast}'.")
            scope = reports.Scope(oblast_id=found_oblast.id)
        if code:
            school = registry.get_school(code)
            scope = reports.Scope(oblast_id=scope.oblast_id, code=school.code)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    schools = reports.school_rows(scope)
    data = {
        "scope": {"oblast": found_oblast.name if found_oblast else None, "school": code},
        "totals": reports.totals(schools),
        "schools": [{k: row[k] for k in PUBLIC_SCHOOL_FIELDS} for row in schools],
        "courses": reports.course_quarters(scope),
        "national_quizzes": [
            dict(quiz, items=reports.item_analysis(reports.get_national_quiz(quiz["id"]), scope))
            for quiz in reports.national_quizzes(scope)
        ],
    }
    if school is not None:
        data["classes"] = [
            {k: v for k, v in row.items() if k != "id"} for row in reports.class_rows(school)
        ]
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo("code\tname\toblast\trayon\tstudents\tclasses\tattempts\tmarks\tmean\tlast sync")
    for row in data["schools"]:
        click.echo("\t".join("" if row[k] is None else str(row[k]) for k in PUBLIC_SCHOOL_FIELDS))
    total = data["totals"]
    click.echo(
        f"{total['schools']} school(s): {total['students']} students, {total['classes']} classes, "
        f"{total['quiz_attempts']} quiz attempts, {total['marks']} marks, "
        f"mean mark {'-' if total['mean_mark'] is None else total['mean_mark']}"
    )


def register(main: click.Group) -> None:
    main.add_command(hub)
