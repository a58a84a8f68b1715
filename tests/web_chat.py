"""One student's chat through the web app's chat API, as the widget sends it."""

from __future__ import annotations

import uuid
from typing import Any

import requests


class WebChat:
    def __init__(self, web: str, school: str = "demo") -> None:
        self.url, self.sender = f"{web}/api/chat/{school}", uuid.uuid4().hex

    def send(self, message: Any) -> requests.Response:
        return requests.post(self.url, json={"sender": self.sender, "message": message}, timeout=60)

    def say(self, text: str) -> tuple[str, list[dict[str, str]]]:
        """The replies as the student reads them, and their buttons; fails the test unless the message
        was answered."""
        reply = self.send(text)
        assert reply.status_code == 200, reply.text
        messages = reply.json()["messages"]
        buttons = [b for m in messages for b in m.get("buttons", [])]
        return "\n".join(shown(m) for m in messages), buttons


def shown(message: dict[str, Any]) -> str:
    """What the widget shows for one reply: a career card's title and pay, then the text."""
    card = message.get("card") or {}
    return "\n".join(x for x in (card.get("title"), card.get("pay"), message.get("text")) if x)
