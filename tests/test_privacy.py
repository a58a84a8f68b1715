"""Personal data never reaches storage: messages holding it are sent to the real servers, then the
conversations database is read directly (SQLite, and PostgreSQL). Also the privacy notice page."""

from __future__ import annotations

import re
import time

import pytest
import requests
import sqlalchemy as sa

from deploy.launcher import Assistant, running_web_app
from tests.conftest import OnPostgres, worker_caught_up
from tests.web_chat import WebChat

pytestmark = pytest.mark.e2e

SAID = [
    "my email is amy.smith99@gmail.com",
    "you can call me on 07700 900123 or 07700900124",
    "any work experience near L3 5TF",
    "my name is Jordan and I like art",
    "I live at 12 Acacia Avenue",
    "my birthday is 03/05/2011",
    "I'm Jessica Thompson from year 10",
    "my other email is jess dot thompson at hotmail dot co dot uk",
    "is there work experience near SW1A 1AA",  # the NLU splits it into two entities
    "add me on snap jess_t2010",
]
NEVER_STORED = [
    "amy.smith99",
    "gmail",
    "900123",
    "07700900124",
    "5TF",
    "Jordan",
    "Acacia",
    "03/05/2011",
    "Jessica",
    "Thompson",
    "hotmail",
    "1AA",
    "jess_t2010",
]
LABELS = [
    "[email]",
    "[phone]",
    "L3 [postcode]",
    "[name]",
    "[address]",
    "[date]",
    "SW1A [postcode]",
    "[handle]",
]


def _stored(tracker_url: str, sender: str) -> str:
    engine = sa.create_engine(tracker_url, future=True)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("select type_name, intent_name, action_name, data from events where sender_id = :s"),
            {"s": sender},
        ).all()
    engine.dispose()
    assert rows, "nothing was stored: is the redacting tracker store in use?"
    return "\n".join(" ".join(str(v) for v in row) for row in rows)


def _send_personal_data(web: str) -> tuple[str, str]:
    chat = WebChat(web)
    return chat.sender, "\n".join(chat.say(text)[0] for text in SAID)


DATES = re.compile(r"\d{1,2} [A-Z][a-z]{2} to \d{1,2} [A-Z][a-z]{2} \d{4}")


def _check(stored: str, replies: str) -> None:
    for personal in NEVER_STORED:
        # As a word of its own: "1aa" may turn up inside a random message id such as "...58b1aa43...".
        found = re.search(rf"(?<![0-9a-z]){re.escape(personal)}(?![0-9a-z])", stored, re.IGNORECASE)
        assert found is None, f"{personal!r} was stored:\n{stored}"
    for label in LABELS:
        assert label in stored, f"no {label} in what was stored:\n{stored}"
    assert "L3" in replies, replies  # the search still ran on the full postcode's area
    # What the assistant said is kept as the student saw it: the dates of a listing are not a birthday.
    shown_dates = DATES.findall(replies)
    assert shown_dates, replies
    assert all(d in stored for d in shown_dates), f"{shown_dates} not all kept in:\n{stored}"


@pytest.fixture(scope="module")
def web(servers: Assistant, tmp_path_factory: pytest.TempPathFactory):
    env = {"TRACKER_DATABASE_URL": servers.tracker_url}
    with running_web_app(tmp_path_factory.mktemp("web_privacy"), servers.rasa_url, env) as url:
        yield url


def test_personal_data_never_reaches_the_sqlite_tracker_store(servers: Assistant, web: str):
    sender, replies = _send_personal_data(web)
    _check(_stored(servers.tracker_url, sender), replies)


def test_personal_data_never_reaches_the_postgresql_tracker_store(on_postgres: OnPostgres):
    sender, replies = _send_personal_data(on_postgres.web)
    _check(_stored(on_postgres.assistant.tracker_url, sender), replies)


def test_the_privacy_notice_explains_in_plain_words(web: str):
    page = requests.get(f"{web}/privacy", timeout=10)
    assert page.status_code == 200
    for plain in (
        "does not know who you are",
        "deleted automatically after 12 months",
        "safeguarding lead",
        "Delete my chat",
    ):
        assert plain in page.text
    assert 'href="/privacy"' in requests.get(f"{web}/demo", timeout=10).text


STORES = ("events", "analytics_turns", "analytics_conversations", "analytics_facts")


def _kept(tracker_url: str, sender: str) -> dict[str, int]:
    """How many rows each store of the conversations database holds for one chat id."""
    engine = sa.create_engine(tracker_url, future=True)
    with engine.connect() as conn:
        counts = {
            table: conn.execute(
                sa.text(f"select count(*) from {table} where sender_id = :s"), {"s": sender}
            ).scalar_one()
            for table in STORES
        }
    engine.dispose()
    return counts


def _forget(web: str, sender: object, **headers: str) -> requests.Response:
    return requests.post(f"{web}/api/chat/demo/forget", json={"sender": sender}, headers=headers, timeout=30)


def test_delete_my_chat_deletes_it_everywhere_and_nothing_comes_back(servers: Assistant, web: str):
    chat = WebChat(web)
    chat.say("what does a nurse do")
    chat.say("how much do they earn")
    worker_caught_up(servers.tracker_url)
    assert all(_kept(servers.tracker_url, chat.sender).values()), "the chat was not stored to begin with"
    reply = _forget(web, chat.sender)
    assert reply.status_code == 200, reply.text
    assert reply.json()["deleted"] is True and "has been deleted" in reply.json()["message"]
    assert _kept(servers.tracker_url, chat.sender) == dict.fromkeys(STORES, 0)
    chat.say("and the hours?")  # a message already on its way when the chat was deleted
    worker_caught_up(servers.tracker_url)
    time.sleep(2)  # the worker's next pass deletes it again
    assert _kept(servers.tracker_url, chat.sender) == dict.fromkeys(STORES, 0)


def test_a_chat_with_a_risk_message_stays_for_the_safeguarding_lead_when_the_student_deletes_it(
    servers: Assistant, web: str
):
    chat = WebChat(web)
    chat.say("what does a vet do")
    chat.say("i want to kill myself")
    reply = _forget(web, chat.sender)
    assert reply.status_code == 200, reply.text
    assert reply.json()["deleted"] is False and "safeguarding lead keeps a copy" in reply.json()["message"]
    worker_caught_up(servers.tracker_url)
    kept = _kept(servers.tracker_url, chat.sender)
    assert kept["events"] and kept["analytics_conversations"], kept
    engine = sa.create_engine(servers.tracker_url, future=True)
    with engine.connect() as conn:
        risks = conn.execute(
            sa.text("select risk_messages from analytics_conversations where sender_id = :s"),
            {"s": chat.sender},
        ).scalar_one()
    engine.dispose()
    assert risks == 1


def test_delete_my_chat_refuses_a_bad_request_or_another_site_with_a_clear_answer(web: str):
    assert _forget(web, "short").status_code == 400
    assert _forget(web, {"$ne": None}).status_code == 400
    not_json = requests.post(f"{web}/api/chat/demo/forget", data=b"\xff{", timeout=10)
    assert not_json.status_code == 400 and "chat id" in not_json.json()["error"]
    elsewhere = _forget(web, "a" * 32, Origin="https://not-the-school.example")
    assert elsewhere.status_code == 403 and "not set up" in elsewhere.json()["error"]
    assert _forget(web, "a" * 32).json()["deleted"] is True  # an unknown chat: nothing to delete, no error
