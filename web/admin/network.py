"""The admin's Network page: the addresses classroom PCs use, mDNS state, a wall sheet."""

from flask import abort, current_app, render_template, request
from markupsafe import Markup

from appliance.discovery.addresses import advertised_addresses, host_addresses, parse_interfaces
from web.admin import bp
from web.auth.session import role_required


def _url(host: str, port: int) -> str:
    return f"http://{host}/" if port == 80 else f"http://{host}:{port}/"


def network_view() -> dict:
    """Advertising state and the URLs PCs can open, from the running advertiser if any."""
    config = current_app.config["MEKTEP"]
    advertiser = current_app.extensions.get("discovery")
    state = advertiser.state() if advertiser else None
    if state and state["status"] == "on":
        host, port, addresses = state["host"], state["port"], state["addresses"]
    else:
        # Not advertising (or not under `mektep serve`): show what the host has anyway.
        port = state["port"] if state else config.port
        host = f"{config.mdns_hostname}.local"
        addresses = advertised_addresses(
            host_addresses(), "", parse_interfaces(config.mdns_interfaces)
        )
    urls = [_url(ip, port) for ip in addresses]
    return {"state": state, "mdns_url": _url(host, port), "ip_urls": urls}


def qr_svg(text: str) -> Markup:
    """A QR code as inline SVG, made here (the LAN has no internet for a QR service)."""
    import segno

    return Markup(segno.make(text, error="m").svg_inline(scale=8, border=2))


@bp.route("/network")
@role_required("admin")
def network():
    return render_template("admin/network.html", **network_view())


@bp.route("/network/sheet")
@role_required("admin")
def network_sheet():
    view = network_view()
    choices = [view["mdns_url"], *view["ip_urls"]]
    # Phones rarely resolve .local names: the QR code points at an IP address by default.
    url = request.args.get("url") or (view["ip_urls"] or choices)[0]
    if url not in choices:
        abort(404)
    return render_template("admin/network_sheet.html", url=url, qr=qr_svg(url), **view)
