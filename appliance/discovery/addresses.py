"""Which of the host's IPv4 addresses classroom PCs can reach (the ones worth advertising)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

# Container and VM bridges: their addresses are unreachable from classroom PCs.
VIRTUAL_PREFIXES = ("docker", "br-", "veth", "virbr", "lxcbr", "cni", "flannel")
CGNAT = ipaddress.ip_network("100.64.0.0/10")
IFF_UP = 0x1
WILDCARD_HOSTS = ("", "0.0.0.0")


@dataclass(frozen=True)
class HostAddress:
    interface: str
    ip: str
    up: bool = True


def is_lan(address: HostAddress, interfaces: tuple[str, ...] = ()) -> bool:
    """True when a PC on the school LAN could reach ``address``."""
    if not address.up:
        return False
    if interfaces and address.interface not in interfaces:
        return False
    if address.interface == "lo" or address.interface.startswith(VIRTUAL_PREFIXES):
        return False
    ip = ipaddress.ip_address(address.ip)
    return not (
        ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified or ip in CGNAT
    )


def _interface_up(name: str) -> bool:
    """Administratively up and not without carrier (sysfs); unknown counts as up."""
    base = Path("/sys/class/net") / name
    try:
        flags = int((base / "flags").read_text(), 16)
        operstate = (base / "operstate").read_text().strip()
    except (OSError, ValueError):
        return True
    # "unknown" is normal for lo, tun and some drivers; "down" means the cable is out.
    return bool(flags & IFF_UP) and operstate not in ("down", "lowerlayerdown", "notpresent")


def host_addresses() -> list[HostAddress]:
    """Every IPv4 address of this host (network namespace), with its interface."""
    import ifaddr  # comes with zeroconf; imported late like it, off the serving path

    found = []
    for adapter in ifaddr.get_adapters():
        up = _interface_up(adapter.name)
        for ip in adapter.ips:
            if isinstance(ip.ip, str):  # IPv6 addresses come as tuples
                found.append(HostAddress(adapter.name, ip.ip, up))
    return found


def advertised_addresses(
    addresses: list[HostAddress], bind_host: str = "", interfaces: tuple[str, ...] = ()
) -> list[str]:
    """The addresses to advertise for a server listening on ``bind_host``, sorted."""
    if bind_host not in WILDCARD_HOSTS:
        # Listening on one address: advertise exactly that one while the host has it.
        return [bind_host] if any(a.ip == bind_host for a in addresses) else []
    return sorted({a.ip for a in addresses if is_lan(a, interfaces)}, key=ipaddress.ip_address)


def parse_interfaces(setting: str) -> tuple[str, ...]:
    """The `mdns_interfaces` setting as a tuple of names (empty: every LAN interface)."""
    return tuple(name.strip() for name in setting.split(",") if name.strip())
