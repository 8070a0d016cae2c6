"""Advertise the node over mDNS/DNS-SD while it serves, following the host's address changes."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zeroconf import ServiceInfo, Zeroconf

from appliance.discovery import SERVICE_TYPE, SUBTYPE
from appliance.discovery.addresses import HostAddress, advertised_addresses, host_addresses

log = logging.getLogger("mektep.discovery")

# A DNS label is at most 63 bytes; keep room for the "-2" a clash appends.
MAX_INSTANCE_BYTES = 58
HOST_PROBE_MS = 1000


def instance_label(name: str) -> str:
    """The school's display name made safe as a DNS-SD instance name."""
    label = " ".join(name.replace(".", " ").split()) or "Mektep"
    while len(label.encode()) > MAX_INSTANCE_BYTES:
        label = label[:-1]
    return label.rstrip()


def txt_properties(identity: dict[str, str]) -> dict[str, str]:
    """The TXT record: what a browser needs before it confirms with /api/v1/info."""
    props = {"path": "/", "txtvers": "1"}
    for key in ("node_id", "school", "oblast", "version", "api", "role"):
        value = str(identity.get(key, ""))
        # Each TXT string is at most 255 bytes including "key=".
        while len(value.encode()) > 200:
            value = value[:-1]
        props[key] = value
    return props


