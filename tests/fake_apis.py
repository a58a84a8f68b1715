"""A real HTTP server on 127.0.0.1 that answers like postcodes.io, Find an apprenticeship's vacancy API
and Rasa's REST webhook, with switchable failures (server errors, slowness, rate limits), for tests of the
code that calls them. The Rasa stand-in sends scripted replies (``rasa_replies``), such as replies with
markup in them, which the real assistant never sends on purpose."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

POSTCODES = {"L34AF": (53.40781, -2.97964, "L3"), "E81DY": (51.54520, -0.05520, "E8")}
VACANCY = {
    "title": "Software developer apprentice",
    "employerName": "Fake Test Systems",
    "closingDate": "2027-03-31T23:59:00",
    "startDate": "2027-09-01T00:00:00",
    "distance": 0.8,
    "location": {"lat": 53.4100, "lon": -2.9800},
    "address": {"addressLine1": "1 Test Street", "addressLine4": "Liverpool", "postcode": "L3 9ZZ"},
    "vacancyUrl": "https://www.findapprenticeship.service.gov.uk/apprenticeship/VAC1000000001",
    "course": {"title": "Software developer", "level": 4, "route": "Digital"},
}


@dataclass
class FakeApis:
    url: str
    # Per path prefix ("/postcodes", "/vacancy"): a list of behaviours used in turn, then "ok".
    # Behaviours: "ok", "500", "429" (with Retry-After: 0), "slow" (sleeps 3 s), "401".
    plan: dict[str, list[str]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    api_key: str = "test-key"
    # What the Rasa stand-in answers to each message; "{message}" in a text is replaced by the message.
    rasa_replies: list[dict] = field(default_factory=lambda: [{"text": "You said: {message}"}])
    received: list[dict] = field(default_factory=list)  # JSON bodies posted to the Rasa stand-in


class _Handler(BaseHTTPRequestHandler):
    apis: FakeApis

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        apis = self.apis
        url = urlparse(self.path)
        apis.requests.append(self.path)
        prefix = "/" + url.path.strip("/").split("/")[0]
        plan = apis.plan.get(prefix, [])
        behaviour = plan.pop(0) if plan else "ok"
        if behaviour == "slow":
            time.sleep(3)
        if behaviour == "500":
            return self._send(500, {"error": "server error"})
        if behaviour == "429":
            return self._send(429, {"error": "rate limited"}, {"Retry-After": "0"})
        if prefix == "/postcodes":
            code = url.path.rsplit("/", 1)[-1].upper().replace(" ", "")
            if code not in POSTCODES:
                return self._send(404, {"status": 404, "error": "Postcode not found"})
            lat, lon, outcode = POSTCODES[code]
            return self._send(
                200, {"status": 200, "result": {"latitude": lat, "longitude": lon, "outcode": outcode}}
            )
        if prefix == "/vacancy":
            if behaviour == "401" or self.headers.get("Ocp-Apim-Subscription-Key") != apis.api_key:
                return self._send(401, {"statusCode": 401, "message": "Access denied"})
            query = parse_qs(url.query)
            if "Lat" not in query or "Lon" not in query:
                return self._send(400, {"errors": ["Lat and Lon are required"]})
            return self._send(200, {"vacancies": [VACANCY], "total": 1, "totalFiltered": 1, "totalPages": 1})
        return self._send(404, {"error": "not found"})

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        apis = self.apis
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        apis.requests.append(self.path)
        plan = apis.plan.get("/webhooks", [])
        behaviour = plan.pop(0) if plan else "ok"
        if behaviour == "slow":
            time.sleep(3)
        if behaviour == "500":
            return self._send(500, {"error": "server error"})
        if not self.path.startswith("/webhooks/"):
            return self._send(404, {"error": "not found"})
        apis.received.append(body)
        replies = []
        for reply in apis.rasa_replies:
            reply = {"recipient_id": body.get("sender"), **reply}
            if isinstance(reply.get("text"), str):
                reply["text"] = reply["text"].replace("{message}", body.get("message", ""))
            replies.append(reply)
        return self._send(200, replies)


@contextmanager
def serve_fake_apis() -> Iterator[FakeApis]:
    """Start the fake APIs on a free port of 127.0.0.1; stop them on exit."""
    handler = type("Handler", (_Handler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    apis = FakeApis(url=f"http://127.0.0.1:{server.server_address[1]}")
    handler.apis = apis
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield apis
    finally:
        server.shutdown()
        server.server_close()
