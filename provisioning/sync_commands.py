"""`mektep sync now|status|daemon`, `mektep enroll`, and `mektep hub token|revoke`."""

from __future__ import annotations

import json
import logging
import uuid

import click

from appliance.errors import DomainError
from provisioning.context import Node, pass_node
from provisioning.hub_commands import hub


@click.group("sync")
def sync() -> None:
    """Carry this school's data to the national hub and national courses back."""


def _sync_once(node: Node, echo=None) -> dict:
    from sync.client import run_sync

    config = node.config
    return run_sync(
        config.home / "sync.lock",
        progress=echo or (lambda line: None),
        batch_size=min(max(config.sync_batch, 1), 5000),
    )


@sync.command("now")
@pass_node
def sync_now(node: Node) -> None:
    """Sync once now, printing progress; exit 1 with the reason on failure."""
    from sync.transport import SyncError

    node.open()
    try:
        result = _sync_once(node, click.echo)
    except SyncError as exc:
        raise click.ClickException(f"sync failed: {exc}") from exc
    click.echo(
        f"ok in {result['seconds']} s, {result['bytes_sent']} bytes sent, "
        f"{result['bytes_received']} received, {result['round_trips']} round trips"
    )


@sync.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@pass_node
def sync_status(node: Node, as_json: bool) -> None:
    """Last success, last error, rows pending each way, watermarks and clock skew."""
    from sync.client import status

    node.open()
    info = status()
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    if not info["enrolled"]:
        click.echo("not enrolled with a hub (mektep enroll --hub URL --token TOKEN)")
    skew = info["clock_skew_seconds"]
    for label, value in (
        ("hub", info["hub_url"] or "-"),
        ("school", f"{info['school_code'] or '-'} ({info['school']})"),
        ("last success", info["last_success"] or "never"),
        ("last error", info["last_error"] or "none"),
        ("pending up", f"{info['pending_up']} rows"),
        ("pending down", f"{info['pending_down']} changes"),
        ("clock skew", "unknown" if skew is None else f"{skew:+.0f} s (this node minus the hub)"),
        ("watermarks", ", ".join(f"{k}={v}" for k, v in info["watermarks"].items()) or "-"),
    ):
        click.echo(f"{label:>13}: {value}")


@sync.command("daemon")
@pass_node
def sync_daemon(node: Node) -> None:
    """Sync every `sync_interval` minutes (with jitter and backoff) until stopped."""
    from sync.agent import Agent

    config = node.open()
    logging.basicConfig(
        level=config.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    log = logging.getLogger("mektep.sync.agent")

    def once():
        result = _sync_once(node)
        log.info(
            "synced: %s up, %s down in %s s", result["pushed"], result["pulled"], result["seconds"]
        )

    click.echo(f"sync agent: every {config.sync_interval} min for {config.home}", err=True)
    Agent(once, config.sync_interval).run()


@click.command("enroll")
@click.option(
    "--hub", "hub_url", required=True, help="The hub's address, e.g. https://hub.example.kg"
)
@click.option(
    "--token", required=True, help="The enrollment token the hub printed for this school."
)
@pass_node
def enroll(node: Node, hub_url: str, token: str) -> None:
    """Enroll this node with the national hub (once, with a token from the hub)."""
    from sync.client import enroll as do_enroll
    from sync.transport import SyncError

    config = node.open()
    if config.role != "node":
        raise click.ClickException("only a school node enrolls with a hub")
    try:
        answer = do_enroll(hub_url, token, str(uuid.uuid4()))
    except SyncError as exc:
        raise click.ClickException(f"enrollment failed: {exc}") from exc
    click.echo(
        f"enrolled as node {answer['node_id']} of school {answer['school_code']} "
        f"({answer['school_name']})"
    )
    if answer["adopted"]:
        click.echo(
            f"this server replaces the school's previous one: it continues origin {answer['origin']} "
            f"from {answer['seq_start']}; the school's data comes back on the next sync"
        )
    click.echo("now run: mektep sync now")


def _open_hub(node: Node):
    config = node.open()
    if config.role != "hub":
        raise click.ClickException(f"{config.home} is a school node, not a hub")
    return config


@hub.command("token")
@click.option("--school", "school_code", required=True, help="The school's code in the registry.")
@click.option("--hours", default=72, show_default=True, help="How long the token stays valid.")
@pass_node
def hub_token(node: Node, school_code: str, hours: int) -> None:
    """Make a one-time enrollment token for a school and print it."""
    from appliance.hub.tokens import create_token

    _open_hub(node)
    try:
        click.echo(create_token(school_code, hours))
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc


@hub.command("revoke")
@click.argument("node_id")
@pass_node
def hub_revoke(node: Node, node_id: str) -> None:
    """Cut a node off: its next request is refused (401)."""
    from appliance.hub.tokens import revoke_node

    _open_hub(node)
    try:
        revoked = revoke_node(node_id)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"node {revoked.node_id} revoked at {revoked.revoked_at:%Y-%m-%d %H:%M} UTC")


def register(main: click.Group) -> None:
    main.add_command(sync)
    main.add_command(enroll)
