"""Slowing down password guessing on the dashboard's sign-in.

Two counts of wrong passwords, each over the last ``window_s`` seconds:

- per username: after ``per_user`` wrong passwords, that username may try again only ``user_pause_s``
  seconds after its last wrong one. A guesser gets a few tries a minute at most, and a real user whom
  someone else is guessing at waits no more than that short pause, never hours.
- per network address: after ``per_address`` wrong passwords (any usernames), that address is refused
  until its oldest counted failure leaves the window.

A right password clears its username's count. Counts live in this process's memory (the web app runs
as one process).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class LoginThrottle:
    per_user: int = 5
    per_address: int = 20
    window_s: float = 15 * 60
    user_pause_s: float = 30
    clock: Callable[[], float] = time.monotonic
    _users: dict[str, deque[float]] = field(default_factory=dict)
    _addresses: dict[str, deque[float]] = field(default_factory=dict)

    def wait(self, username: str, address: str) -> float | None:
        """Seconds before this username may try from this address; None if it may try now."""
        now = self.clock()
        by_address = self._recent(self._addresses, address, now)
        waits = []
        if len(by_address) >= self.per_address:
            waits.append(by_address[0] + self.window_s - now)
        by_user = self._recent(self._users, username.casefold(), now)
        if len(by_user) >= self.per_user:
            waits.append(by_user[-1] + self.user_pause_s - now)
        longest = max(waits, default=0.0)
        return longest if longest > 0 else None

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        for counts, key in ((self._users, username.casefold()), (self._addresses, address)):
            self._recent(counts, key, now).append(now)
            if len(counts) > 10_000:  # forget idle keys now and then, so memory stays bounded
                for idle in [k for k, hits in counts.items() if not hits or hits[-1] <= now - self.window_s]:
                    del counts[idle]

    def succeeded(self, username: str) -> None:
        self._users.pop(username.casefold(), None)

    def _recent(self, counts: dict[str, deque[float]], key: str, now: float) -> deque[float]:
        hits = counts.setdefault(key, deque())
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        return hits


def wait_message(seconds: float) -> str:
    minutes = int(seconds // 60) + 1
    when = f"{round(seconds) or 1} seconds" if seconds < 90 else f"{minutes} minutes"
    return f"Too many wrong passwords. For your account's safety, wait {when} and try again."
