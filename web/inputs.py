"""What the web app takes from a browser before anything else reads it: a chat id, a message's text,
and a JSON body with a chat id in it. Shared by the chat API and the dashboard."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from starlette.requests import Request

SENDER_ID = re.compile(r"^[A-Za-z0-9-]{16,64}$")  # a chat id, made at random by the widget


def clean_message(text: object) -> str | None:
    """The message with control characters and surrounding space removed, and any half of a UTF-16
    surrogate pair that arrived alone (JSON allows ``"\\ud800"``) shown as U+FFFD, so that the message can
    be stored and answered; None if nothing is left."""
    if not isinstance(text, str):
        return None
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    kept = " ".join(kept.split())
    return kept or None


async def body_with_sender(request: Request) -> dict[str, Any] | str:
    """The JSON body with its well-formed chat id (``sender``), or what is wrong with it."""
    try:
        body = json.loads(await request.body())
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep to read
        return "Send JSON with the chat id (sender)."
    if not isinstance(body, dict) or not SENDER_ID.match(str(body.get("sender", ""))):
        return "A chat id (sender) of 16 to 64 letters, digits or hyphens is needed."
    return body
