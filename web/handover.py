"""A person when the assistant is not enough: a student's chat handed over to the school's careers
advisers, live on both sides.

- The student asks ("can I talk to someone real", or the button the assistant offers after failing to
  understand twice). Rasa's reply signals it (``Signal.HANDOVER``) and :func:`after_rasa` opens a
  handover and tells the student what happens next: an adviser is watching, nobody is watching yet, or
  it is out of the school's adviser hours and the answer will wait in this browser's chat.
- While the handover is open, the chat API still passes each message to Rasa, marked ``handover``, so it
  is stored and counted like any other and a risk message still gets the safeguarding reply; the
  assistant says nothing else (bot/handover.py). The message, with personal data taken out, goes to the
  adviser, and a risk message flags the handover at once for the safeguarding lead.
- Advisers see the queue and answer on the dashboard (web/advisers.py); both pages and the widget
  follow along by Server-Sent Events (web/live.py). Either side hands the chat back.

This module is the student's side, which the chat API (web/chat.py) calls.

The records are in the conversations database (analytics/handover.py): a chat id and the lesson fields,
never the student's identity.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import anyio
import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from analytics import handover as records
from contract import SIGNAL_KEY, Lesson, Signal
from privacy.redaction import redact
from settings.hours import UK, when_text
from settings.schools import School
from web.live import Hub, event, handover_topic, last_event_id, school_topic, stream

log = logging.getLogger(__name__)
ASKED_IN = (
    "I've asked your school's careers advisers to join this chat. They'll see what we've said so far, but "
    "not your name. An adviser is online, so someone should reply here soon. While an adviser has the "
    "chat, I'll stay quiet."
)
ASKED_NOBODY_ON = (
    "I've asked your school's careers advisers to join this chat. They'll see what we've said so far, but "
    "not your name. Nobody is looking at their messages this minute: when an adviser answers, it will "
    "show here, even if you close this page and open the chat again later on this computer. Until you "
    "get an answer or go back to me, I'll stay quiet."
)
ASKED_OUT_OF_HOURS = (
    "I've passed this chat to your school's careers advisers. They'll see what we've said so far, but not "
    "your name. They answer {hours}, so expect an answer {when}. It will be waiting here when you next "
    'open this chat on this computer. Until then, I\'ll stay quiet: press "Back to the assistant" to ask '
    "me something."
)
ASKED_ALREADY = "You've already asked for a careers adviser: their answer will show here."
NOT_PASSED_ON = (
    "Sorry, I couldn't pass this chat to a careers adviser just now. Please try again in a minute."
)
HANDED_BACK_BY_STUDENT = "You went back to the careers assistant. Ask me anything."
NOTE_STUDENT_ENDED = "The student went back to the assistant."


def hub(request: Request) -> Hub:
    return request.app.state.hub


def engine(request: Request) -> sa.engine.Engine:
    return request.app.state.conversations


def signals_in(replies: object) -> set[str]:
    """The signals in Rasa's replies (custom data the student never sees)."""
    found = set()
    for reply in replies if isinstance(replies, list) else []:
        custom = reply.get("custom") if isinstance(reply, dict) else None
        if isinstance(custom, dict) and isinstance(custom.get(SIGNAL_KEY), str):
            found.add(custom[SIGNAL_KEY])
    return found


def state_of(summary: records.Summary) -> dict[str, Any]:
    """What the widget keeps of a handover: its id and status (and, as answers arrive, the last one)."""
    return {"id": summary.id, "status": summary.status}


async def open_for(request: Request, school: School, sender: str) -> records.Summary | None:
    """The chat's open handover, if any (the chat API marks the message for Rasa from it). With the
    conversations database down, none: the assistant answers, as it does for every other chat then."""
    if school.adviser_hours is None:
        return None
    try:
        return await anyio.to_thread.run_sync(records.open_for, engine(request), school.id, sender)
    except sa.exc.SQLAlchemyError:
        log.warning("Handovers cannot be read (the conversations database is down): the assistant answers")
        return None


async def before_rasa(request: Request, current: records.Summary, text: str) -> records.Message:
    """The student's message to the adviser, with personal data taken out, on the adviser's screen before
    Rasa has even answered."""
    redacted = await anyio.to_thread.run_sync(redact, text)
    message = await anyio.to_thread.run_sync(
        records.add_message, engine(request), current.id, records.STUDENT, redacted
    )
    hub(request).publish(handover_topic(current.id), school_topic(current.school))
    return message


