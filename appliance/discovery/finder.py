"""Find Mektep nodes on the LAN from a classroom PC: browse mDNS, then confirm over HTTP."""

from __future__ import annotations

import json
import threading
import time
import urllib.request

from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, ServiceStateChange, Zeroconf

from appliance.discovery import SERVICE_TYPE, SUBTYPE

INFO_PATH = "/api/v1/info"


def fetch_info(address: str, port: int, timeout: float = 2.0) -> dict:
    """GET /api/v1/info from one advertised address; raises OSError or ValueError."""
    url = f"http://{address}:{port}{INFO_PATH}"
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 -- http only
        body = json.loads(response.read(65536))
    if not isinstance(body, dict) or "api" not in body:
        raise ValueError(f"{url} did not answer like a Mektep node")
    return body


def confirm(info: ServiceInfo, fetch_timeout: float = 2.0) -> dict:
    """One discovered service as a plain dict, confirmed (or not) with GET /api/v1/info."""
    txt = info.decoded_properties
    addresses = info.parsed_addresses(IPVersion.V4Only)
    port = info.port or 80
    node = {
        "instance": info.get_name(),
        "host": (info.server or "").rstrip("."),
        "addresses": addresses,
        "port": port,
        "school": txt.get("school") or info.get_name(),
        "oblast": txt.get("oblast") or "",
        "version": txt.get("version") or "",
        "node_id": txt.get("node_id") or "",
        "role": txt.get("role") or "",
        "url": f"http://{addresses[0]}:{port}/" if addresses else "",
        "reachable": False,
        "error": "no IPv4 address advertised" if not addresses else "",
    }
    # Discovery is only a hint: the node counts once it answers over an advertised address.
    for address in addresses:
        try:
            body = fetch_info(address, port, fetch_timeout)
        except (OSError, ValueError) as exc:
            node["error"] = f"{address}: {exc}"
            continue
        node.update(
            reachable=True,
            error="",
            url=f"http://{address}:{port}/",
            school=body.get("school") or node["school"],
            oblast=body.get("oblast") or node["oblast"],
            version=body.get("version") or node["version"],
            node_id=body.get("node_id") or node["node_id"],
            role=body.get("role") or node["role"],
        )
        break
    return node


def find_nodes(timeout: float = 3.0, quiet: float = 1.5, fetch_timeout: float = 2.0) -> list[dict]:
    """Nodes seen within ``timeout`` s; returns early once one answered and ``quiet`` s passed."""
    seen: dict[str, float] = {}
    lock = threading.Lock()

    def on_change(zeroconf, service_type, name, state_change) -> None:
        if state_change in (ServiceStateChange.Added, ServiceStateChange.Updated):
            with lock:
                seen.setdefault(name, time.monotonic())

    started = time.monotonic()
    deadline = started + timeout
    zc = Zeroconf(ip_version=IPVersion.V4Only)
    browser = ServiceBrowser(zc, [SUBTYPE, SERVICE_TYPE], handlers=[on_change])
    done: dict[str, dict | None] = {}
    try:
        while True:
            with lock:
                pending = [name for name in seen if name not in done]
                last_new = max(seen.values(), default=started)
            for name in pending:
                wait_ms = int(max(0.2, min(1.0, deadline - time.monotonic())) * 1000)
                info = zc.get_service_info(SERVICE_TYPE, name, timeout=wait_ms)
                if info is None:
                    continue  # not resolved yet: tried again on the next round
                # Any other _http._tcp service (a printer, a router) has no "api" in its TXT.
                done[name] = (
                    confirm(info, fetch_timeout) if "api" in info.decoded_properties else None
                )
            now = time.monotonic()
            answered = any(node and node["reachable"] for node in done.values())
            if now >= deadline or (answered and now - max(last_new, started) >= quiet):
                break
            time.sleep(0.1)
    finally:
        browser.cancel()
        zc.close()
    nodes = [node for node in done.values() if node]
    return sorted(nodes, key=lambda n: (not n["reachable"], n["school"].lower(), n["url"]))