class Advertiser:
    """Keeps one node advertised on the LAN; runs in its own thread so serving never waits."""

    def __init__(
        self,
        instance: str,
        hostname: str,
        port: int,
        properties: dict[str, str],
        bind_host: str = "",
        interfaces: tuple[str, ...] = (),
        enabled: bool = True,
        poll_seconds: float = 3.0,
        damping_seconds: float = 1.0,
        read_addresses: Callable[[], list[HostAddress]] = host_addresses,
    ):
        self.instance = instance_label(instance)
        self.hostname = hostname.strip().lower().removesuffix(".local") or "mektep"
        self.port = int(port)
        self.properties = properties
        self.bind_host = bind_host
        self.interfaces = interfaces
        self.enabled = enabled
        self.poll_seconds = poll_seconds
        self.damping_seconds = damping_seconds
        self.read_addresses = read_addresses
        self.zc: Zeroconf | None = None
        self.infos: list[ServiceInfo] = []
        self.addresses: list[str] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._state: dict = {}
        self._set(
            status="starting" if enabled else "off",
            reason="" if enabled else "disabled in the settings (advertise = false)",
        )

    def _set(self, **changes) -> None:
        with self._lock:
            if changes.get("reason") and changes["reason"] != self._state.get("reason"):
                log.log(
                    logging.WARNING if changes.get("status") in ("off", "error") else logging.INFO,
                    "mDNS advertising %s: %s",
                    changes.get("status"),
                    changes["reason"],
                )
            self._state.update(changes, since=time.time())

    def state(self) -> dict:
        """A snapshot for the admin page: status, names, addresses, port, reason."""
        with self._lock:
            base = {
                "status": "off",
                "reason": "",
                "instance": self.instance,
                "host": f"{self.hostname}.local",
                "wanted_instance": self.instance,
                "wanted_host": f"{self.hostname}.local",
                "renamed": False,
                "addresses": [],
                "port": self.port,
            }
            return {**base, **self._state}

    def start(self) -> None:
        """Begin advertising in the background (returns at once)."""
        if not self.enabled or self._thread:
            return
        self._thread = threading.Thread(target=self._run, name="mektep-mdns", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Send goodbye packets and close the mDNS sockets."""
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)

    def _wanted(self) -> list[str]:
        return advertised_addresses(self.read_addresses(), self.bind_host, self.interfaces)

    def _run(self) -> None:
        first = True
        try:
            while not self._stop.is_set():
                wanted = self._wanted()
                if wanted != self.addresses and self.zc is not None:
                    # Damping: a DHCP renewal or a cable being re-seated flaps for a moment.
                    self._stop.wait(self.damping_seconds)
                    wanted = self._wanted()
                if first or wanted != self.addresses or (wanted and self.zc is None):
                    self._apply(wanted)
                    first = False
                self._stop.wait(self.poll_seconds)
        finally:
            self._withdraw()

    def _apply(self, wanted: list[str]) -> None:
        try:
            if not wanted:
                self._withdraw()
                self.addresses = []
                where = (
                    f"address {self.bind_host}"
                    if self.bind_host not in ("", "0.0.0.0")
                    else "LAN interface with an IPv4 address"
                )
                self._set(
                    status="off",
                    addresses=[],
                    reason=f"no {where}; still serving, but PCs must type the address",
                )
            elif self.zc is None:
                self._register(wanted)
            else:
                self._move(wanted)
        except Exception as exc:  # noqa: BLE001 -- advertising must never take serving down
            if self._state.get("status") != "error":  # one traceback, not one per retry
                log.exception("mDNS advertising failed")
            self._withdraw()
            self.addresses = []
            self._set(status="error", reason=f"{type(exc).__name__}: {exc}; retrying")

    def _free_hostname(self, zc: Zeroconf) -> str:
        """The configured host name, or name-2, name-3, ... when another responder answers for it."""
        from zeroconf import AddressResolverIPv4

        # python-zeroconf renames clashing instance names only; host names are probed here.
        for n in range(1, 20):
            candidate = self.hostname if n == 1 else f"{self.hostname}-{n}"
            if not AddressResolverIPv4(f"{candidate}.local.").request(zc, HOST_PROBE_MS):
                return candidate
        raise RuntimeError(f"no free mDNS host name after {self.hostname}-19")

    def _build(self, name: str, server: str, addresses: list[str]) -> list[ServiceInfo]:
        from zeroconf import ServiceInfo

        infos = [
            ServiceInfo(
                type_,
                name,
                port=self.port,
                parsed_addresses=addresses,
                server=server,
                properties=self.properties,
            )
            for type_ in (SERVICE_TYPE, SUBTYPE)
        ]
        # python-zeroconf has no subtypes: a second info answers PTR queries for the subtype.
        # Its own registry key keeps it apart from the main info (same instance name).
        infos[1].key = "subtype:" + name.lower()
        return infos

    def _register(self, wanted: list[str]) -> None:
        # zeroconf takes ~70 ms to import: import it here, in the advertising thread, so the
        # first page is not delayed by it.
        from zeroconf import IPVersion, Zeroconf

        zc = Zeroconf(interfaces=wanted, ip_version=IPVersion.V4Only)
        self.zc = zc
        host = self._free_hostname(zc)
        main, _sub = self._build(f"{self.instance}.{SERVICE_TYPE}", f"{host}.local.", wanted)
        zc.register_service(main, allow_name_change=True)
        sub = self._build(main.name, main.server, wanted)[1]  # the name may have changed
        zc.register_service(sub, cooperating_responders=True)
        self.infos = [main, sub]
        self.addresses = wanted
        instance = main.get_name()
        renamed = instance != self.instance or host != self.hostname
        if renamed:
            log.warning(
                "Another node on this LAN already uses the name %r or %s.local: "
                "this node is advertised as %r at %s.local",
                self.instance,
                self.hostname,
                instance,
                host,
            )
        self._set(
            status="on",
            renamed=renamed,
            instance=instance,
            host=f"{host}.local",
            addresses=wanted,
            reason=f"advertised as {instance!r} at http://{host}.local:"
            f"{self.port}/ on {', '.join(wanted)}",
        )

    def _move(self, wanted: list[str]) -> None:
        """Swap the advertised addresses in place: withdraw stale ones, announce new ones."""
        zc = self.zc
        stale = [ip for ip in self.addresses if ip not in wanted]
        infos = self._build(self.infos[0].name, self.infos[0].server, wanted)
        asyncio.run_coroutine_threadsafe(
            self._async_move(zc, infos, wanted, stale), zc.loop
        ).result(timeout=15)
        self.infos = infos
        self.addresses = wanted
        self._set(status="on", addresses=wanted, reason=f"addresses changed to {', '.join(wanted)}")

    @staticmethod
    async def _async_move(
        zc: Zeroconf, infos: list[ServiceInfo], wanted: list[str], stale: list[str]
    ) -> None:
        from zeroconf import DNSAddress, DNSOutgoing, const

        for info in infos:
            # Swap first, so the re-announce update_interfaces makes carries the new addresses.
            zc.registry.async_update(info)
        await zc.async_update_interfaces(wanted)
        if stale:
            goodbye = DNSOutgoing(const._FLAGS_QR_RESPONSE | const._FLAGS_AA)
            for ip in stale:
                record = DNSAddress(
                    infos[0].server,
                    const._TYPE_A,
                    const._CLASS_IN | const._CLASS_UNIQUE,
                    0,
                    socket.inet_aton(ip),
                )
                goodbye.add_answer_at_time(record, 0)
            zc.async_send(goodbye)
        await asyncio.gather(*[await zc.async_update_service(info) for info in infos])

    def _withdraw(self) -> None:
        """Goodbye packets for everything registered, then close the sockets."""
        zc, self.zc, self.infos = self.zc, None, []
        if zc is None:
            return
        try:
            zc.unregister_all_services()
        except Exception:  # noqa: BLE001 -- a vanished interface must not block shutdown
            log.warning("could not send mDNS goodbye packets", exc_info=True)
        finally:
            zc.close()
