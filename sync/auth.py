"""Per-node request authentication: HMAC-SHA256 over method, path, counter and body hash.

Replay protection needs no clock: every request carries the node's counter, which must be
strictly above the last one the hub accepted from that node.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER_NODE = "X-Mektep-Node"
HEADER_COUNTER = "X-Mektep-Counter"
HEADER_SIGNATURE = "X-Mektep-Signature"


def new_secret() -> str:
    return secrets.token_hex(32)


def signature(secret: str, method: str, path: str, node_id: str, counter: int, body: bytes) -> str:
    """The hex HMAC of one request."""
    message = "\n".join(
        [method.upper(), path, node_id, str(counter), hashlib.sha256(body).hexdigest()]
    )
    return hmac.new(bytes.fromhex(secret), message.encode(), hashlib.sha256).hexdigest()


def sign_headers(
    secret: str, method: str, path: str, node_id: str, counter: int, body: bytes
) -> dict:
    return {
        HEADER_NODE: node_id,
        HEADER_COUNTER: str(counter),
        HEADER_SIGNATURE: signature(secret, method, path, node_id, counter, body),
    }


def verify(
    secret: str, method: str, path: str, node_id: str, counter: int, body: bytes, given: str
) -> bool:
    return hmac.compare_digest(signature(secret, method, path, node_id, counter, body), given or "")
