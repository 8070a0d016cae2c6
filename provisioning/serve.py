"""`mektep serve`: the web server (waitress) with its limits set on purpose."""

from __future__ import annotations

import ctypes
import logging
import signal
import threading

import click

from provisioning.context import Node, pass_node

log = logging.getLogger("mektep.serve")


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Cap glibc's per-thread malloc arenas before the worker threads start.

    With one arena per thread, 8 waitress threads and scrypt's 16 MiB buffers fragment
    memory: measured peak RSS 192 MB for 30 students, 92 MB with two arenas.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


def run_server(node: Node, host: str | None, port: int | None) -> None:
    """Serve the node until interrupted."""
    from waitress import create_server

    limit_malloc_arenas()
    from web import create_app

    config = node.open()
    app = create_app(config)
    host = host or config.host
    port = port or config.port
    server = create_server(
        app,
        host=host,
        port=port,
        threads=config.threads,
        connection_limit=config.connection_limit,
        channel_timeout=config.channel_timeout,
        # The same limit as Flask's MAX_CONTENT_LENGTH, so waitress refuses first.
        max_request_body_size=config.max_upload_mb * 1024 * 1024,
        clear_untrusted_proxy_headers=True,
        ident="mektep",
    )
    click.echo(
        f"Mektep {config.role} serving {config.home} on http://{host}:{server.effective_port}/",
        err=True,
    )
    advertiser = make_advertiser(app, config, host, server.effective_port)
    app.extensions["discovery"] = advertiser
    _stop_on_sigterm()
    try:
        # Advertising starts in its own thread after the socket is bound: serving never waits.
        advertiser.start()
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        advertiser.stop()


def make_advertiser(app, config, host: str, port: int):
    """The mDNS advertiser for this node (its state is shown on Administration > Network)."""
    from appliance import API_VERSION, __version__
    from appliance.discovery.addresses import parse_interfaces
    from appliance.discovery.advertiser import Advertiser, txt_properties
    from appliance.school.services import get_settings

    settings = get_settings()
    identity = {
        "node_id": app.config["IDENTITY"]["node_id"],
        "school": settings["school_name"],
        "oblast": settings["oblast"],
        "version": __version__,
        "api": API_VERSION,
        "role": config.role,
    }
    return Advertiser(
        settings["school_name"],
        config.mdns_hostname,
        port,
        txt_properties(identity),
        bind_host=host,
        interfaces=parse_interfaces(config.mdns_interfaces),
        enabled=config.advertise,
    )


def _stop_on_sigterm() -> None:
    """systemd stops the service with SIGTERM: leave like Ctrl-C, so goodbyes are sent."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


@click.command("serve")
@click.option("--host", help="Address to listen on (setting `host`).")
@click.option("--port", type=int, help="Port to listen on (setting `port`).")
@pass_node
def serve_command(node: Node, host: str | None, port: int | None) -> None:
    """Serve the school's web pages on the LAN."""
    run_server(node, host, port)


def register(main: click.Group) -> None:
    main.add_command(serve_command)
