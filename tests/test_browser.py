"""The chat widget, the teacher's page and the demo page in real headless Chromium (Debian's chromium,
driven by Playwright), against the real assistant, plus an accessibility scan with axe-core.

Two things the real assistant cannot be made to do on purpose use the Rasa stand-in of
tests/fake_apis.py instead: replies with markup in them, and failing then coming back.
Screenshots are saved under tests/artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics import accounts
from analytics.sync import conversations_engine
from contract import MAX_MESSAGE_CHARS
from deploy.launcher import Assistant, running_web_app
from settings import ROOT
from tests.conftest import missing, worker_caught_up
from tests.fake_apis import FakeApis, serve_fake_apis

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ANSWER_TIMEOUT_MS = 30_000
DASHBOARD_PASSWORD = "a long enough password"
RASA_OWN_METADATA = {"model_id", "assistant_id"}  # what Rasa adds to each message's metadata


def _need(path: Path, what: str) -> None:
    if path.exists():
        return
    missing(f"{what} not found at {path}: run scripts/browser_setup.sh (make test runs it)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium for this module. Playwright's sync API keeps an asyncio loop running in
    the main thread while it is open, so it must close with the module: tests after it call
    asyncio.run(), which refuses to start inside a running loop."""
    _need(CHROMIUM, "Chromium")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


class SchoolSite:
    """A school's own website on another origin: a folder of pages served on 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        handler.log_message = lambda *args: None  # type: ignore[method-assign]
        self.folder = folder
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, name: str, body: str) -> str:
        head = '<!doctype html><html lang="en"><head><title>School page</title></head>'
        html = f"{head}<body>{body}</body></html>"
        (self.folder / name).write_text(html)
        return f"{self.origin}/{name}"


@pytest.fixture(scope="session")
def school_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SchoolSite]:
    site = SchoolSite(tmp_path_factory.mktemp("school_site"))
    yield site
    site.server.shutdown()


def _schools_file(folder: Path, site: SchoolSite) -> Path:
    path = folder / "schools.yml"
    path.write_text(
        "schools:\n  - id: demo\n    name: Demo High School\n    colour: '#1d4e89'\n"
        f"    allowed_origins: ['{site.origin}']\n"
    )
    return path


@pytest.fixture(scope="session")
def web(
    servers: Assistant, school_site: SchoolSite, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The web app in front of the real assistant; the school site may embed the demo school's chat."""
    folder = tmp_path_factory.mktemp("web_real")
    env = {
        "SCHOOLS_FILE": str(_schools_file(folder, school_site)),
        "TRACKER_DATABASE_URL": servers.tracker_url,
    }
    with running_web_app(folder, servers.rasa_url, env) as url:
        yield url


@pytest.fixture(scope="module")
def fake_rasa() -> Iterator[FakeApis]:
    with serve_fake_apis() as apis:
        yield apis


