"""The careers advisers' side of a handover (web/handover.py has the student's): the queue of chats
handed over to their schools, live (``/dashboard/handovers``), and one chat with the conversation before
the request and the messages since, where an adviser answers and hands back. For advisers, safeguarding
leads and administrators; teachers do not take chats.

An adviser in a live chat sees a message that signalled a risk, marked, with a note that the assistant
gave the signposting and the safeguarding lead is alerted: it is the adult the student is talking to.
The queue puts a chat at risk first, for every adviser and safeguarding lead of the school at once.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from analytics import handover as records
from analytics.accounts import Account
from analytics.queries import anonymous_id, conversation, local_time
from settings.schools import School
from web.chat import clean_message
from web.dashboard import Refused, signed_in
from web.handover import engine, hub
from web.live import event, handover_topic, last_event_id, school_topic, stream
from web.pages import page

ADVISER_ROLES = ("admin", "adviser", "safeguarding")
NOTE_ADVISER_ENDED = "The careers adviser handed the chat back to the assistant."
CLOSED_ALREADY = "This chat has already been handed back to the assistant."
NOT_YOURS = "That chat doesn't exist or isn't one you can see."


def _row(h: records.Summary, schools: dict[str, School], now: float) -> dict[str, Any]:
    """One handover as the queue shows it (plain text; the page writes it as text)."""
    minutes = max(0, int((now - h.requested_at) // 60))
    if h.status == records.WAITING:
        status = f"Waiting {minutes} min" if minutes else "Waiting, just asked"
    elif h.status == records.ACTIVE:
        status = f"With {h.adviser}" if h.adviser else "With an adviser"
    else:
        status = "Handed back"
    return {
        "id": h.id,
        "student": anonymous_id(h.sender_id),
        "status": status,
        "state": h.status,
        "risk": h.risk,
        "school": schools[h.school].name if h.school in schools else h.school,
        "class_code": h.class_code or "",
        "year_group": f"Year {h.year_group}" if h.year_group else "",
        "asked": local_time(h.requested_at),
        "unanswered": h.unanswered,
    }


async def _handover(request: Request, account: Account) -> records.Summary:
    """The handover the address names, if this user may see it; raises :class:`Refused` otherwise."""
    h = await anyio.to_thread.run_sync(records.get, engine(request), request.path_params["id"])
    if h is None or not account.scope.allows(h.school):
        raise Refused(NOT_YOURS)
    return h


async def _queue(request: Request, account: Account) -> list[dict[str, Any]]:
    schools = request.app.state.chat.schools
    found = await anyio.to_thread.run_sync(records.queue, engine(request), account.scope.schools)
    now = time.time()
    return [_row(h, schools, now) for h in found]


def _topics_of(request: Request, account: Account) -> tuple[str, ...]:
    schools = request.app.state.chat.schools
    return tuple(school_topic(s) for s in schools if account.scope.allows(s))


@signed_in(*ADVISER_ROLES)
async def queue_page(request: Request, account: Account, csrf: str) -> Response:
    rows = await _queue(request, account)
    return page(
        "dashboard/handovers.html", account=account, csrf=csrf, rows=rows, path=request.url.path, query=""
    )


@signed_in(*ADVISER_ROLES)
async def queue_stream(request: Request, account: Account, csrf: str) -> Response:
    """The queue, sent whole whenever it changes (and every few seconds, for the waiting times). An open
    queue is what tells a student that an adviser is in."""
    last: list[dict[str, Any]] | None = None

    async def read() -> tuple[list[str], bool]:
        nonlocal last
        rows = await _queue(request, account)
        if rows == last:
            return [], False
        last = rows
        return [event("queue", rows)], False

    return stream(hub(request), _topics_of(request, account), read, {})


def _for_adviser(message: records.Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "from": message.author,
        "text": message.text,
        "risk": message.risk,
        "at": local_time(message.at)[-5:],
    }


@signed_in(*ADVISER_ROLES)
async def chat_page(request: Request, account: Account, csrf: str) -> Response:
    h = await _handover(request, account)
    db = engine(request)
    messages = await anyio.to_thread.run_sync(records.messages_after, db, h.id, 0)
    before = await anyio.to_thread.run_sync(_conversation_before, db, account, h)
    schools = request.app.state.chat.schools
    return page(
        "dashboard/handover.html",
        account=account,
        csrf=csrf,
        handover=_row(h, schools, time.time()),
        messages=[_for_adviser(m) for m in messages],
        before=before,
        closed=h.status == records.CLOSED,
        max_chars=records.MAX_ADVISER_CHARS,
        path="/dashboard/handovers",
        query="",
    )


def _conversation_before(engine: sa.engine.Engine, account: Account, h: records.Summary) -> Any:
    """The chat with the assistant, as the dashboard shows it (personal data already taken out); None
    until the analytics worker has read it, a few seconds after it was written."""
    conversation_id = records.conversation_of(engine, h.sender_id)
    if conversation_id is None:
        return None
    return conversation(engine, conversation_id, account.scope, show_risk=True)


@signed_in(*ADVISER_ROLES)
async def chat_stream(request: Request, account: Account, csrf: str) -> Response:
    try:
        h = await _handover(request, account)
    except Refused as refusal:  # a stream's reader is a script, not a person: no page
        return JSONResponse({"error": str(refusal)}, status_code=404)
    db = engine(request)
    after = last_event_id(request.query_params, request.headers)

    async def read() -> tuple[list[str], bool]:
        nonlocal after
        new, now = await anyio.to_thread.run_sync(records.changes, db, h.id, after)
        chunks = [event("message", _for_adviser(m), m.id) for m in new]
        after = new[-1].id if new else after
        if now is not None:
            chunks.append(event("status", {"state": now.status, "risk": now.risk}))
        return chunks, False

    return stream(hub(request), (handover_topic(h.id),), read, {})


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


@signed_in(*ADVISER_ROLES)
async def chat_answer(request: Request, account: Account, csrf: str) -> Response:
    """An adviser's message to the student (the adviser takes the chat if nobody has it)."""
    h = await _handover(request, account)
    form = await request.form()
    text = clean_message(form.get("text"))
    problem, status = None, 400
    if text is None:
        problem = "Type a message first."
    elif len(text) > records.MAX_ADVISER_CHARS:
        problem = f"Please keep a message under {records.MAX_ADVISER_CHARS} characters."
    sent = None
    if problem is None:
        sent = await anyio.to_thread.run_sync(records.answer, engine(request), h.id, account.username, text)
        if sent is None:
            problem, status = CLOSED_ALREADY, 409
        else:
            hub(request).publish(handover_topic(h.id), school_topic(h.school))
    if _wants_json(request):
        if problem:
            return JSONResponse({"error": problem}, status_code=status)
        return JSONResponse({"message": _for_adviser(sent)})
    if problem:
        raise Refused(problem)
    return RedirectResponse(f"/dashboard/handovers/{h.id}", status_code=303)


@signed_in(*ADVISER_ROLES)
async def chat_close(request: Request, account: Account, csrf: str) -> Response:
    """Hand the chat back to the assistant."""
    h = await _handover(request, account)
    if await anyio.to_thread.run_sync(records.close, engine(request), h.id, NOTE_ADVISER_ENDED):
        hub(request).publish(handover_topic(h.id), school_topic(h.school))
    if _wants_json(request):
        return JSONResponse({"status": records.CLOSED})
    return RedirectResponse(f"/dashboard/handovers/{h.id}", status_code=303)


ROUTES = [
    Route("/dashboard/handovers", queue_page),
    Route("/dashboard/handovers/events", queue_stream),
    Route("/dashboard/handovers/{id:int}", chat_page),
    Route("/dashboard/handovers/{id:int}/events", chat_stream),
    Route("/dashboard/handovers/{id:int}/messages", chat_answer, methods=["POST"]),
    Route("/dashboard/handovers/{id:int}/close", chat_close, methods=["POST"]),
]
