"""Password hashing with scrypt, at most ``hash_concurrency`` hashes at once.

Each scrypt hash takes 16 MiB and a few tens of milliseconds of a core; when a class of 30
logs in at once the others wait their turn instead of exhausting a small server's memory.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading

N, R, P = 2**14, 8, 1
_slots = threading.BoundedSemaphore(2)

# Letters and digits that cannot be confused on a printed card (no 0/O, 1/l/I).
_CARD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def set_concurrency(n: int) -> None:
    """Bound the number of hashes computed at once (from the `hash_concurrency` setting)."""
    global _slots
    _slots = threading.BoundedSemaphore(max(1, n))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    with _slots:
        return hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=n,
            r=r,
            p=p,
            maxmem=2 * 128 * r * n + 1024 * 1024,
            dklen=32,
        )


def hash_password(password: str) -> str:
    """Return a storable hash: ``scrypt$n$r$p$salt$hash`` (hex)."""
    salt = os.urandom(16)
    digest = _scrypt(password, salt, N, R, P)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def check_password(stored: str, password: str) -> bool:
    """True when ``password`` matches the stored hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    return hmac.compare_digest(candidate.hex(), digest)


def generate_password(length: int = 8) -> str:
    """A password a child can type from a printed card."""
    return "".join(secrets.choice(_CARD_ALPHABET) for _ in range(length))


# A hash of a random password: checking against it costs as much as a real check, so a
# wrong username takes as long as a wrong password.
DUMMY_HASH = None


def dummy_check(password: str) -> None:
    global DUMMY_HASH
    if DUMMY_HASH is None:
        DUMMY_HASH = hash_password(generate_password(16))
    check_password(DUMMY_HASH, password)