async def after_rasa(
    request: Request,
    school: School,
    sender: str,
    text: str,
    metadata: dict[str, Any],
    current: records.Summary | None,
    sent: records.Message | None,
    replies: object,
    shown: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, Any]] | None:
    """What the student is told beside Rasa's ``shown`` replies, and the handover's state for the
    widget; None when this message has nothing to do with a handover."""
    signals = signals_in(replies)
    if current is not None and sent is not None:
        await _during(request, current, sent, signals, shown)
        return [], state_of(current)
    if Signal.HANDOVER not in signals or school.adviser_hours is None:
        return None
    return await _requested(request, school, sender, text, metadata)


async def _during(
    request: Request,
    current: records.Summary,
    sent: records.Message,
    signals: set[str],
    shown: list[dict[str, Any]],
) -> None:
    """A message written while the handover is open: a risk flags it, and whatever the assistant said
    (only ever the safeguarding reply) is shown to the adviser too."""
    db = engine(request)
    if Signal.RISK in signals:
        await anyio.to_thread.run_sync(records.flag_risk, db, sent.id, current.id)
    said = "\n\n".join(m["text"] for m in shown if m.get("text"))  # Rasa sends each paragraph apart
    if said:
        await anyio.to_thread.run_sync(records.add_message, db, current.id, records.ASSISTANT, said)
    if Signal.RISK in signals or shown:
        hub(request).publish(handover_topic(current.id), school_topic(current.school))


async def _requested(
    request: Request, school: School, sender: str, text: str, metadata: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Open a handover (or find the one already open) and say what happens next."""
    db = engine(request)
    hours = school.adviser_hours
    assert hours is not None
    summary, new = await anyio.to_thread.run_sync(
        records.request,
        db,
        school.id,
        sender,
        str(metadata.get(Lesson.CLASS_CODE, "")),
        int(metadata.get(Lesson.YEAR_GROUP, 0) or 0),
    )
    if new and not text.startswith("/"):  # the request in the student's words opens the adviser's chat
        redacted = await anyio.to_thread.run_sync(redact, text)
        await anyio.to_thread.run_sync(records.add_message, db, summary.id, records.STUDENT, redacted)
    hub(request).publish(school_topic(school.id))
    now = dt.datetime.now(UK)
    if not new:
        text = ASKED_ALREADY
    elif not hours.is_open(now):
        text = ASKED_OUT_OF_HOURS.format(hours=hours.describe(), when=when_text(hours.next_open(now), now))
    elif hub(request).listening(school_topic(school.id)):
        text = ASKED_IN
    else:
        text = ASKED_NOBODY_ON
    return [{"text": text}], state_of(summary)


# --- the student's side -----------------------------------------------------------------------------------


def _for_student(message: records.Message) -> dict[str, Any]:
    return {"id": message.id, "from": message.author, "text": message.text}


async def student_stream(request: Request, school: School, sender: str, headers: dict[str, str]) -> Response:
    """The adviser's answers and what happens to the handover, live, for the browser whose chat it is;
    a status of "none" when the chat has no handover (deleted, or never asked for)."""
    db = engine(request)
    found = await anyio.to_thread.run_sync(records.latest_for, db, school.id, sender)
    if found is None:

        async def none() -> tuple[list[str], bool]:
            return [event("status", {"status": "none"})], True

        return stream(hub(request), (), none, headers)
    after = last_event_id(request.query_params, request.headers)
    authors = (records.ADVISER, records.NOTE)  # the assistant's replies came with the student's message

    async def read() -> tuple[list[str], bool]:
        nonlocal after
        new, now = await anyio.to_thread.run_sync(records.changes, db, found.id, after, authors)
        chunks = [event("message", _for_student(m), m.id) for m in new]
        after = new[-1].id if new else after
        status = now.status if now else records.CLOSED
        chunks.append(event("status", {"status": status}))
        return chunks, status == records.CLOSED

    return stream(hub(request), (handover_topic(found.id),), read, headers)


async def student_ends(request: Request, school: School, sender: str, headers: dict[str, str]) -> Response:
    """The student goes back to the assistant ("Back to the assistant")."""
    db = engine(request)
    found = await anyio.to_thread.run_sync(records.open_for, db, school.id, sender)
    if found is not None:
        await anyio.to_thread.run_sync(records.close, db, found.id, NOTE_STUDENT_ENDED)
        hub(request).publish(handover_topic(found.id), school_topic(school.id))
    return JSONResponse({"message": HANDED_BACK_BY_STUDENT}, headers=headers)
