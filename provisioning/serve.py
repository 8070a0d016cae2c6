"""`mektep serve`: the web server (waitress) with its limits set on purpose."""

from __future__ import annotations

import logging

import click

from provisioning.context import Node, pass_node

log = logging.getLogger("mektep.serve")


def run_server(node: Node, host: str | None, port: int | None) -> None:
    """Serve the node until interrupted."""
    from waitress import create_server

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
    click.echo(f"Mektep {config.role} serving {config.home} on http://{host}:{server.effective_port}/",
               err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@click.command("serve")
@click.option("--host", help="Address to listen on (setting `host`).")
@click.option("--port", type=int, help="Port to listen on (setting `port`).")
@pass_node
def serve_command(node: Node, host: str | None, port: int | None) -> None:
    """Serve the school's web pages on the LAN."""
    run_server(node, host, port)


def register(main: click.Group) -> None:
    main.add_command(serve_command)
