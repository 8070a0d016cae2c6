"""Login throttling: too many failures for one username or one address locks it for a while."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class LoginThrottle:
    """Counts failed logins per key in a sliding window (in memory, per server process)."""

    def __init__(self, attempts: int = 5, window: int = 300, clock=time.monotonic):
        self.attempts = attempts
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque:
        q = self._failures[key]
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def retry_after(self, *keys: str) -> int:
        """Seconds until any of ``keys`` may try again; 0 when none is locked."""
        now = self._clock()
        wait = 0
        with self._lock:
            for key in keys:
                q = self._prune(key, now)
                if len(q) >= self.attempts:
                    wait = max(wait, int(self.window - (now - q[0])) + 1)
        return wait

    def failed(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                self._prune(key, now).append(now)

    def succeeded(self, username_key: str) -> None:
        with self._lock:
            self._failures.pop(username_key, None)
