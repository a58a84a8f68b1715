"""Hostile and broken input, against the running servers: the web app in front of the real Rasa server
and action server, as a student's browser reaches them.

Every case gets a sensible answer (a reply, or a plain explanation), nothing comes back as markup, and
the next ordinary message in the same chat still works. Rasa's HTTP API needs its token; sending too fast
gets a clear answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from deploy.launcher import Assistant, running_web_app
from tests.web_chat import WebChat, shown

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def web(servers: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_web_app(tmp_path_factory.mktemp("web_hostile"), servers.rasa_url) as url:
        yield url


def _text(reply: requests.Response) -> str:
    return "\n".join(shown(m) for m in reply.json().get("messages", []))


ANSWERED = {
    "emoji only": "🤖🚀🎉",
    "control characters": "what does a\x00 nurse\x07 do\x1b[31m",
    "right-to-left override": "\u202ewhat does a nurse do\u202c",
    "zero-width characters": "what\u200b does\u200d a nurse do",
    "html": "<b>hi</b><img src=x onerror=alert(1)>",
    "script": "<script>alert('x')</script> what does a vet do",
    "sql": "'; DROP TABLE events; --",
    "sql in a career": "what does a nurse' OR '1'='1 do",
    "template syntax": "{{7*7}} ${7*7} {% raw %}",
    "welsh": "Beth mae nyrs yn ei wneud?",
    "polish": "Ile zarabia programista?",
    "arabic": "ماذا يفعل المهندس؟",
    "chinese": "程序员做什么工作",
    "urdu": "ڈاکٹر بننے کے لیے کیا کرنا ہوگا",
    "one long word": "a" * 999,
    "many words": " ".join(["career"] * 140),
}


@pytest.mark.parametrize("message", ANSWERED.values(), ids=ANSWERED.keys())
def test_odd_messages_get_a_reply_never_markup_and_the_chat_carries_on(web: str, message: str):
    chat = WebChat(web)
    reply = chat.send(message)
    assert reply.status_code == 200, reply.text
    said = _text(reply)
    assert said.strip(), "the student got no answer"
    for markup in ("<script", "<img", "onerror", "<b>", "\u202e", "\x00"):
        assert markup not in said
    follow_up = chat.send("what does an electrician do")
    assert follow_up.status_code == 200 and "Electrician" in _text(follow_up)


EXPLAINED = {
    "empty": ("", 400, "Type a message first"),
    "whitespace only": (" \t\n\u3000 ", 400, "Type a message first"),
    "control characters only": ("\x00\x01\x1b", 400, "Type a message first"),
    "10,000 characters": ("what does a nurse do " * 500, 413, "keep it under 1000 characters"),
    "not text": ({"text": "hi"}, 400, "Type a message first"),
}


@pytest.mark.parametrize(("message", "status", "says"), EXPLAINED.values(), ids=EXPLAINED.keys())
def test_messages_that_cannot_be_sent_are_explained_and_the_chat_carries_on(web, message, status, says):
    chat = WebChat(web)
    reply = chat.send(message)
    assert reply.status_code == status and says in reply.json()["error"]
    follow_up = chat.send("how much does a plumber earn")
    assert follow_up.status_code == 200 and "plumber" in _text(follow_up).lower()


def test_sql_in_a_message_is_stored_as_text_and_the_tables_survive(web: str, servers: Assistant):
    chat = WebChat(web)
    chat.send("'); DELETE FROM events; DROP TABLE events; --")
    assert chat.send("what does a vet do").status_code == 200
    engine = sa.create_engine(servers.tracker_url, future=True)
    with engine.connect() as conn:
        texts = conn.execute(
            sa.text("select data from events where sender_id = :s and type_name = 'user' order by id"),
            {"s": chat.sender},
        ).scalars()
        stored = list(texts)
    engine.dispose()
    assert len(stored) == 2 and "DROP TABLE events" in stored[0]


def test_rasa_itself_survives_a_10000_character_message(servers: Assistant):
    sender = uuid.uuid4().hex
    assert servers.say(sender, "what does a nurse do " * 500)
    assert "Electrician" in "\n".join(
        r.get("text", "") for r in servers.say(sender, "what does an electrician do")
    )


def test_rasa_http_api_needs_the_token(servers: Assistant):
    tracker = f"{servers.rasa_url}/conversations/{uuid.uuid4().hex}/tracker"
    assert requests.get(tracker, timeout=10).status_code == 401
    assert requests.get(tracker, params={"token": "wrong"}, timeout=10).status_code == 401
    parse = f"{servers.rasa_url}/model/parse"
    assert requests.post(parse, json={"text": "hi"}, timeout=10).status_code == 401
    assert (
        requests.get(tracker, params={"token": servers.env["RASA_API_TOKEN"]}, timeout=10).status_code == 200
    )


def test_sending_too_fast_gets_a_clear_answer_per_chat_and_per_address(servers: Assistant, tmp_path: Path):
    limits = {"CHAT_LIMIT_PER_SENDER": "3", "CHAT_LIMIT_PER_ADDRESS": "6"}
    with running_web_app(tmp_path, servers.rasa_url, limits) as web:
        eager, other = WebChat(web), WebChat(web)
        for _ in range(3):
            assert eager.send("hi").status_code == 200
        refused = eager.send("hi")
        assert refused.status_code == 429
        assert "wait" in refused.json()["error"] and int(refused.headers["Retry-After"]) >= 1
        # Another chat from the same address still gets through until the address's own limit.
        assert other.send("hi").status_code == 200
        assert other.send("hi").status_code == 200
        assert other.send("hi").status_code == 429
