"""What every response and every request of the web app goes through, whatever route it reaches.

- :class:`BodyLimit` refuses a request body over its route's limit with 413, before the app reads it:
  at once when ``Content-Length`` says so, and otherwise by counting the bytes as they arrive, so a
  chunked body (as a reverse proxy may forward it) is stopped at the limit too, never read whole.
- :class:`SecurityHeaders` puts a strict Content-Security-Policy, ``nosniff`` and ``no-referrer`` on
  every response (JSON, CSV, static files, redirects, errors) that does not set its own: HTML pages set
  theirs in ``web/pages.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Anything that is not a page: it may load nothing, and nothing may frame it.
NOT_A_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
ALWAYS = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}


class BodyTooLarge(Exception):
    """The body went past its limit while it was being read."""


class BodyLimit:
    """At most ``limits[prefix]`` bytes of body for a path starting with ``prefix`` (the longest prefix
    that matches wins), else ``default`` bytes."""

    def __init__(self, app: ASGIApp, default: int, limits: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        self.limits = sorted((limits or {}).items(), key=lambda item: -len(item[0]))

    def limit_for(self, path: str) -> int:
        return next((n for prefix, n in self.limits if path.startswith(prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope["headers"])
        if declared is not None and declared > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if started:
                raise
            await _too_large(limit)(scope, receive, send)


def _content_length(headers: Iterable[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name == b"content-length":
            return int(value) if value.isdigit() and len(value) < 19 else None
    return None


def _too_large(limit: int) -> JSONResponse:
    kb = max(1, limit // 1000)
    return JSONResponse(
        {"error": f"That is more than this address takes ({kb:,} KB at most)."},
        status_code=413,
        headers={"Connection": "close"},
    )


class SecurityHeaders:
    """Adds the strict headers to every HTTP response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in {**ALWAYS, "content-security-policy": NOT_A_PAGE_CSP}.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)