@pytest.fixture(scope="module")
def fake_web(fake_rasa: FakeApis, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_web_app(tmp_path_factory.mktemp("web_fake"), fake_rasa.url) as url:
        yield url


@pytest.fixture
def context(browser):
    """A fresh browser profile; the web app's own Content-Security-Policy applies."""
    context = browser.new_context(viewport=DESKTOP)
    yield context
    context.close()


@pytest.fixture
def open_context(browser):
    """A fresh browser profile that ignores Content-Security-Policy: as on a school's own site, which
    has none of ours, so the widget alone must keep markup from running; and so axe-core can be added."""
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    yield context
    context.close()


def open_chat(page, url: str):
    page.goto(url)
    page.get_by_role("button", name="Careers chat", exact=True).click()
    expect(page.get_by_label("Your message")).to_be_focused()
    return page


def ask(page, text: str, wait: bool = True) -> None:
    """Type a question and press Enter; with ``wait``, until a new answer is shown."""
    before = bot_messages(page).count()
    page.get_by_label("Your message").fill(text)
    page.keyboard.press("Enter")
    if wait:
        expect(bot_messages(page)).not_to_have_count(before, timeout=ANSWER_TIMEOUT_MS)


def bot_messages(page):
    return page.locator(".message.bot")


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def axe_violations(page) -> list[str]:
    """Serious and critical accessibility problems axe-core finds on the page (shadow DOM included)."""
    _need(AXE, "axe-core")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# --- with the real assistant ------------------------------------------------------------------------------
def test_student_asks_on_the_demo_page_sees_a_career_card_and_clicks_a_button(web, context):
    page = open_chat(context.new_page(), f"{web}/demo")
    expect(bot_messages(page).first).to_contain_text("careers helper")
    # The opening buttons and the message limit come from the chat's config (web/chat.py).
    expect(bot_messages(page).first.get_by_role("button", name="Take the interests quiz")).to_be_visible()
    expect(page.get_by_label("Your message")).to_have_attribute("maxlength", str(MAX_MESSAGE_CHARS))
    started = time.monotonic()
    ask(page, "wat does a sofware enginer do")
    card = page.locator(".card")
    expect(card.get_by_role("heading", name="Software developer")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    print(f"\nfirst answer shown in the browser after {time.monotonic() - started:.2f} s")
    expect(card).to_contain_text("Pay: £")
    screenshot(page, "widget-desktop")
    expect(page.locator(".message.user").last).to_contain_text("wat does a sofware enginer do")
    page.get_by_role("button", name="Pay", exact=True).last.click()
    expect(bot_messages(page).last).to_contain_text("Pay for a software developer", timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator(".message.user").last).to_have_text("You: Pay")


def test_the_conversation_survives_a_reload_and_a_new_tab_and_start_again_clears_it(web, context):
    page = open_chat(context.new_page(), f"{web}/demo")
    ask(page, "how much does a plumber earn")
    expect(bot_messages(page).last).to_contain_text("Pay for a plumber", timeout=ANSWER_TIMEOUT_MS)
    sender = page.evaluate("() => JSON.parse(localStorage.getItem('careers-chat:v1:demo:')).sender")
    page.reload()
    expect(page.get_by_role("dialog", name="Careers helper")).to_be_visible()  # still open after the reload
    expect(bot_messages(page).last).to_contain_text("Pay for a plumber")
    other_tab = context.new_page()
    other_tab.goto(f"{web}/demo")
    expect(bot_messages(other_tab).last).to_contain_text("Pay for a plumber")
    answers = bot_messages(other_tab).count()
    ask(other_tab, "and the hours?")  # the same conversation: the assistant still knows the career
    expect(bot_messages(other_tab)).to_have_count(answers + 1, timeout=ANSWER_TIMEOUT_MS)
    expect(bot_messages(other_tab).last).to_contain_text("plumber")
    expect(bot_messages(page).last).to_contain_text("plumber")  # the first tab follows along
    page.get_by_role("button", name="Start again").click()
    expect(page.locator(".message")).to_have_count(1)  # just the greeting
    expect(page.get_by_text("Pay for a plumber")).to_have_count(0)
    expect(other_tab.get_by_text("Pay for a plumber")).to_have_count(0)  # and so does the other tab
    assert page.evaluate("() => JSON.parse(localStorage.getItem('careers-chat:v1:demo:')).sender") != sender


def _events_of(tracker_url: str, sender: str) -> int:
    with sqlite3.connect(tracker_url.removeprefix("sqlite:///")) as db:
        return db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]


def test_delete_my_chat_clears_the_browser_and_the_records_and_the_chat_goes_on_afresh(web, servers, context):
    page = open_chat(context.new_page(), f"{web}/demo")
    ask(page, "how much does a plumber earn")
    expect(bot_messages(page).last).to_contain_text("Pay for a plumber", timeout=ANSWER_TIMEOUT_MS)
    sender = page.evaluate("() => JSON.parse(localStorage.getItem('careers-chat:v1:demo:')).sender")
    assert _events_of(servers.tracker_url, sender) > 0
    page.get_by_role("button", name="Delete my chat").click()
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    page.get_by_role("button", name="Cancel").click()  # changing one's mind deletes nothing
    expect(page.get_by_text("Pay for a plumber")).to_be_visible()
    page.get_by_role("button", name="Delete my chat").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_role("status")).to_contain_text("Your chat has been deleted")
    expect(page.get_by_text("Pay for a plumber")).to_have_count(0)
    expect(page.locator(".message")).to_have_count(1)  # a fresh greeting, to carry on with
    assert _events_of(servers.tracker_url, sender) == 0
    assert "plumber" not in page.evaluate("() => JSON.stringify(localStorage)")
    assert page.evaluate("() => JSON.parse(localStorage.getItem('careers-chat:v1:demo:')).sender") != sender
    page.reload()
    expect(page.get_by_text("Pay for a plumber")).to_have_count(0)


