"""A chat handed to a careers adviser, in real headless Chromium against the real assistant: the student's
widget and the adviser's dashboard open at once, the request arriving in the adviser's queue without a
reload, answers both ways, the adviser's page reloaded mid-chat, the student's page reloaded too, and the
hand-back; with axe-core scans of the new pages and screenshots for the README."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from analytics import accounts
from analytics.sync import conversations_engine
from deploy.launcher import Assistant, running_web_app
from tests.test_browser import (  # one Chromium per module, with the same helpers
    ANSWER_TIMEOUT_MS,
    DASHBOARD_PASSWORD,
    DESKTOP,
    _sign_in,
    ask,
    axe_violations,
    bot_messages,
    browser,  # noqa: F401 (a fixture)
    expect,
    screenshot,
)
from tests.test_handover import schools_file
from tests.web_chat import WebChat

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture(scope="module")
def web(servers: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app with advisers in at any hour, and an adviser of the demo school."""
    folder = tmp_path_factory.mktemp("web_handover")
    engine = conversations_engine(servers.tracker_url)
    accounts.create_user(engine, "adviser-live", DASHBOARD_PASSWORD, "adviser", ["demo"])
    accounts.create_user(engine, "dsl-live", DASHBOARD_PASSWORD, "safeguarding", ["demo"])
    engine.dispose()
    env = {
        "SCHOOLS_FILE": str(schools_file(folder, "Mon-Sun 00:00-23:59")),
        "TRACKER_DATABASE_URL": servers.tracker_url,
    }
    with running_web_app(folder, servers.rasa_url, env) as url:
        yield url


@pytest.fixture
def two_people(browser):  # noqa: F811
    """A student's browser and an adviser's, separate profiles, open at the same time (axe-core may be
    added to their pages)."""
    student = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    adviser = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    yield student, adviser
    student.close()
    adviser.close()


