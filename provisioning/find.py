"""`mektep find`: list the Mektep nodes on this LAN, for classroom PCs and IT staff."""

from __future__ import annotations

import json
import webbrowser

import click

NOTHING_FOUND = """No Mektep server answered on this network.
Check that:
  - the school server is switched on and `mektep serve` is running on it;
  - this computer is on the same network (same switch, router or Wi-Fi) as the server;
  - no firewall blocks mDNS (UDP port 5353) here or on the server, nor the server's web port.
You can also type the server's address (shown on its Administration > Network page)."""


def _table(nodes: list[dict]) -> str:
    rows = [("SCHOOL", "URL", "VERSION", "REACHABLE")]
    rows += [
        (n["school"], n["url"], n["version"], "yes" if n["reachable"] else "no") for n in nodes
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


@click.command("find")
@click.option(
    "--timeout",
    type=click.FloatRange(0.5, 120),
    default=3.0,
    show_default=True,
    help="Seconds to look for nodes.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the nodes as JSON.")
@click.option(
    "--open",
    "open_browser",
    is_flag=True,
    help="Open the first node that answered in the default web browser.",
)
def find_command(timeout: float, as_json: bool, open_browser: bool) -> None:
    """Find the school's Mektep server on this network (mDNS), and check that it answers."""
    from appliance.discovery.finder import find_nodes

    nodes = find_nodes(timeout=timeout)
    if as_json:
        click.echo(json.dumps(nodes, ensure_ascii=False, indent=2))
    elif nodes:
        click.echo(_table(nodes))
    reachable = [n for n in nodes if n["reachable"]]
    if not reachable:
        if nodes:
            click.echo("Found Mektep servers, but none answered over HTTP:", err=True)
            for node in nodes:
                click.echo(f"  {node['school']}: {node['error']}", err=True)
        click.echo(NOTHING_FOUND, err=True)
        raise SystemExit(1)
    if open_browser:
        webbrowser.open(reachable[0]["url"])


def register(main: click.Group) -> None:
    main.add_command(find_command)
