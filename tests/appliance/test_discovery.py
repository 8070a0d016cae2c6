"""LAN discovery without root: address filtering, names, TXT, and mDNS on loopback."""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from appliance.discovery.addresses import (
    HostAddress,
    advertised_addresses,
    is_lan,
    parse_interfaces,
)
from appliance.discovery.advertiser import Advertiser, instance_label, txt_properties
from appliance.discovery.finder import find_nodes

HOST = [
    HostAddress("lo", "127.0.0.1"),
    HostAddress("eth0", "192.168.1.20"),
    HostAddress("wlan0", "10.0.5.7"),
    HostAddress("eth1", "169.254.10.1"),  # link-local: no DHCP answer
    HostAddress("wwan0", "100.72.1.2"),  # CGNAT from the mobile operator
    HostAddress("enp3s0", "100.128.0.9"),  # just outside 100.64.0.0/10
    HostAddress("eth2", "192.168.9.9", up=False),  # cable out
    *(
        HostAddress(name, "172.18.0.1")
        for name in ("docker0", "br-1a2b3c", "veth12ab", "virbr0", "lxcbr0", "cni0", "flannel.1")
    ),
]


def test_only_lan_addresses_are_advertised_in_order():
    assert advertised_addresses(HOST) == ["10.0.5.7", "100.128.0.9", "192.168.1.20"]


def test_the_interfaces_setting_narrows_the_choice():
    assert advertised_addresses(HOST, "", parse_interfaces(" wlan0, ,eth2 ")) == ["10.0.5.7"]
    assert advertised_addresses(HOST, "0.0.0.0", ("docker0",)) == []


def test_a_server_bound_to_one_address_advertises_exactly_that_one():
    assert advertised_addresses(HOST, "127.0.0.1") == ["127.0.0.1"]
    assert advertised_addresses(HOST, "192.168.1.20") == ["192.168.1.20"]
    assert advertised_addresses(HOST, "192.168.77.1") == []  # not (yet) on this host


@pytest.mark.parametrize(
    "address, lan",
    [
        (HostAddress("eth0", "127.0.0.5"), False),
        (HostAddress("eth0", "100.127.255.255"), False),
        (HostAddress("eth0", "100.63.255.255"), True),
        (HostAddress("br0", "192.168.0.1"), True),  # a plain bridge may be the school LAN
        (HostAddress("vethernet", "192.168.0.1"), False),
    ],
)
def test_is_lan(address, lan):
    assert is_lan(address) is lan


def test_instance_label_fits_a_dns_label_with_room_for_a_suffix():
    assert (
        instance_label("  Школа-гимназия №5 им. Ч. Айтматова, г. Бишкек  ").encode().__len__() <= 58
    )
    assert instance_label("Sch. No. 5") == "Sch No 5"
    assert instance_label(" ") == "Mektep"


def test_txt_properties_are_strings_within_limits():
    props = txt_properties({"node_id": "n1", "school": "Ш" * 300, "api": 1, "role": "node"})
    assert props["path"] == "/" and props["txtvers"] == "1" and props["api"] == "1"
    assert props["oblast"] == "" and len(props["school"].encode()) <= 200


def test_advertising_disabled_by_the_setting_says_so():
    advertiser = Advertiser("School", "mektep", 8080, {}, enabled=False)
    advertiser.start()
    assert advertiser.state()["status"] == "off"
    assert "advertise = false" in advertiser.state()["reason"]
    advertiser.stop()


class InfoServer:
    """A stand-in node answering GET /api/v1/info on loopback."""

    def __init__(self, node_id: str):
        body = json.dumps(
            {
                "node_id": node_id,
                "school": "School 5",
                "oblast": "Naryn",
                "version": "0.1.0",
                "api": 1,
                "role": "node",
            }
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200 if self.path == "/api/v1/info" else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_advertise_find_and_rename_on_loopback():
    """Two nodes with one name on one link: the second is renamed; find confirms both."""
    name, host = f"School {uuid.uuid4().hex[:6]}", f"mk-{uuid.uuid4().hex[:6]}"
    servers = [InfoServer(str(uuid.uuid4())) for _ in range(2)]
    advertisers = []
    try:
        for server in servers:
            props = txt_properties({"school": name, "api": 1, "role": "node"})
            advertiser = Advertiser(
                name, host, server.port, props, bind_host="127.0.0.1", poll_seconds=0.2
            )
            advertisers.append(advertiser)
            advertiser.start()
            _wait_on(advertiser)
        first, second = (a.state() for a in advertisers)
        assert (first["instance"], first["host"], first["renamed"]) == (
            name,
            f"{host}.local",
            False,
        )
        assert (second["instance"], second["host"]) == (f"{name}-2", f"{host}-2.local"), second
        assert second["renamed"] is True

        # Other nodes may be advertised on this machine's loopback too: look until ours answer.
        wanted = {a.state()["instance"] for a in advertisers}
        found: dict[str, dict] = {}
        for _attempt in range(3):
            found.update((n["instance"], n) for n in find_nodes(timeout=5) if n["reachable"])
            if wanted <= set(found):
                break
        assert wanted <= set(found), (found, [a.state() for a in advertisers])
        for advertiser, server in zip(advertisers, servers, strict=True):
            node = found[advertiser.state()["instance"]]
            assert node["reachable"] and node["url"] == f"http://127.0.0.1:{server.port}/"
            assert node["school"] == "School 5"  # from /api/v1/info, not only the TXT
            assert node["host"] == advertiser.state()["host"]
    finally:
        for advertiser in advertisers:
            advertiser.stop()
        for server in servers:
            server.close()
    assert all(a.zc is None for a in advertisers)  # goodbyes sent, sockets closed


def _wait_on(advertiser: Advertiser, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while advertiser.state()["status"] == "starting" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert advertiser.state()["status"] == "on", advertiser.state()
