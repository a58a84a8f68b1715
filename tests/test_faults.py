"""What a student sees when part of the assistant is down, and that the conversation carries on when it
comes back: the real action server, the Rasa server and a real PostgreSQL server are stopped (the Rasa
server killed, as a crash would) and started again. With several Rasa servers, see test_scale_out.py."""

from __future__ import annotations

import pytest

from tests.conftest import OnPostgres
from tests.web_chat import WebChat

pytestmark = pytest.mark.e2e


def test_with_the_action_server_down_the_student_gets_an_apology_then_the_chat_carries_on(
    on_postgres: OnPostgres,
):
    chat = WebChat(on_postgres.web)
    assert "nurse" in chat.say("what does a nurse do")[0].lower()
    on_postgres.assistant.stop("actions")
    try:
        text, buttons = chat.say("how much do they earn")
        assert "something went wrong on my side" in text and "try again" in text.lower()
        retry = next(b for b in buttons if b["title"] == "Try again")
    finally:
        on_postgres.assistant.start("actions")
    text, _ = chat.say(retry["payload"])
    assert "pay for" in text.lower() and "nurse" in text.lower()  # it still knows the career


def test_with_the_database_down_the_student_is_answered_and_the_chat_carries_on_after(
    on_postgres: OnPostgres,
):
    chat = WebChat(on_postgres.web)
    assert "vet" in chat.say("what does a vet do")[0].lower()
    on_postgres.postgres.stop()
    try:
        on_postgres.postgres.wait_until_down()
        text, buttons = chat.say("what does a plumber do")
        assert text.strip(), "the student got silence"
        if "something went wrong" in text:
            assert any(b["title"] == "Try again" for b in buttons)
    finally:
        on_postgres.postgres.start()
    text, _ = chat.say("how much do they earn")
    assert "pay for a vet" in text.lower()  # the conversation from before the outage


def test_with_the_rasa_server_killed_the_student_is_asked_to_try_again_and_the_chat_carries_on_after(
    on_postgres: OnPostgres,
):
    chat = WebChat(on_postgres.web)
    assert "nurse" in chat.say("what does a nurse do")[0].lower()
    on_postgres.assistant.kill("rasa")
    try:
        reply = chat.send("how much do they earn")
        # The widget shows this, keeps the message and sends it again by itself.
        assert reply.status_code == 503
        assert (
            reply.json()["error"] == "The careers helper is not answering right now. Please try again soon."
        )
    finally:
        on_postgres.assistant.start("rasa")
    text, _ = chat.say("how much do they earn")
    assert "pay for an adult nurse" in text.lower()  # the conversation from before the crash
