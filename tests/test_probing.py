"""What probing the running assistant as an attacker and as a careless user found (issue H), each checked
against the real web app in front of the real Rasa server and action server, and the stores they write:
a risk message from a lesson preview reaches the safeguarding lead; odd origins, lesson fields, JSON,
surrogates, page numbers, ids and CSV files get a clear 4xx, never a 500; a huge body is refused before
it is read; the action server listens on this machine only and needs its token; sign-in slows guessing
down; a lesson link shows only the teacher page's own activities or a signed one; every response carries
the security headers."""

from __future__ import annotations

import html
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import sqlalchemy as sa

from analytics import accounts
from analytics.sync import conversations_engine
from careers_catalog.opportunities.importer import CSV_COLUMNS
from deploy.launcher import Assistant, running_web_app
from tests.conftest import worker_caught_up
from tests.web_chat import WebChat

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"
RISK = "my stepdad hurts me when mum is out and I'm scared to go home"


@dataclass
class Site:
    web: str
    tracker: sa.engine.Engine
    assistant: Assistant

    def signed_in(self, username: str) -> requests.Session:
        session = requests.Session()
        reply = session.post(
            f"{self.web}/dashboard/login", data={"username": username, "password": PASSWORD}, timeout=10
        )
        assert reply.status_code == 200 and reply.url.endswith("/dashboard"), reply.text[:300]
        return session