def test_a_student_and_an_adviser_chat_live_through_reloads_and_the_chat_goes_back_to_the_assistant(
    web, two_people
):
    student_context, adviser_context = two_people
    desk = adviser_context.new_page()
    _sign_in(desk, web, "adviser-live")
    desk.get_by_role("link", name="Chats with a person").click()
    expect(desk.get_by_role("heading", name="Chats with a person")).to_be_visible()
    before = desk.locator("#queue-rows tr").count()

    student = student_context.new_page()
    student.goto(f"{web}/lesson/demo?class=LIVE-1&year=10")
    expect(bot_messages(student)).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    ask(student, "can I talk to someone real about this")
    expect(bot_messages(student).last).to_contain_text("An adviser is online", timeout=ANSWER_TIMEOUT_MS)
    expect(student.locator(".person")).to_contain_text("Waiting for a careers adviser")

    # The request reaches the adviser's open queue without a reload.
    expect(desk.locator("#queue-rows tr")).to_have_count(before + 1, timeout=10_000)
    row = desk.locator("#queue-rows tr.waiting", has_text="LIVE-1")
    expect(row).to_contain_text("Waiting")
    expect(desk.get_by_role("status")).to_contain_text("A student is waiting")
    screenshot(desk, "dashboard-handover-queue")
    assert axe_violations(desk) == []
    row.get_by_role("link", name=re.compile("^Open chat with")).click()
    expect(desk.locator(".transcript.live li.student").first).to_contain_text("can I talk to someone real")
    # The chat before the request appears by itself once the analytics worker has read it.
    expect(desk.locator("#before .transcript li.student").first).to_be_visible(timeout=15_000)
    passed = "Passed the chat to the school's careers advisers"
    expect(desk.locator("#before .transcript")).to_contain_text(passed)
    desk.get_by_label("Your message to the student").fill(
        "Hi, I'm a careers adviser. What would you like to know?"
    )
    desk.get_by_role("button", name="Send").click()
    expect(desk.get_by_role("status").filter(has_text="Sent.")).to_be_visible()

    answer = student.locator(".message.adviser")
    expect(answer).to_contain_text("Careers adviser:", timeout=10_000)
    expect(answer).to_contain_text("What would you like to know?")
    expect(student.locator(".person")).to_contain_text("You're chatting with a careers adviser")

    # The adviser's page is reloaded mid-chat; what the student writes next still arrives, live, and the
    # assistant says nothing to it.
    desk.reload()
    answers_before = bot_messages(student).count()
    student.get_by_label("Your message").fill("which a levels do I need for medicine")
    student.keyboard.press("Enter")
    expect(desk.locator(".transcript.live li.student").last).to_have_text(
        re.compile("which a levels do I need for medicine"), timeout=ANSWER_TIMEOUT_MS
    )
    expect(student.get_by_role("status").filter(has_text="typing")).to_have_count(
        0, timeout=ANSWER_TIMEOUT_MS
    )
    expect(bot_messages(student)).to_have_count(answers_before)
    desk.get_by_label("Your message to the student").fill(
        "Chemistry and biology, usually. Let me find out more."
    )
    desk.keyboard.press("Tab")
    desk.get_by_role("button", name="Send").click()
    expect(student.locator(".message.adviser")).to_have_count(2, timeout=10_000)
    desk.evaluate("window.scrollTo(0, 0)")
    screenshot(desk, "dashboard-handover-chat")
    assert axe_violations(desk) == []

    # The student's page is reloaded too: the chat, the adviser's answers and the bar are all still there.
    student.reload()
    expect(student.locator(".message.adviser")).to_have_count(2)
    expect(student.locator(".person")).to_be_visible()
    screenshot(student, "widget-with-adviser")
    assert axe_violations(student) == []

    desk.get_by_role("button", name="Hand back to the assistant").click()
    expect(desk.get_by_text("This chat is back with the assistant.")).to_be_visible()
    expect(student.locator(".message.note")).to_contain_text("handed the chat back", timeout=10_000)
    expect(student.locator(".person")).to_be_hidden()
    ask(student, "what does a paramedic do")
    expect(student.locator(".card").last).to_contain_text("Paramedic", timeout=ANSWER_TIMEOUT_MS)


def test_the_student_goes_back_to_the_assistant_from_the_widget(web, two_people):
    student = two_people[0].new_page()
    student.goto(f"{web}/lesson/demo")
    expect(bot_messages(student)).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    ask(student, "i want to speak to a careers adviser")
    bar = student.locator(".person")
    expect(bar).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    bar.get_by_role("button", name="Back to the assistant").click()
    expect(bar).to_be_hidden()
    expect(bot_messages(student).last).to_contain_text("You went back to the careers assistant")
    ask(student, "how much does a nurse earn")
    expect(bot_messages(student).last).to_contain_text(re.compile("[Nn]urse"), timeout=ANSWER_TIMEOUT_MS)


def test_a_risk_message_in_a_chat_with_an_adviser_reaches_the_safeguarding_leads_open_list_at_once(
    web, two_people
):
    lead = two_people[1].new_page()
    _sign_in(lead, web, "dsl-live")
    lead.goto(f"{web}/dashboard/handovers")
    chat = WebChat(web)
    asked = chat.send("can i speak to a real person").json()["handover"]
    assert asked["status"] == "waiting"
    replies = chat.send("i dont want to be alive anymore").json()["messages"]
    assert any("Childline" in m.get("text", "") for m in replies)  # the student still gets the signposting
    expect(lead.get_by_role("status")).to_contain_text("signalled a risk", timeout=10_000)
    row = lead.locator(f'#queue-rows tr[data-id="{asked["id"]}"]')
    expect(row).to_have_class(re.compile(r"\brisk\b"))
    expect(row).to_contain_text("Signalled a risk")
    row.get_by_role("link", name=re.compile("^Open chat with")).click()
    expect(lead.locator("#chat-risk")).to_be_visible()
    expect(lead.locator(".transcript.live li.risk")).to_contain_text("i dont want to be alive anymore")
