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
        """The replies' text, and their buttons; fails the test unless the message was answered."""
        reply = self.send(text)
        assert reply.status_code == 200, reply.text
        messages = reply.json()["messages"]
        return "\n".join(m.get("text", "") for m in messages), [
            b for m in messages for b in m.get("buttons", [])
        ]