def tab_to(page, target, presses: int, what: str) -> None:
    """Press Tab until ``target`` has focus (inside the widget's shadow root too), at most ``presses``
    times; fails the test if it never does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("el => el.getRootNode().activeElement === el"):
            return
    pytest.fail(f"{what} cannot be reached with Tab")


def test_keyboard_alone_opens_the_chat_asks_picks_a_reply_and_closes_it(web, context):
    page = context.new_page()
    page.goto(f"{web}/demo")
    launcher = page.get_by_role("button", name="Careers chat", exact=True)
    tab_to(page, launcher, 30, "the chat launcher")  # Tab through the page until the launcher has focus
    page.keyboard.press("Enter")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.type("what subjects help to become a vet")
    page.keyboard.press("Enter")
    expect(bot_messages(page).last).to_contain_text("Subjects that help", timeout=ANSWER_TIMEOUT_MS)
    first_reply = bot_messages(page).last.locator("button.reply").first
    first_reply.focus()
    label = first_reply.inner_text()
    page.keyboard.press("Enter")
    expect(page.locator(".message.user").last).to_contain_text(label)
    expect(bot_messages(page)).to_have_count(3, timeout=ANSWER_TIMEOUT_MS)
    # The student's own tools answer the keyboard too: Tab on from the message box to Larger text.
    page.get_by_label("Your message").focus()
    larger = page.get_by_role("button", name="Larger text")
    tab_to(page, larger, 4, "Larger text, from the message box,")
    page.keyboard.press("Space")
    expect(larger).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Tab")  # to Delete my chat; Enter asks to confirm, and Cancel keeps the chat
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Delete my chat")).to_be_focused()
    expect(bot_messages(page)).to_have_count(3)  # nothing was deleted
    page.keyboard.press("Escape")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert launcher.evaluate("el => el.getRootNode().activeElement === el"), "focus returns to the launcher"


def _tracker_metadata(servers: Assistant) -> list[dict]:
    path = servers.tracker_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT data FROM events WHERE type_name = 'user'").fetchall()
    return [json.loads(data).get("metadata") or {} for (data,) in rows]


def test_a_lesson_snippet_from_the_teacher_page_opens_on_its_topic_and_tags_messages_with_the_class(
    web, servers, school_site, context
):
    teacher = context.new_page()
    teacher.goto(f"{web}/teacher")
    teacher.get_by_label("Topic the chat opens on").select_option("subject:Maths")
    teacher.get_by_label("Class code").fill("TEST-9X")
    chosen = teacher.get_by_label("Starter activity").locator("option:checked")
    expect(chosen).to_have_text("Find three careers that use Maths.")
    assert "activity=0" in teacher.get_by_label("Link for your class").input_value()
    snippet = teacher.get_by_label("Snippet for a web page").input_value()
    assert 'data-class="TEST-9X"' in snippet and 'data-topic="subject:Maths"' in snippet
    expect(teacher.frame_locator("#preview").get_by_text("Lesson: Careers that use Maths")).to_be_visible()

    page = context.new_page()
    page.goto(school_site.page("maths-lesson.html", f"<h1>Year 9 maths</h1>{snippet}"))
    lesson = page.get_by_role("dialog", name="Careers helper")
    expect(lesson).to_be_visible()  # the snippet opens the chat straight away
    expect(lesson).to_contain_text("Your task: Find three careers that use Maths.")
    expect(bot_messages(page).last).to_contain_text("where Maths really helps", timeout=ANSWER_TIMEOUT_MS)
    ask(page, "what does an actuary do")
    expect(bot_messages(page).last).to_contain_text("ctuary", timeout=ANSWER_TIMEOUT_MS)
    tagged = [m for m in _tracker_metadata(servers) if m.get("class_code") == "TEST-9X"]
    lesson = {"school": "demo", "class_code": "TEST-9X", "topic": "subject:Maths", "year_group": 9}
    students = [m for m in tagged if not m.get("preview")]  # the teacher's preview is marked as one
    assert len(students) == 2  # the topic the lesson opened on, and the question
    assert all(m.items() >= lesson.items() and set(m) - set(lesson) <= RASA_OWN_METADATA for m in students)


def test_a_site_the_school_has_not_listed_gets_a_clear_message_not_a_chat(web, school_site, context):
    school_site.page(
        "listed.html", f'<script src="{web}/static/widget.js" data-school="demo" defer></script>'
    )
    page = context.new_page()
    page.goto(f"http://localhost:{school_site.port}/listed.html")  # same files, an origin not listed
    page.get_by_role("button", name="Careers chat", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("not set up to use Demo High School's careers chat")


def test_phone_width_chat_fills_the_screen_and_is_usable(web, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = open_chat(context.new_page(), f"{web}/demo")
        box = page.get_by_role("dialog", name="Careers helper").bounding_box()
        assert box["width"] == PHONE["width"] and box["height"] == PHONE["height"]
        ask(page, "what does a nurse do")
        expect(page.locator(".card").get_by_role("heading", name="Nurse")).to_be_visible(
            timeout=ANSWER_TIMEOUT_MS
        )
        screenshot(page, "widget-phone")
        page.get_by_role("button", name="Close the careers chat").click()
        expect(page.get_by_role("button", name="Careers chat", exact=True)).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/demo",
        "/teacher",
        "/lesson/demo?topic=tech&activity=0&year=9&class=A1",
        "/plan?careers=software-developer,nurse&saved=nurse",
    ],
)
def test_no_serious_or_critical_accessibility_problems(web, open_context, path):
    page = open_context.new_page()
    page.goto(f"{web}{path}")
    if path == "/demo":  # scan the widget open, with a card and buttons in it
        page.get_by_role("button", name="Careers chat", exact=True).click()
        ask(page, "what does a data scientist do")
        expect(page.locator(".card")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    elif path.startswith("/lesson"):
        expect(page.locator(".card, .message.bot").last).to_contain_text("Tech", timeout=ANSWER_TIMEOUT_MS)
    elif path == "/teacher":
        expect(page.frame_locator("#preview").locator(".message").first).to_be_visible()
    assert axe_violations(page) == []


# --- the advisers' dashboard, after real conversations -------------------------------------------------
def _sign_in(page, web: str, username: str) -> None:
    page.goto(f"{web}/dashboard")
    expect(page.get_by_role("heading", name="Sign in to the dashboard")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DASHBOARD_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()


def test_a_teachers_own_activity_goes_into_a_lesson_link_only_when_they_are_signed_in(web, servers, context):
    accounts.create_user(
        conversations_engine(servers.tracker_url),
        "teacher-own",
        DASHBOARD_PASSWORD,
        "teacher",
        ["demo"],
        ["OWN-1"],
    )
    own = "Find a job that uses drawing and code"
    page = context.new_page()
    page.goto(f"{web}/teacher")
    page.get_by_label("Or write your own activity").fill(own)
    expect(page.locator("#own-activity-status")).to_contain_text("sign in to the dashboard")
    assert "drawing" not in page.get_by_label("Link for your class").input_value()
    _sign_in(page, web, "teacher-own")
    page.goto(f"{web}/teacher")
    page.get_by_label("Or write your own activity").fill(own)
    expect(page.locator("#own-activity-status")).to_have_text("Your own activity is in the link.")
    link = page.get_by_label("Link for your class").input_value()
    assert "sig=" in link
    lesson = context.new_page()
    lesson.goto(link)
    expect(lesson.get_by_text(f"Your task: {own}")).to_be_visible()
    lesson.goto(link.replace("drawing", "sending+money"))
    expect(lesson.get_by_text("Your task:")).to_have_count(0)


def test_an_adviser_sees_a_lessons_conversations_counted_reviewable_and_exportable(
    web, servers, open_context
):
    lesson = open_context.new_page()
    lesson.goto(f"{web}/lesson/demo?topic=subject:Maths&activity=0&year=10&class=DASH-1")
    expect(bot_messages(lesson)).to_have_count(2, timeout=ANSWER_TIMEOUT_MS)
    ask(lesson, "what does a vet do")
    engine = conversations_engine(servers.tracker_url)
    worker_caught_up(servers.tracker_url)
    accounts.create_user(engine, "adviser-browser", DASHBOARD_PASSWORD, "adviser", ["demo"])
    accounts.create_user(engine, "teacher-browser", DASHBOARD_PASSWORD, "teacher", ["demo"], ["OTHER-1"])
    engine.dispose()

    page = open_context.new_page()
    _sign_in(page, web, "adviser-browser")
    page.get_by_label("Class code").fill("DASH-1")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".figures")).to_contain_text("Students1")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Gatsby evidence").click()
    expect(page.get_by_role("cell", name="DASH-1", exact=True)).to_be_visible()  # the filter carried over
    expect(page.get_by_role("rowheader", name="Year 10")).to_be_visible()  # the lesson's year group
    expect(page.get_by_text("What the chats cannot show")).to_be_visible()
    screenshot(page, "dashboard-gatsby")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download by class as CSV").click()
    assert "DASH-1" in Path(download.value.path()).read_text()
    page.get_by_role("link", name="Conversations").click()
    page.get_by_role("link", name=re.compile("^Read the conversation")).first.click()
    expect(page.locator(".transcript")).to_contain_text("what does a vet do")
    page.get_by_label("Reviewed").check()
    page.get_by_label("Note").fill("Interested in animal careers: suggest the vet nurse insight day.")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    assert axe_violations(page) == []
    for name in ("What students ask", "Not answered"):
        page.get_by_role("link", name=name).click()
        assert axe_violations(page) == [], name
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to the dashboard")).to_be_visible()
    assert axe_violations(page) == []

    _sign_in(page, web, "teacher-browser")
    page.goto(f"{web}/dashboard/gatsby?class=DASH-1")  # another teacher's class, by editing the address
    expect(page.get_by_text("You can only see your own school's or classes' conversations.")).to_be_visible()
    expect(page.get_by_role("cell", name="DASH-1")).to_have_count(0)


def test_an_adviser_reads_the_list_and_a_transcript_as_the_student_saw_it(web, servers, open_context):
    student = open_context.new_page()
    student.goto(f"{web}/lesson/demo?topic=tech&activity=0&year=9&class=READ-1")
    expect(bot_messages(student)).to_have_count(2, timeout=ANSWER_TIMEOUT_MS)
    ask(student, "wat does a sofware enginer do")
    expect(student.locator(".card")).to_contain_text("Software developer", timeout=ANSWER_TIMEOUT_MS)
    student.get_by_role("button", name="Pay", exact=True).last.click()
    expect(bot_messages(student).last).to_contain_text(
        "Pay for a software developer", timeout=ANSWER_TIMEOUT_MS
    )
    worker_caught_up(servers.tracker_url)
    engine = conversations_engine(servers.tracker_url)
    accounts.create_user(engine, "adviser-reader", DASHBOARD_PASSWORD, "adviser", ["demo"])
    engine.dispose()

    page = open_context.new_page()
    _sign_in(page, web, "adviser-reader")
    page.get_by_role("link", name="Conversations").click()
    page.get_by_label("Class code").fill("READ-1")
    page.get_by_label("About").select_option(label="Pay")  # a topic by its plain name, not ask_pay
    page.get_by_label("Career").fill("Software developer")
    page.get_by_role("button", name="Show").click()
    row = page.locator("table.conversations tbody tr")
    expect(row).to_have_count(1)
    # Its first typed message (the lesson opened with a button, which the list passes over).
    expect(row.locator(".first-message")).to_have_text("wat does a sofware enginer do")
    expect(row).to_contain_text("Software developer")  # the career it looked at
    screenshot(page, "dashboard-conversations")
    assert axe_violations(page) == []
    page.get_by_label("About").select_option(label="Hours")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("No conversations match.")).to_be_visible()
    page.go_back()
    page.get_by_role("link", name=re.compile("^Read the conversation")).first.click()
    said = page.locator(".transcript li")
    card = said.filter(has=page.locator(".card-title", has_text="Software developer")).first
    expect(card.locator(".offered")).to_contain_text("Pay")  # the buttons the student was offered
    pressed = said.filter(has_text="(pressed a button)")
    expect(pressed.locator(".said").last).to_have_text("Pay")  # what the student pressed, not "/ask_pay"
    expect(page.locator(".transcript")).not_to_contain_text("/ask_")  # the lesson's opening too
    expect(said.first.locator("time")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"))
    expect(page.get_by_text("Times are UK time.")).to_be_visible()
    screenshot(page, "dashboard-transcript")
    assert axe_violations(page) == []


def test_a_class_answers_the_readiness_check_and_its_teacher_sees_the_class_not_the_student(
    web, servers, open_context
):
    lesson_link = f"{web}/lesson/demo?topic=tech&activity=0&year=9&class=CHECK-1&check=start"
    for n in range(5):  # five students, one after another on their own computers
        context = open_context.browser.new_context(viewport=DESKTOP, bypass_csp=True)
        student = context.new_page()
        student.goto(lesson_link)
        check = student.get_by_role("region", name="Before you start: how ready do you feel?")
        expect(check).to_be_visible()
        if n == 0:
            assert axe_violations(student) == []
            screenshot(student, "widget-readiness-check")
        student.get_by_role("group", name="1. I know about lots of different jobs").get_by_label(
            "Partly"
        ).check()
        student.get_by_role("group", name="3. I feel confident").get_by_label(
            "A little" if n % 2 else "Mostly"
        ).check()
        student.get_by_role("button", name="Send my answers").click()
        expect(student.get_by_role("status").first).to_contain_text(
            "added to your class's, without your name"
        )
        expect(check).to_be_hidden()
        expect(bot_messages(student).last).to_be_visible()  # and the lesson's chat is there
        student.reload()
        expect(student.get_by_role("region", name="Before you start: how ready do you feel?")).to_be_hidden()
        context.close()
    engine = conversations_engine(servers.tracker_url)
    accounts.create_user(engine, "teacher-check", DASHBOARD_PASSWORD, "teacher", ["demo"], ["CHECK-1"])
    engine.dispose()
    page = open_context.new_page()
    _sign_in(page, web, "teacher-check")
    page.get_by_role("link", name="Readiness").click()
    jobs = page.get_by_role("row", name=re.compile("I know about lots of different jobs"))
    expect(jobs).to_contain_text("3.0 (5 answers)")
    expect(jobs).to_contain_text("0 answers: too few to show")
    skills = page.get_by_role("row", name=re.compile("I know which skills"))
    expect(skills).to_contain_text("0 answers: too few to show")
    screenshot(page, "dashboard-readiness")
    assert axe_violations(page) == []


# --- with the Rasa stand-in -------------------------------------------------------------------------------
def test_markup_in_a_reply_is_shown_as_text_and_never_runs(fake_web, fake_rasa, open_context):
    fake_rasa.rasa_replies = [
        {
            "text": 'Look: <script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> <b>b</b>',
            "buttons": [{"title": "<i>Pay</i>", "payload": "/ask_pay"}],
        },
        {"text": "More at https://nationalcareers.service.gov.uk/job-profiles and javascript:alert(1)"},
    ]
    page = open_chat(open_context.new_page(), f"{fake_web}/demo")
    ask(page, "hello")
    reply = bot_messages(page).nth(1)
    expect(reply).to_contain_text('<script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2">')
    expect(reply.get_by_role("button", name="<i>Pay</i>")).to_be_visible()
    assert page.evaluate("() => window.pwned") is None
    assert (
        page.locator(".careers-chat-host").evaluate(
            "h => h.shadowRoot.querySelectorAll('.log img, .log b').length"
        )
        == 0
    )
    link = bot_messages(page).nth(2).get_by_role("link")
    expect(link).to_have_count(1)  # only the https address becomes a link
    expect(link).to_have_attribute("href", "https://nationalcareers.service.gov.uk/job-profiles")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
    expect(link).to_have_attribute("target", "_blank")


def test_when_the_assistant_fails_the_message_is_kept_and_sent_when_it_is_back(fake_web, fake_rasa, context):
    fake_rasa.rasa_replies = [{"text": "You said: {message}"}]
    page = open_chat(context.new_page(), f"{fake_web}/demo")
    fake_rasa.plan["/webhooks"] = ["500", "500"]
    ask(page, "is anyone there", wait=False)
    expect(page.get_by_role("status")).to_contain_text("Can't reach the careers helper")
    expect(page.get_by_text("Not sent yet.")).to_be_visible()
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    # the widget tries again by itself; the stand-in answers on the third try
    expect(bot_messages(page).last.locator(".bubble")).to_have_text(
        "You said: is anyone there", timeout=20_000
    )
    expect(page.get_by_text("Not sent yet.")).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text("")
    assert [b["message"] for b in fake_rasa.received].count("is anyone there") == 1


def test_a_conversation_left_for_half_a_day_is_forgotten_for_the_next_student(fake_web, fake_rasa, context):
    fake_rasa.rasa_replies = [{"text": "You said: {message}"}]
    page = open_chat(context.new_page(), f"{fake_web}/demo")
    ask(page, "is being a vet hard")
    expect(bot_messages(page).last).to_contain_text("You said: is being a vet hard")
    page.reload()
    expect(page.get_by_text("is being a vet hard").first).to_be_visible()  # a reload keeps it
    page.evaluate(
        """() => { const key = 'careers-chat:v1:demo:'; const kept = JSON.parse(localStorage.getItem(key));
        kept.saved = Date.now() - 13 * 3600 * 1000; localStorage.setItem(key, JSON.stringify(kept)); }"""
    )
    page.reload()
    page.get_by_role("button", name="Careers chat", exact=True).click()
    expect(bot_messages(page)).to_have_count(1)  # a fresh greeting
    expect(page.get_by_text("is being a vet hard")).to_have_count(0)


def test_the_readiness_checks_thanks_stays_when_the_lessons_first_answer_comes_after_it(
    fake_web, fake_rasa, context
):
    fake_rasa.rasa_replies = [{"text": "You said: {message}"}]
    fake_rasa.plan["/webhooks"] = ["slow"]  # the lesson's opening answer takes 3 seconds
    page = context.new_page()
    page.goto(f"{fake_web}/lesson/demo?topic=tech&class=SLOW-1&check=end")
    page.get_by_role("button", name="Skip").wait_for()
    page.get_by_role("group", name="1. I know about lots of different jobs").get_by_label("Partly").check()
    page.get_by_role("button", name="Send my answers").click()
    thanks = page.locator(".status")
    expect(thanks).to_contain_text("added to your class's, without your name")
    expect(bot_messages(page).last).to_contain_text("You said:", timeout=ANSWER_TIMEOUT_MS)
    expect(thanks).to_contain_text("added to your class's, without your name")  # not wiped by the answer


def test_start_again_in_one_tab_is_not_undone_by_a_late_answer_in_another(fake_web, fake_rasa, context):
    fake_rasa.rasa_replies = [{"text": "You said: {message}"}]
    first = open_chat(context.new_page(), f"{fake_web}/demo")
    ask(first, "my old question")
    expect(bot_messages(first).last).to_contain_text("You said: my old question")
    second = context.new_page()
    second.goto(f"{fake_web}/demo")
    fake_rasa.plan["/webhooks"] = ["slow"]  # the second tab's answer takes 3 s
    ask(second, "a slow question", wait=False)
    first.get_by_role("button", name="Start again").click()
    expect(first.locator(".message")).to_have_count(1)
    time.sleep(4)  # the slow answer has come back to the second tab by now
    expect(first.locator(".message")).to_have_count(1)
    expect(second.locator(".message")).to_have_count(1)
    expect(second.get_by_text("my old question")).to_have_count(0)


def test_larger_text_is_kept_across_visits_and_read_aloud_speaks_the_answer(
    fake_web, fake_rasa, open_context
):
    context = open_context
    # The browser's speech synthesis makes no sound here: what it is asked to say is recorded instead.
    context.add_init_script(
        "window.spoken = []; speechSynthesis.speak = (u) => { window.spoken.push([u.text, u.lang]); };"
    )
    fake_rasa.rasa_replies = [
        {
            "text": "Vets look after animals.",
            "custom": {"card": {"title": "Vet", "pay": "Pay: about £45,000"}},
        }
    ]
    page = open_chat(context.new_page(), f"{fake_web}/demo")
    ask(page, "what does a vet do")
    answer = bot_messages(page).last
    answer.get_by_role("button", name="Read aloud").click()
    expect(answer.get_by_role("button", name="Stop reading")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("() => window.spoken") == [
        ["Vet. Pay: about £45,000. Vets look after animals.", "en-GB"]
    ]
    answer.get_by_role("button", name="Stop reading").click()
    expect(answer.get_by_role("button", name="Read aloud")).to_have_attribute("aria-pressed", "false")
    text = page.locator(".message.user .bubble").last
    normal = text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    page.get_by_role("button", name="Larger text").click()
    expect(page.get_by_role("button", name="Larger text")).to_have_attribute("aria-pressed", "true")
    assert text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= normal * 1.2
    screenshot(page, "widget-larger-text")
    page.get_by_role("button", name="Delete my chat").click()  # the confirmation, open, in larger text
    assert axe_violations(page) == []
    page.get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Start again").click()  # a new chat, the same setting
    later = context.new_page()
    later.goto(f"{fake_web}/demo")
    expect(later.get_by_role("button", name="Larger text")).to_have_attribute("aria-pressed", "true")
    size = later.locator(".message .bubble").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= normal * 1.2
