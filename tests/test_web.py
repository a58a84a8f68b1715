"""The web app over real HTTP, with a Rasa stand-in on 127.0.0.1 (tests/fake_apis.py): the chat API's
per-school origins, what it passes to Rasa and what it refuses, its pages, and the printable plan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from careers_catalog import Catalog
from careers_catalog.careers.plan import build_plan, plan_from_link, plan_path
from careers_catalog.data_rules import CatalogDataError
from contract import MAX_MESSAGE_CHARS
from deploy.launcher import free_port, running_web_app
from settings.schools import load_schools
from tests.fake_apis import FakeApis, serve_fake_apis
from web.login_throttle import LoginThrottle
from web.login_throttle import wait_message as login_wait_message
from web.rate_limit import RateLimit, wait_message

SCHOOL_SITE = "https://www.example-school.sch.uk"
SCHOOLS = f"""
schools:
  - id: demo
    name: Demo High School
    allowed_origins: []
    colour: "#1d4e89"
    area: L3
  - id: example
    name: Example Academy
    allowed_origins: ["{SCHOOL_SITE}"]
    colour: "#ffd700"
    greeting: Hello from Example Academy.
"""
SENDER = "test-sender-0000000001"


@pytest.fixture(scope="module")
def rasa() -> Iterator[FakeApis]:
    with serve_fake_apis() as apis:
        yield apis


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web")


@pytest.fixture(scope="module")
def conversations(folder: Path) -> str:
    """The web app's conversations database, where the dashboard's tables live."""
    return f"sqlite:///{folder / 'conversations.db'}"


@pytest.fixture(scope="module")
def web(rasa: FakeApis, folder: Path, conversations: str) -> Iterator[str]:
    (folder / "schools.yml").write_text(SCHOOLS)
    env = {"SCHOOLS_FILE": str(folder / "schools.yml"), "TRACKER_DATABASE_URL": conversations}
    with running_web_app(folder, rasa.url, env) as url:
        yield url


@pytest.fixture(autouse=True)
def _reset(rasa: FakeApis) -> None:
    rasa.received.clear()
    rasa.plan.clear()
    rasa.rasa_replies = [{"text": "You said: {message}"}]


def chat(web: str, body: object, school: str = "demo", origin: str | None = None) -> requests.Response:
    headers = {"Origin": origin} if origin else {}
    return requests.post(f"{web}/api/chat/{school}", json=body, headers=headers, timeout=30)


# --- the chat API -----------------------------------------------------------------------------------------
def test_a_message_reaches_rasa_with_the_school_and_lesson_and_the_reply_comes_back(web, rasa):
    lesson = {"class_code": "9x-maths", "topic": "subject:Maths", "year_group": "9", "preview": True}
    reply = chat(web, {"sender": SENDER, "message": "what jobs use maths", "lesson": lesson})
    assert reply.status_code == 200
    assert reply.json() == {"messages": [{"text": "You said: what jobs use maths"}]}
    sent = rasa.received[-1]
    assert sent["sender"] == SENDER
    assert sent["metadata"] == {
        "school": "demo",
        "class_code": "9X-MATHS",
        "topic": "subject:Maths",
        "year_group": 9,
        "preview": True,  # a teacher trying the lesson out, for analytics to leave out
    }


def test_lesson_fields_that_are_not_well_formed_are_dropped_not_stored(web, rasa):
    lesson = {
        "class_code": "<script>alert(1)</script>",
        "topic": "DROP TABLE",
        "year_group": 42,
        "name": "Amy",
        "preview": "yes",
    }
    assert chat(web, {"sender": SENDER, "message": "hi", "lesson": lesson}).status_code == 200
    assert rasa.received[-1]["metadata"] == {"school": "demo"}


def test_control_characters_and_runs_of_space_are_cleaned_before_rasa_sees_them(web, rasa):
    chat(web, {"sender": SENDER, "message": "  what\x00 does a\u202e vet\n\n do \x1b[31m "})
    assert rasa.received[-1]["message"] == "what does a vet do [31m"


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"sender": SENDER, "message": "   "}, 400, "Type a message first."),
        ({"sender": SENDER, "message": None}, 400, "Type a message first."),
        ({"sender": SENDER, "message": "x" * 1001}, 413, "too long"),
        ({"sender": "short", "message": "hi"}, 400, "chat id"),
        ({"sender": "../../etc/passwd-00000", "message": "hi"}, 400, "chat id"),
        (["not", "an", "object"], 400, "chat id"),
    ],
)
def test_bad_requests_get_a_clear_answer_and_never_reach_rasa(web, rasa, body, status, says):
    reply = chat(web, body)
    assert reply.status_code == status
    assert says in reply.json()["error"]
    assert rasa.received == []


def test_a_body_that_is_not_json_is_refused_clearly(web):
    reply = requests.post(f"{web}/api/chat/demo", data=b"\xff\xfe<html>", timeout=10)
    assert reply.status_code == 400 and "JSON" in reply.json()["error"]


def test_a_school_that_is_not_set_up_is_refused(web):
    reply = chat(web, {"sender": SENDER, "message": "hi"}, school="nowhere")
    assert reply.status_code == 404 and "not set up" in reply.json()["error"]


def test_only_the_schools_own_websites_may_use_its_chat(web, rasa):
    allowed = chat(web, {"sender": SENDER, "message": "hi"}, school="example", origin=SCHOOL_SITE)
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == SCHOOL_SITE
    other = chat(web, {"sender": SENDER, "message": "hi"}, school="example", origin="https://evil.example")
    assert other.status_code == 403 and "Example Academy" in other.json()["error"]
    sandboxed = chat(web, {"sender": SENDER, "message": "hi"}, school="example", origin="null")
    assert sandboxed.status_code == 403
    # a school's site is not another school's site
    cross = chat(web, {"sender": SENDER, "message": "hi"}, school="demo", origin=SCHOOL_SITE)
    assert cross.status_code == 403
    assert len(rasa.received) == 1


def test_the_browsers_preflight_is_answered_for_allowed_origins_only(web):
    ok = requests.options(
        f"{web}/api/chat/example",
        headers={"Origin": SCHOOL_SITE, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert ok.status_code == 204
    assert ok.headers["Access-Control-Allow-Origin"] == SCHOOL_SITE
    assert "Content-Type" in ok.headers["Access-Control-Allow-Headers"]
    refused = requests.options(
        f"{web}/api/chat/example", headers={"Origin": "https://evil.example"}, timeout=10
    )
    assert refused.status_code == 403


def test_config_gives_the_schools_look_and_what_a_lesson_opens_on(web):
    config = requests.get(f"{web}/api/chat/example/config?topic=subject:Maths", timeout=10)
    body = config.json()
    assert body["school"] == "Example Academy" and body["colour"] == "#ffd700"
    assert body["greeting"] == "Hello from Example Academy."
    assert body["topic"]["label"] == "Careers that use Maths"
    assert body["topic"]["opening"] == '/ask_careers_for_subjects{"subject": "Maths"}'
    near_school = requests.get(f"{web}/api/chat/demo/config?topic=opportunities", timeout=10).json()
    assert near_school["topic"]["opening"] == '/find_opportunities{"location": "L3"}'  # the school's area
    unknown_topic = requests.get(f"{web}/api/chat/demo/config?topic=<b>", timeout=10).json()
    assert "topic" not in unknown_topic
    # What the widget needs to know of the contract with the assistant comes from here too.
    assert body["max_chars"] == MAX_MESSAGE_CHARS
    assert {"title": "Take the interests quiz", "payload": "/start_quiz"} in body["starters"]


def test_replies_come_back_as_plain_data_and_anything_else_rasa_sends_is_dropped(web, rasa):
    rasa.rasa_replies = [
        {"text": "<script>alert(1)</script>", "buttons": [{"title": "Pay", "payload": "/ask_pay"}, {"x": 1}]},
        {"image": "https://example.org/a.png"},
        {
            "custom": {
                "card": {
                    "id": "vet",
                    "title": "Vet",
                    "summary": "Cares for animals.",
                    "pay": "£30,000",
                    "x": "y",
                },
                "text": "Day to day",
                "buttons": [{"title": "Hours", "payload": "/ask_hours"}],
            }
        },
        {"custom": {"unknown": True}},
    ]
    messages = chat(web, {"sender": SENDER, "message": "hi"}).json()["messages"]
    assert messages == [
        {"text": "<script>alert(1)</script>", "buttons": [{"title": "Pay", "payload": "/ask_pay"}]},
        {
            "card": {"id": "vet", "title": "Vet", "summary": "Cares for animals.", "pay": "£30,000"},
            "text": "Day to day",
            "buttons": [{"title": "Hours", "payload": "/ask_hours"}],
        },
    ]


def test_when_rasa_fails_or_is_away_the_student_is_told_to_try_again(web, rasa, tmp_path):
    rasa.plan["/webhooks"] = ["500"]
    failed = chat(web, {"sender": SENDER, "message": "hi"})
    assert failed.status_code == 502 and "try again" in failed.json()["error"]
    with running_web_app(tmp_path, f"http://127.0.0.1:{free_port()}") as nowhere:
        away = chat(nowhere, {"sender": SENDER, "message": "hi"})
    assert away.status_code == 503 and "not answering" in away.json()["error"]


# --- pages ------------------------------------------------------------------------------------------------
def test_demo_page_embeds_the_widget_with_one_script_tag_and_strict_headers(web):
    page = requests.get(f"{web}/demo", timeout=10)
    assert page.status_code == 200
    assert '<script src="/static/widget.js" data-school="demo" defer></script>' in page.text
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert requests.get(f"{web}/static/widget.js", timeout=10).status_code == 200
    assert requests.get(f"{web}/", timeout=10).url.endswith("/demo")


def test_teacher_page_offers_every_subject_year_groups_and_a_fresh_class_code(web):
    first = requests.get(f"{web}/teacher", timeout=10).text
    second = requests.get(f"{web}/teacher", timeout=10).text
    for expected in (
        'value="subject:Computer Science"',
        'value="tech"',
        'value="quiz"',
        "Year 13",
        "Example Academy",
    ):
        assert expected in first
    code = first.split('id="class-code" name="class_code" value="')[1][:9]
    assert code != second.split('id="class-code" name="class_code" value="')[1][:9]


def test_lesson_page_may_be_framed_only_by_the_schools_sites_and_escapes_what_the_link_carries(web):
    page = requests.get(
        f"{web}/lesson/example",
        params={"topic": "subject:Maths", "activity": "1", "class": '9X"><script>alert(1)</script>'},
        timeout=10,
    )
    assert page.status_code == 200
    assert f"frame-ancestors 'self' {SCHOOL_SITE}" in page.headers["Content-Security-Policy"]
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)" in page.text
    assert 'data-activity="Pick one career that uses Maths' in page.text  # the topic's second activity
    missing = requests.get(f"{web}/lesson/nowhere", timeout=10)
    assert missing.status_code == 404 and "not set up" in missing.text


def test_printable_plan_shows_the_careers_in_the_link_saved_first_with_pay_and_sources(web):
    page = requests.get(
        f"{web}/plan?careers=data-scientist,software-developer&saved=data-scientist", timeout=10
    )
    text = page.text
    assert page.status_code == 200
    assert text.index("Data scientist") < text.index("Software developer")
    assert "(saved)" in text and "Source:" in text and "Next steps" in text


def test_printable_plan_ignores_unknown_or_hostile_ids_and_explains_an_empty_plan(web):
    page = requests.get(f"{web}/plan", params={"careers": "<script>x</script>,nope"}, timeout=10)
    assert page.status_code == 200
    assert "<script>x" not in page.text and "no careers in it yet" in page.text


# --- units ------------------------------------------------------------------------------------------------
def test_the_printable_link_and_the_chat_show_one_plan_in_one_order(catalog: Catalog):
    viewed, saved = ["nurse", "vet", "software-developer", "vet"], ["data-scientist"]
    in_chat = build_plan(catalog, viewed, saved)
    query = plan_path(viewed, saved).split("?", 1)[1]
    fields = dict(part.split("=", 1) for part in query.split("&"))
    careers, saved_ids = (fields[k].replace("%2C", ",").split(",") for k in ("careers", "saved"))
    assert plan_from_link(catalog, careers, saved_ids) == in_chat


def test_schools_file_problems_are_each_named(tmp_path: Path):
    bad = tmp_path / "schools.yml"
    bad.write_text(
        "schools:\n"
        "  - {id: 'Bad Id', name: x}\n"
        "  - {id: ok, name: '', allowed_origins: ['https://a.example/page', 'javascript:alert(1)'],"
        " colour: red, area: 'not a postcode'}\n"
    )
    with pytest.raises(CatalogDataError) as raised:
        load_schools(bad)
    text = str(raised.value)
    for problem in (
        "'Bad Id'",
        "https://a.example/page",
        "javascript:alert(1)",
        "'red'",
        "'not a postcode'",
        "name",
    ):
        assert problem in text


def test_rate_limits_count_in_a_sliding_window_and_say_how_long_to_wait():
    now = [100.0]
    limit = RateLimit(2, window_s=60, clock=lambda: now[0])
    assert limit.hit("a") is None and limit.hit("a") is None
    assert limit.hit("a") == pytest.approx(60.0)
    assert limit.hit("b") is None  # each key has its own count
    now[0] += 59.5
    assert limit.hit("a") == pytest.approx(0.5)
    assert "wait 1 second and" in wait_message(0.5)
    now[0] += 1
    assert limit.hit("a") is None


def test_when_rasa_answers_nothing_the_student_gets_an_apology_and_a_try_again_button(web, rasa):
    rasa.rasa_replies = []  # what Rasa sends when an action failed
    reply = chat(web, {"sender": "s" * 16, "message": "how much does a vet earn"})
    assert reply.status_code == 200
    [message] = reply.json()["messages"]
    assert "something went wrong on my side" in message["text"]
    assert message["buttons"] == [{"title": "Try again", "payload": "how much does a vet earn"}]


def test_a_guessed_username_waits_a_short_pause_and_a_guessing_address_is_held_off_longer():
    now = [0.0]
    throttle = LoginThrottle(per_user=5, per_address=20, clock=lambda: now[0])
    for _ in range(5):
        assert throttle.wait("amy", "10.0.0.1") is None
        throttle.failed("amy", "10.0.0.1")
    assert throttle.wait("AMY", "10.0.0.9") == 30  # any address: the account's pause, no more
    now[0] = 31
    assert throttle.wait("amy", "10.0.0.9") is None  # the real user gets in after the pause
    throttle.succeeded("amy")
    for i in range(15):
        throttle.failed(f"user{i}", "10.0.0.1")  # 20 wrong passwords from one address, any usernames
    assert throttle.wait("somebody-else", "10.0.0.1") > 60
    assert throttle.wait("somebody-else", "10.0.0.2") is None
    assert "wait" in login_wait_message(45) and "minutes" in login_wait_message(600)


# --- the careers-readiness check ----------------------------------------------------------------------------
def _answers(web: str, body: object) -> requests.Response:
    return requests.post(f"{web}/api/chat/demo/readiness", json=body, timeout=30)


def test_a_lesson_with_a_readiness_check_gets_its_statements_from_the_config(web):
    config = requests.get(f"{web}/api/chat/demo/config?topic=tech&check=start", timeout=10).json()
    check = config["readiness"]
    assert check["moment"] == "start" and len(check["statements"]) == 5 and len(check["scale"]) == 5
    assert "readiness" not in requests.get(f"{web}/api/chat/demo/config?check=later", timeout=10).json()
    lesson = requests.get(f"{web}/lesson/demo?topic=tech&class=9X&check=end", timeout=10).text
    assert 'data-check="end"' in lesson


def test_readiness_answers_are_kept_only_as_counts_for_the_class(web, conversations):
    lesson = {"class_code": "9x", "topic": "tech", "year_group": 9}
    for rating in (2, 3):
        reply = _answers(web, {"lesson": lesson, "moment": "start", "ratings": {"jobs": rating, "skills": 4}})
        assert reply.status_code == 200 and reply.json()["counted"] is True
    preview = _answers(
        web, {"lesson": {**lesson, "preview": True}, "moment": "start", "ratings": {"jobs": 5}}
    )
    assert preview.status_code == 200 and preview.json()["counted"] is False
    engine = sa.create_engine(conversations, future=True)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "select class_code, moment, item, rating, answers from analytics_readiness"
                " order by item, rating"
            )
        ).all()
        columns = {c["name"] for c in sa.inspect(conn).get_columns("analytics_readiness")}
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("9X", "start", "jobs", 2, 1),
        ("9X", "start", "jobs", 3, 1),
        ("9X", "start", "skills", 4, 2),
    ]
    assert not columns & {"sender_id", "at", "text"}  # nothing that could tell one student's answers apart


@pytest.mark.parametrize(
    "body, says",
    [
        ({"lesson": {"topic": "tech"}, "moment": "start", "ratings": {"jobs": 3}}, "class code"),
        ({"lesson": {"class_code": "9X"}, "moment": "middle", "ratings": {"jobs": 3}}, "start or at the end"),
        ({"lesson": {"class_code": "9X"}, "moment": "end", "ratings": {"jobs": 9}}, "from 1 to 5"),
        ({"lesson": {"class_code": "9X"}, "moment": "end", "ratings": {"<b>x</b>": 1}}, "no such statement"),
        ({"lesson": {"class_code": "9X"}, "moment": "end", "ratings": {}}, "ratings"),
        (["not", "an", "object"], "start or at the end"),
    ],
)
def test_bad_readiness_answers_get_a_clear_answer_and_nothing_is_counted(web, body, says):
    reply = _answers(web, body)
    assert reply.status_code == 400 and says in reply.json()["error"]
    assert "<b>" not in reply.text
