"""Live updates for the pages that follow a handover (a student's widget, an adviser's queue and chat
page), as Server-Sent Events.

The database is the record; :class:`Hub` only wakes the streams that follow a topic ("school:demo",
"handover:12") when something under it changed, and each stream then reads what is new since the last
event it sent. So a page that reconnects (a reload, a dropped connection: ``EventSource`` sends
``Last-Event-ID`` itself) misses nothing, and a change made by another web process is still seen
within :data:`CHECK_EVERY_S`, when every stream looks again anyway and sends a comment that keeps
proxies from closing it. A stream ends by itself after :data:`LONGEST_S`; the browser reconnects.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from starlette.responses import StreamingResponse

CHECK_EVERY_S = 5.0
LONGEST_S = 600.0
RETRY_MS = 2000  # how long a browser waits before reconnecting


class Hub:
    """Wake-ups for the streams of one web process, by topic."""

    def __init__(self) -> None:
        self._waiting: dict[str, set[asyncio.Event]] = defaultdict(set)

    @contextmanager
    def listen(self, *topics: str) -> Iterator[asyncio.Event]:
        """An event set whenever one of ``topics`` changes, for as long as the block runs."""
        wake = asyncio.Event()
        for topic in topics:
            self._waiting[topic].add(wake)
        try:
            yield wake
        finally:
            for topic in topics:
                self._waiting[topic].discard(wake)
                if not self._waiting[topic]:
                    del self._waiting[topic]

    def publish(self, *topics: str) -> None:
        for topic in topics:
            for wake in self._waiting.get(topic, ()):
                wake.set()

    def listening(self, topic: str) -> int:
        """How many streams follow ``topic`` now: an adviser's open queue counts as an adviser in."""
        return len(self._waiting.get(topic, ()))


def school_topic(school: str) -> str:
    return f"school:{school}"


def handover_topic(handover_id: int) -> str:
    return f"handover:{handover_id}"


def event(name: str, data: Any, event_id: int | None = None) -> str:
    """One Server-Sent Event; the data is JSON on one line."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


# Reads what is new for one stream: the events to send, and whether the stream is finished.
Reader = Callable[[], Awaitable[tuple[list[str], bool]]]


async def _events(hub: Hub, topics: tuple[str, ...], read: Reader) -> AsyncIterator[str]:
    yield f"retry: {RETRY_MS}\n\n"
    ends = time.monotonic() + LONGEST_S
    with hub.listen(*topics) as wake:
        while time.monotonic() < ends:
            wake.clear()  # before reading, so that a change during the read wakes the next wait
            chunks, finished = await read()
            for chunk in chunks:
                yield chunk
            if finished:
                return
            try:
                await asyncio.wait_for(wake.wait(), CHECK_EVERY_S)
            except asyncio.TimeoutError:
                yield ": still here\n\n"


def stream(hub: Hub, topics: tuple[str, ...], read: Reader, headers: dict[str, str]) -> StreamingResponse:
    """A Server-Sent Events response that sends what ``read`` finds, now and after each wake-up."""
    return StreamingResponse(
        _events(hub, topics, read),
        media_type="text/event-stream",
        headers=headers | {"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def last_event_id(query: dict[str, str], headers: Any) -> int:
    """Where a stream starts: the browser's ``Last-Event-ID`` on a reconnect, else ``after`` in the query."""
    for value in (headers.get("last-event-id"), query.get("after")):
        if value is not None and str(value).isdigit() and len(str(value)) < 16:
            return int(value)
    return 0
