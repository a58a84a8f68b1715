"""Limits on how fast one chat, and one network address, may send messages.

A class of thirty behind one school address is normal; one chat sending a message every second for a
minute, or one address flooding the assistant, is not. Each limit counts the messages in the last
``window_s`` seconds; past the limit the chat API answers 429 with a plain explanation and how long to
wait. Counts live in this process's memory (one web app process, the default).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class RateLimit:
    """At most ``limit`` hits per key in any ``window_s`` seconds."""

    limit: int
    window_s: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _hits: dict[str, deque[float]] = field(default_factory=dict)

    def hit(self, key: str) -> float | None:
        """Count one hit for ``key``; None if allowed, else the seconds until one more would be."""
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(0.0, hits[0] + self.window_s - now)
        hits.append(now)
        if len(self._hits) > 10_000:  # forget idle keys now and then, so memory stays bounded
            self._forget_idle(now)
        return None

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window_s]:
            del self._hits[key]


def wait_message(retry_after_s: float) -> str:
    seconds = max(1, math.ceil(retry_after_s))
    return (
        "You're sending messages faster than I can keep up with. "
        f"Please wait {seconds} second{'s' if seconds != 1 else ''} and try again."
    )
