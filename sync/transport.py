"""HTTP to the hub: signed, gzip in and out, capped reads, JSON errors into SyncError."""

from __future__ import annotations

import http.client
import json
import os
import signal
import time
import zlib
from collections import Counter
from urllib.parse import urlparse

from sync import auth, state, wire
from sync.wire import WireError

TIMEOUT = 60
_hits: Counter = Counter()


class SyncError(Exception):
    """A sync step failed; ``code`` is the hub's error code (or a local one)."""

    def __init__(
        self, code: str, message: str, status: int | None = None, extra: dict | None = None
    ):
        super().__init__(message)
        self.code, self.message, self.status, self.extra = code, message, status, extra or {}

    def __str__(self) -> str:
        where = f", HTTP {self.status}" if self.status else ""
        return f"{self.message} ({self.code}{where})"


def hook(point: str) -> None:
    """Test hook: MEKTEP_TEST_SYNC_HOOK="kill|sleep:POINT:N" acts at the Nth time POINT is reached."""
    spec = os.environ.get("MEKTEP_TEST_SYNC_HOOK", "")
    if not spec:
        return
    action, where, nth = (spec.split(":") + ["1"])[:3]
    if where != point:
        return
    _hits[point] += 1
    if _hits[point] == int(nth):
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif action == "sleep":
            time.sleep(float(os.environ.get("MEKTEP_TEST_SYNC_SLEEP", "5")))


class Transport:
    """Posts payloads to one hub, counting the bytes that cross the wire."""

    def __init__(self, hub_url: str, node_id: str = "", secret: str = ""):
        parsed = urlparse(hub_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise SyncError(
                "bad_url", f"the hub URL {hub_url!r} must start with http:// or https://"
            )
        self.parsed = parsed
        self.base = parsed.path.rstrip("/")
        self.node_id, self.secret = node_id, secret
        self.sent = self.received = self.round_trips = 0

    def _connection(self):
        cls = (
            http.client.HTTPSConnection
            if self.parsed.scheme == "https"
            else http.client.HTTPConnection
        )
        return cls(self.parsed.hostname, self.parsed.port, timeout=TIMEOUT)

    def post(self, name: str, payload: dict, signed: bool = True, point: str = "") -> dict:
        """POST /sync/v1/<name>; a replay refusal after a lost counter is retried once past it."""
        body = wire.compress(payload)
        try:
            return self._post(name, body, signed, point)
        except SyncError as exc:
            if exc.code == "replay" and isinstance(exc.extra.get("last_counter"), int):
                # Our counter went back (a restored backup): jump past the hub's, still signed.
                state.next_counter(at_least=exc.extra["last_counter"])
                return self._post(name, body, signed, point)
            raise

    def _post(self, name: str, body: bytes, signed: bool, point: str) -> dict:
        path = f"{self.base}/sync/v1/{name}"
        headers = {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "Accept-Encoding": "gzip",
            "User-Agent": "mektep-sync",
        }
        if signed:
            count = state.next_counter()  # durable before the request leaves
            headers.update(auth.sign_headers(self.secret, "POST", path, self.node_id, count, body))
        conn = self._connection()
        try:
            try:
                conn.request("POST", path, body=body, headers=headers)
                self.sent += len(body) + _header_bytes(headers)
                hook(f"{point}-sent")
                response = conn.getresponse()
                raw = response.read(wire.MAX_COMPRESSED + 1)
            except (OSError, http.client.HTTPException) as exc:
                raise SyncError(
                    "network", f"the hub at {self.parsed.netloc} did not answer: {exc}"
                ) from exc
            self.round_trips += 1
            self.received += len(raw) + sum(len(k) + len(v) + 4 for k, v in response.getheaders())
        finally:
            conn.close()
        length = response.getheader("Content-Length")
        if response.status == 200 and (
            length is None
            or int(length) != len(raw)
            or response.getheader("Content-Encoding") != "gzip"
        ):
            # A connection cut inside the headers looks like an empty 200 to http.client.
            raise SyncError(
                "network", f"the hub's answer was cut short ({len(raw)} of {length} bytes)"
            )
        data = self._decode(raw, response.getheader("Content-Encoding") == "gzip", response.status)
        if response.status != 200:
            raise SyncError(
                str(data.get("error", "http_error")),
                str(data.get("message", raw[:200])),
                response.status,
                data,
            )
        return data

    @staticmethod
    def _decode(raw: bytes, gzipped: bool, status: int) -> dict:
        try:
            if gzipped:
                return wire.decompress(raw)
            data = json.loads(raw or b"{}")
            return data if isinstance(data, dict) else {}
        except (WireError, ValueError, zlib.error) as exc:
            if status == 200:
                raise SyncError(
                    "bad_response", f"the hub's answer cannot be read: {exc}", status
                ) from exc
            return {"error": "http_error", "message": raw[:200].decode("utf-8", "replace")}


def _header_bytes(headers: dict) -> int:
    return sum(len(k) + len(str(v)) + 4 for k, v in headers.items()) + 80