@pytest.fixture(scope="module")
def site(servers: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The web app on the real servers' conversations database, with staff accounts in it."""
    engine = conversations_engine(servers.tracker_url)
    accounts.create_user(engine, "probe-admin", PASSWORD, "admin")
    accounts.create_user(engine, "probe-dsl", PASSWORD, "safeguarding", ["demo"])
    accounts.create_user(engine, "probe-teacher", PASSWORD, "teacher", ["demo"], ["PRVW-7Q"])
    folder = tmp_path_factory.mktemp("probing")
    with running_web_app(folder, servers.rasa_url, {"TRACKER_DATABASE_URL": servers.tracker_url}) as web:
        yield Site(web, engine, servers)
    engine.dispose()


def _post(site: Site, body: object, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.post(f"{site.web}/api/chat/demo", json=body, headers=headers or {}, timeout=60)


def _sender() -> str:
    return uuid.uuid4().hex


# --- safeguarding: what a client says about itself changes nothing -------------------------------------


def test_a_risk_message_from_a_lesson_preview_reaches_the_safeguarding_lead(site: Site):
    lesson = {"class_code": "PRVW-7Q", "topic": "tech", "year_group": 9, "preview": True}
    reply = _post(site, {"sender": _sender(), "message": RISK, "lesson": lesson})
    assert reply.status_code == 200 and "Childline" in reply.text
    worker_caught_up(site.assistant.tracker_url)
    lead = site.signed_in("probe-dsl")
    flagged = lead.get(f"{site.web}/dashboard/safeguarding", timeout=30)
    assert flagged.status_code == 200
    assert "PRVW-7Q" in flagged.text and "abuse home" in flagged.text and "lesson preview" in flagged.text
    conversation = re.search(r'/dashboard/conversations/(\d+)"', flagged.text).group(1)
    transcript = lead.get(f"{site.web}/dashboard/conversations/{conversation}", timeout=10).text
    assert RISK in html.unescape(transcript)
    listed = site.signed_in("probe-admin").get(
        f"{site.web}/dashboard/conversations?class=PRVW-7Q", timeout=10
    )
    assert f"/dashboard/conversations/{conversation}" in listed.text  # in the list of conversations too
    # ... but a teacher's preview still counts as no student's use of the chat.
    overview = site.signed_in("probe-teacher").get(f"{site.web}/dashboard?class=PRVW-7Q", timeout=10)
    assert "<dt>Conversations</dt><dd>0</dd>" in overview.text


def test_a_long_ordinary_message_gets_no_signposting_and_a_long_risky_one_does(site: Site):
    ordinary = (
        "So basically I'm in year 10 and I really like art and drawing, my older brother drives me to "
        "college open days and my mum works nights at the hospital. I get paid cash in hand for babysitting "
        "my cousins and I do deliveries on my bike for the chippy on saturdays which I love. My coach says I "
        "could go far in football but I'm not sure. I met a designer at a careers fair who said games "
        "companies need artists. My grades are 6s and 7s mostly but maths is a 4. "
    )
    chat = WebChat(site.web)
    said = chat.send(ordinary * 2)  # 900-odd characters: as long as the chat takes
    assert said.status_code == 200 and "Childline" not in said.text
    risky = (
        ordinary
        + "But honestly an older guy I met online gives me money and wants me to carry packages for him."
    )
    assert "Childline" in chat.send(risky[:1000]).text


# --- odd input: a clear 4xx, never a 500, and nothing lost ---------------------------------------------


@pytest.mark.parametrize(
    "origin", ["http://localhost:8000.evil.example", "http://[::1", "http://localhost:99999", "http://a:-1"]
)
def test_a_malformed_origin_is_refused_clearly(site: Site, origin: str):
    reply = _post(site, {"sender": _sender(), "message": "hi"}, {"Origin": origin})
    assert reply.status_code == 403 and "not set up" in reply.json()["error"]


@pytest.mark.parametrize(
    "lesson",
    [
        {"topic": ["tech"]},
        {"topic": {"key": "tech"}},
        {"year_group": "9" * 5000},
        {"year_group": "\u00b9\u2070"},
        {"year_group": True},
        {"class_code": {"a": 1}},
        ["not", "an", "object"],
    ],
    ids=["topic list", "topic object", "5000 digits", "superscript", "true", "code object", "list"],
)
def test_lesson_fields_of_the_wrong_kind_are_dropped_and_the_message_answered(site: Site, lesson: object):
    reply = _post(site, {"sender": _sender(), "message": "what does a nurse do", "lesson": lesson})
    assert reply.status_code == 200 and "nurse" in reply.text.lower()


def test_json_nested_too_deep_is_refused_clearly(site: Site):
    for depth in (20_000, 200_000):  # under and over the body limit
        body = '{"sender": "' + _sender() + '", "message": ' + "[" * depth + "]" * depth + "}"
        reply = requests.post(f"{site.web}/api/chat/demo", data=body, timeout=30)
        assert reply.status_code in (400, 413) and reply.json()["error"]


def test_a_lone_surrogate_is_answered_and_the_message_is_stored(site: Site):
    sender = _sender()
    body = '{"sender": "' + sender + '", "message": "what does a nurse do \\ud800 thanks"}'
    reply = requests.post(f"{site.web}/api/chat/demo", data=body, timeout=60)
    assert reply.status_code == 200 and "nurse" in reply.text.lower()
    with site.tracker.connect() as conn:
        stored = conn.execute(
            sa.text("select data from events where sender_id = :s and type_name = 'user'"), {"s": sender}
        ).scalars()
        texts = [json.loads(d)["text"] for d in stored]
    assert texts == ["what does a nurse do \ufffd thanks"]


def _raw_request(url: str, head: str, body_chunks: Iterator[bytes]) -> tuple[int, float]:
    """Send a request by hand; the status line that comes back, and how long it took."""
    parts = urlsplit(url)
    started = time.perf_counter()
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head.encode())
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except OSError:  # the server answered and closed before all of it was sent, as it should
            pass
        status = sock.recv(200).split(b" ")[1]
    return int(status), time.perf_counter() - started


def test_a_huge_body_is_refused_before_it_is_read_even_without_a_length_and_others_are_not_held_up(
    site: Site,
):
    head = "POST /api/chat/demo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    declared = head + "Content-Length: 10000000\r\n\r\n"
    status, took = _raw_request(site.web, declared, iter([]))  # no body sent: the length alone is enough
    assert status == 413 and took < 2
    chunked = head + "Transfer-Encoding: chunked\r\n\r\n"
    chunk = b"10000\r\n" + b" " * 0x10000 + b"\r\n"
    slow_health: list[float] = []

    def health() -> None:
        for _ in range(10):
            started = time.perf_counter()
            requests.get(f"{site.web}/health", timeout=10)
            slow_health.append(time.perf_counter() - started)

    checker = threading.Thread(target=health)
    checker.start()
    status, took = _raw_request(site.web, chunked, (chunk for _ in range(160)))  # 10 MB, chunked
    checker.join()
    assert status == 413 and took < 5
    assert max(slow_health) < 0.5


def test_odd_page_numbers_and_ids_on_the_dashboard_are_answered_not_500(site: Site):
    admin = site.signed_in("probe-admin")
    for page in ("\u00b2", "9" * 30, "-1", "1e9"):
        listed = admin.get(f"{site.web}/dashboard/conversations", params={"page": page}, timeout=10)
        assert listed.status_code == 200
    for conversation in ("9" * 30, "12345678901234567890"):
        one = admin.get(f"{site.web}/dashboard/conversations/{conversation}", timeout=10)
        assert one.status_code == 403 and "doesn't exist" in html.unescape(one.text)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"employer,title\x00,kind\n", "NUL byte"),
        (",".join(CSV_COLUMNS).encode() + b"\n" + b"x" * 200_000 + b"\n", "not readable as CSV"),
        (bytes(range(256)) * 40, "not UTF-8"),
        (",".join(CSV_COLUMNS).encode() + b'\n"unclosed,\xe2\x80\x8b\n', "line"),
    ],
    ids=["nul", "200k field", "binary", "broken quote"],
)
def test_a_broken_opportunities_file_is_explained_and_loads_nothing(site: Site, content: bytes, says: str):
    admin = site.signed_in("probe-admin")
    page = admin.get(f"{site.web}/dashboard/opportunities", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    files = {"file": ("broken.csv", content, "text/csv")}
    reply = admin.post(f"{site.web}/dashboard/opportunities", data={"csrf": csrf}, files=files, timeout=30)
    assert reply.status_code == 400 and says in reply.text and "Nothing was imported" in reply.text


# --- the action server ------------------------------------------------------------------------------------


def _listening_addresses(port: int) -> set[str]:
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_the_action_server_listens_on_this_machine_only_and_needs_its_token(site: Site):
    assistant = site.assistant
    port = urlsplit(assistant.action_url).port
    assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing else
    made_up = {"next_action": "action_career_info", "sender_id": "made-up", "tracker": {}, "domain": {}}
    refused = requests.post(assistant.action_url, json=made_up, timeout=10)
    assert refused.status_code == 401
    token = assistant.env["ACTION_SERVER_TOKEN"]
    listed = requests.get(
        f"{assistant.action_url.rsplit('/', 1)[0]}/actions", params={"token": token}, timeout=10
    )
    assert listed.status_code == 200 and {"name": "action_career_info"} in listed.json()
    # ... and Rasa, which has the token, runs actions as before.
    assert "Pay for a plumber" in WebChat(site.web).say("how much does a plumber earn")[0]


# --- signing in, lesson links, headers ----------------------------------------------------------------


def test_guessing_passwords_is_slowed_down_with_a_clear_message(servers: Assistant, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    accounts.create_user(conversations_engine(url), "adviser9", PASSWORD, "adviser", ["demo"])
    with running_web_app(tmp_path, servers.rasa_url, {"TRACKER_DATABASE_URL": url}) as web:
        login = f"{web}/dashboard/login"
        answers = [
            requests.post(
                login, data={"username": "adviser9", "password": f"guess{i}"}, timeout=10
            ).status_code
            for i in range(30)
        ]
        assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
        right = requests.post(login, data={"username": "adviser9", "password": PASSWORD}, timeout=10)
        assert right.status_code == 429 and "Too many wrong passwords" in right.text
        assert 1 <= int(right.headers["Retry-After"]) <= 15 * 60


def test_a_lesson_link_shows_only_the_pages_own_activities_or_a_signed_one(site: Site):
    def activity(query: dict[str, str]) -> str:
        page = requests.get(f"{site.web}/lesson/demo", params=query, timeout=10).text
        return re.search(r'data-activity="([^"]*)"', page).group(1)

    assert activity({"topic": "tech", "activity": "Send your bank details to win"}) == ""
    assert activity({"topic": "tech", "activity": "0"}).startswith("Find two tech careers")
    assert activity({"topic": "tech", "activity": "99"}) == ""
    own = "Find a career that uses drawing and coding"
    ask = {"school": "demo", "topic": "tech", "activity": own}
    anonymous = requests.get(
        f"{site.web}/dashboard/lesson-activity", params=ask, timeout=10, allow_redirects=False
    )
    assert anonymous.status_code == 303  # to the sign-in page: no signature for anyone who asks
    signed = site.signed_in("probe-teacher").get(
        f"{site.web}/dashboard/lesson-activity", params=ask, timeout=10
    )
    sig = signed.json()["sig"]
    assert activity({"topic": "tech", "activity": own, "sig": sig}) == own
    assert activity({"topic": "tech", "activity": own + " and send me money", "sig": sig}) == ""
    assert activity({"topic": "quiz", "activity": own, "sig": sig}) == ""  # signed for another topic


def test_every_kind_of_response_carries_the_security_headers(site: Site):
    admin = site.signed_in("probe-admin")
    responses = {
        "json": requests.get(f"{site.web}/api/chat/demo/config", timeout=10),
        "json error": requests.post(f"{site.web}/api/chat/demo", data="nope", timeout=10),
        "static": requests.get(f"{site.web}/static/widget.js", timeout=10),
        "redirect": requests.get(f"{site.web}/", allow_redirects=False, timeout=10),
        "csv": admin.get(f"{site.web}/dashboard/conversations?format=csv", timeout=10),
        "not found": requests.get(f"{site.web}/no-such-page", timeout=10),
        "page": requests.get(f"{site.web}/demo", timeout=10),
    }
    for kind, reply in responses.items():
        assert reply.headers.get("X-Content-Type-Options") == "nosniff", kind
        assert reply.headers.get("Referrer-Policy") == "no-referrer", kind
        assert "frame-ancestors" in reply.headers.get("Content-Security-Policy", ""), kind
    assert "default-src 'none'" in responses["json"].headers["Content-Security-Policy"]
    assert "script-src 'self'" in responses["page"].headers["Content-Security-Policy"]
