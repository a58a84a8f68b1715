"""A person when the assistant is not enough, over real HTTP against the real assistant: a student asks
for a careers adviser, the adviser sees the chat in the queue live and answers, the assistant stays
quiet (except for safeguarding) until the chat is handed back, the answer waits for a student who asked
out of hours, and every request that is wrong gets a clear 4xx. The live streams are read as a browser
reads them (Server-Sent Events)."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from analytics import accounts
from analytics.models import Handover, HandoverMessage
from analytics.sync import conversations_engine
from deploy.launcher import Assistant, running_web_app
from settings.hours import DAYS, UK
from tests.web_chat import WebChat

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"


def schools_file(folder: Path, hours: str) -> Path:
    path = folder / "schools.yml"
    path.write_text(
        "schools:\n  - id: demo\n    name: Demo High School\n    allowed_origins: []\n"
        f"    adviser_hours: {hours}\n"
        "  - id: riverside\n    name: Riverside Academy\n    allowed_origins: []\n"
        "    adviser_hours: Mon-Sun 00:00-23:59\n"
    )
    return path


def not_today() -> tuple[str, str]:
    """Adviser hours on a day that is not today (UK time), and how the student is told them."""
    day = (dt.datetime.now(UK).weekday() + 2) % 7
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    return f"{DAYS[day].title()} 09:00-10:00", f"on {names[day]}s from 9am to 10am"


@dataclass
class Site:
    web: str  # advisers are in at any hour
    closed_web: str  # advisers are in on another day only
    closed_hours: str
    engine: sa.engine.Engine


@pytest.fixture(scope="module")
def site(servers: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    engine = conversations_engine(servers.tracker_url)
    accounts.create_user(engine, "h-adviser", PASSWORD, "adviser", ["demo"])
    accounts.create_user(engine, "h-dsl", PASSWORD, "safeguarding", ["demo"])
    accounts.create_user(engine, "h-teacher", PASSWORD, "teacher", ["demo"], ["9X"])
    accounts.create_user(engine, "h-riverside", PASSWORD, "adviser", ["riverside"])
    hours, told = not_today()
    open_folder, closed_folder = tmp_path_factory.mktemp("handover"), tmp_path_factory.mktemp("handover_ooh")
    env = {"TRACKER_DATABASE_URL": servers.tracker_url}
    always = {**env, "SCHOOLS_FILE": str(schools_file(open_folder, "Mon-Sun 00:00-23:59"))}
    other_day = {**env, "SCHOOLS_FILE": str(schools_file(closed_folder, hours))}
    with (
        running_web_app(open_folder, servers.rasa_url, always) as web,
        running_web_app(closed_folder, servers.rasa_url, other_day) as closed_web,
    ):
        yield Site(web, closed_web, told, engine)
    engine.dispose()


def sign_in(web: str, username: str) -> requests.Session:
    session = requests.Session()
    reply = session.post(
        f"{web}/dashboard/login", data={"username": username, "password": PASSWORD}, timeout=10
    )
    assert reply.status_code == 200 and reply.url.endswith("/dashboard"), reply.text[:300]
    return session


def csrf(session: requests.Session, web: str) -> str:
    html = session.get(f"{web}/dashboard/handovers", timeout=10).text
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


class Stream:
    """A Server-Sent Events stream, read event by event as EventSource reads it."""

    def __init__(self, url: str, session: requests.Session | None = None, **headers: str) -> None:
        self.reply = (session or requests).get(url, stream=True, timeout=(5, 20), headers=headers)
        self._lines = self.reply.iter_lines(decode_unicode=True)

    def next(self, name: str, until: Callable[[dict], bool] = lambda data: True) -> dict:
        """The next event called ``name`` whose data passes ``until`` (skipping others)."""
        event, data = None, None
        for line in self._lines:
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = json.loads(line[6:])
            elif line == "" and event is not None:
                if event == name and until(data):
                    return data
                event, data = None, None
        raise AssertionError(f"the stream ended before a {name!r} event")

    def close(self) -> None:
        self.reply.close()


def ask_for_person(chat: WebChat) -> dict:
    reply = chat.send("can i talk to a real person please")
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body.get("handover", {}).get("status") == "waiting", body
    return body


def answer(session: requests.Session, web: str, handover_id: int, text: str) -> requests.Response:
    return session.post(
        f"{web}/dashboard/handovers/{handover_id}/messages",
        data={"csrf": csrf(session, web), "text": text},
        headers={"Accept": "application/json"},
        timeout=10,
    )


def stored(engine: sa.engine.Engine, handover_id: int) -> tuple[Handover, list[HandoverMessage]]:
    with engine.connect() as conn:
        row = conn.execute(sa.select(Handover).where(Handover.id == handover_id)).one()
        messages = conn.execute(
            sa.select(HandoverMessage)
            .where(HandoverMessage.handover_id == handover_id)
            .order_by(HandoverMessage.id)
        ).all()
    return row, messages


def test_a_student_asks_for_a_person_an_adviser_answers_live_and_hands_back(site: Site):
    adviser = sign_in(site.web, "h-adviser")
    queue = Stream(f"{site.web}/dashboard/handovers/events", adviser)
    queue.next("queue")  # the adviser has the queue open: an adviser is in
    chat = WebChat(site.web)
    body = ask_for_person(chat)
    text = " ".join(m["text"] for m in body["messages"])
    assert "asked your school's careers advisers" in text and "An adviser is online" in text, text
    handover_id = body["handover"]["id"]

    row = queue.next("queue", lambda rows: any(r["id"] == handover_id for r in rows))
    mine = next(r for r in row if r["id"] == handover_id)
    assert mine["state"] == "waiting" and mine["school"] == "Demo High School"
    assert chat.sender not in json.dumps(row)  # the queue shows a stand-in id, never the chat id

    student = Stream(f"{site.web}/api/chat/demo/handover?sender={chat.sender}")
    assert student.next("status")["status"] == "waiting"
    assert answer(adviser, site.web, handover_id, "Hi, I'm one of the careers advisers. How can I help?").ok
    said = student.next("message")
    assert said["from"] == "adviser" and said["text"].startswith("Hi, I'm one of the careers advisers")
    assert student.next("status")["status"] == "active"

    # While the adviser has the chat the assistant says nothing, and the adviser gets the message.
    quiet = chat.send("what does a vet do")
    assert quiet.status_code == 200 and quiet.json()["messages"] == [], quiet.text
    page = Stream(f"{site.web}/dashboard/handovers/{handover_id}/events", adviser)
    assert page.next("message", lambda m: m["from"] == "student" and m["text"] == "what does a vet do")

    closed = adviser.post(
        f"{site.web}/dashboard/handovers/{handover_id}/close",
        data={"csrf": csrf(adviser, site.web)},
        headers={"Accept": "application/json"},
        timeout=10,
    )
    assert closed.ok
    assert student.next("message")["from"] == "note"
    assert student.next("status")["status"] == "closed"
    with pytest.raises(AssertionError, match="ended"):
        student.next("message")  # the stream ends once the chat is handed back
    back, _ = chat.say("what does a vet do")
    assert "Vet" in back, back  # the assistant answers again
    for stream in (queue, page):
        stream.close()


def test_with_an_adviser_personal_data_is_taken_out_and_a_risk_message_still_gets_help_and_flags_the_chat(
    site: Site,
):
    chat = WebChat(site.web)
    handover_id = ask_for_person(chat)["handover"]["id"]
    assert chat.send("my number is 07700 900123 can you ring me").json()["messages"] == []
    risky = chat.send("i want to kill myself")
    assert risky.status_code == 200
    reply = " ".join(m.get("text", "") for m in risky.json()["messages"])
    assert "Childline" in reply and "0800 1111" in reply, reply

    row, messages = stored(site.engine, handover_id)
    texts = [m.text for m in messages]
    assert "my number is [phone] can you ring me" in texts, texts
    assert not any("900123" in t for t in texts)
    assert row.risk and any(m.risk for m in messages)
    # The adviser sees what the assistant told the student, and nothing else the assistant said.
    assert [m.author for m in messages if "Childline" in m.text] == ["assistant"]
    said = [(m.author, m.text[:50]) for m in messages]
    assert [a for a, _ in said].count("assistant") == 1, said

    dsl = sign_in(site.web, "h-dsl")
    queue = Stream(f"{site.web}/dashboard/handovers/events", dsl).next("queue")
    assert queue[0]["id"] == handover_id and queue[0]["risk"], "a chat at risk comes first"
    page = dsl.get(f"{site.web}/dashboard/handovers/{handover_id}", timeout=10).text
    assert "A message in this chat signalled a risk" in page and "[phone]" in page
    kept = requests.post(f"{site.web}/api/chat/demo/forget", json={"sender": chat.sender}, timeout=10)
    assert kept.json()["deleted"] is False  # safeguarding keeps it, handover and all
    assert stored(site.engine, handover_id)[0].risk


def test_out_of_hours_the_student_is_told_when_and_the_answer_waits_for_the_next_visit(site: Site):
    chat = WebChat(site.closed_web)
    body = ask_for_person(chat)
    text = " ".join(m["text"] for m in body["messages"])
    assert f"They answer {site.closed_hours}, so expect an answer after 9am" in text, text
    assert "waiting here when you next open this chat" in text
    handover_id = body["handover"]["id"]

    adviser = sign_in(site.closed_web, "h-adviser")
    assert answer(adviser, site.closed_web, handover_id, "Sorry for the wait: here's what I'd suggest.").ok
    # The browser comes back later: the answer is waiting, and only what it has not seen is sent again.
    later = Stream(f"{site.closed_web}/api/chat/demo/handover?sender={chat.sender}&after=0")
    said = later.next("message")
    assert said["text"] == "Sorry for the wait: here's what I'd suggest."
    again = Stream(
        f"{site.closed_web}/api/chat/demo/handover?sender={chat.sender}", **{"Last-Event-ID": str(said["id"])}
    )
    assert again.next("status")["status"] == "active"  # nothing before it: already seen
    later.close()
    again.close()


def test_after_failing_to_understand_twice_the_assistant_offers_a_person(site: Site):
    chat = WebChat(site.web)
    first, buttons = chat.say("zxqv wplk")
    assert "Ask a careers adviser" not in [b["title"] for b in buttons], first
    second, buttons = chat.say("qqzx vbnm")
    offer = next((b for b in buttons if b["title"] == "Ask a careers adviser"), None)
    assert offer is not None, (first, second, buttons)
    assert "careers advisers" in second
    assert ask_for_person_by(chat, offer["payload"])


def ask_for_person_by(chat: WebChat, payload: str) -> bool:
    reply = chat.send(payload)
    return reply.status_code == 200 and reply.json().get("handover", {}).get("status") == "waiting"


def test_the_student_can_go_back_to_the_assistant_and_delete_my_chat_deletes_the_handover(site: Site):
    chat = WebChat(site.web)
    handover_id = ask_for_person(chat)["handover"]["id"]
    assert chat.send("hello?").json()["messages"] == []
    back = requests.post(f"{site.web}/api/chat/demo/handover/end", json={"sender": chat.sender}, timeout=10)
    assert back.ok and "careers assistant" in back.json()["message"]
    row, messages = stored(site.engine, handover_id)
    assert row.status == "closed" and messages[-1].text == "The student went back to the assistant."
    deleted = requests.post(f"{site.web}/api/chat/demo/forget", json={"sender": chat.sender}, timeout=10)
    assert deleted.json()["deleted"] is True
    with site.engine.connect() as conn:
        assert conn.execute(sa.select(Handover).where(Handover.id == handover_id)).first() is None
        assert (
            conn.execute(sa.select(HandoverMessage).where(HandoverMessage.handover_id == handover_id)).first()
            is None
        )


def test_wrong_requests_get_a_clear_refusal(site: Site):
    web = site.web
    assert requests.get(f"{web}/api/chat/demo/handover?sender=nope", timeout=10).status_code == 400
    unknown = Stream(f"{web}/api/chat/demo/handover?sender={uuid.uuid4().hex}")
    assert unknown.next("status") == {"status": "none"}  # the widget stops asking
    other = requests.get(
        f"{web}/api/chat/demo/handover?sender={uuid.uuid4().hex}",
        headers={"Origin": "https://evil.example"},
        timeout=10,
    )
    assert other.status_code == 403 and "not set up" in other.json()["error"]
    assert requests.post(f"{web}/api/chat/demo/handover/end", data="{", timeout=10).status_code == 400

    chat = WebChat(web)
    handover_id = ask_for_person(chat)["handover"]["id"]
    adviser = sign_in(web, "h-adviser")
    assert answer(adviser, web, handover_id, "   ").status_code == 400
    assert answer(adviser, web, handover_id, "x" * 2001).status_code == 400
    forged = adviser.post(
        f"{web}/dashboard/handovers/{handover_id}/messages", data={"csrf": "x", "text": "hi"}, timeout=10
    )
    assert forged.status_code == 403 and "expired" in forged.text
    markup = answer(adviser, web, handover_id, "<script>alert(1)</script>")
    assert markup.ok
    page = adviser.get(f"{web}/dashboard/handovers/{handover_id}", timeout=10).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page

    teacher = sign_in(web, "h-teacher")
    assert teacher.get(f"{web}/dashboard/handovers", timeout=10).status_code == 403
    elsewhere = sign_in(web, "h-riverside")
    assert elsewhere.get(f"{web}/dashboard/handovers/{handover_id}", timeout=10).status_code == 403
    assert all(
        r["id"] != handover_id for r in Stream(f"{web}/dashboard/handovers/events", elsewhere).next("queue")
    )
    assert elsewhere.get(f"{web}/dashboard/handovers/{handover_id}/events", timeout=10).status_code == 404
    assert requests.get(f"{web}/dashboard/handovers", timeout=10, allow_redirects=False).status_code == 303

    requests.post(f"{web}/api/chat/demo/handover/end", json={"sender": chat.sender}, timeout=10)
    late = answer(adviser, web, handover_id, "are you still there?")
    assert late.status_code == 409 and "handed back" in late.json()["error"]
