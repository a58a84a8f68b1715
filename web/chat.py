"""The chat API the widget talks to: ``/api/chat/{school}`` (messages), ``/api/chat/{school}/config``
(how the chat looks, what a lesson opens on, and the careers-readiness check when the lesson asks for
one), ``/api/chat/{school}/forget`` (the student's "Delete my chat"), ``/api/chat/{school}/readiness``
(a readiness check's answers, kept only as counts) and ``/api/chat/{school}/handover`` (a careers
adviser's answers, live, once the student has asked for a person: web/handover.py).

It answers a school's chat only from that school's allowed origins (CORS), checks and cleans what the
browser sends, adds the school and lesson as metadata (never anything about the student), passes the
message to Rasa's ``widget`` channel and returns the replies as plain data: text, buttons and career
cards. The browser renders all of it as text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import anyio
import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from analytics import readiness
from analytics.retention import forget_chat
from contract import CARD_FIELDS, MAX_MESSAGE_CHARS, Intent, Lesson, payload
from settings.schools import CLASS_CODE, School, origin_of
from web import handover
from web.lessons import YEAR_GROUPS, Topic, opening_for
from web.rate_limit import RateLimit, wait_message

SENDER_ID = re.compile(r"^[A-Za-z0-9-]{16,64}$")  # a chat id, made at random by the widget
SENDER_NEEDED = "A chat id (sender) of 16 to 64 letters, digits or hyphens is needed."
YEAR = re.compile(r"^[0-9]{1,2}$")
# A message of MAX_MESSAGE_CHARS, each written as a JSON escape, with room to spare: anything larger is
# refused (web/middleware.py) before it is read.
MAX_BODY_BYTES = 64_000
RASA_TIMEOUT_S = 30
# The buttons a chat opens with when no lesson topic is set: what each shows and what it sends.
STARTERS = [
    {"title": "What does a software developer do?", "payload": "What does a software developer do?"},
    {"title": "Careers from my subjects", "payload": payload(Intent.ASK_CAREERS_FOR_SUBJECTS)},
    {"title": "Take the interests quiz", "payload": payload(Intent.START_QUIZ)},
    {"title": "Work experience near me", "payload": payload(Intent.FIND_OPPORTUNITIES)},
]
# What the student reads after "Delete my chat": deleted, or kept for the safeguarding lead.
FORGOTTEN = "Your chat has been deleted: from this browser and from the careers helper's records."
KEPT = (
    "I've cleared this chat from your screen. Because something you wrote made me worried about you, your "
    "school's safeguarding lead keeps a copy so that they can check you're OK: that part can't be deleted. "
    "Everything you write from now on starts a new chat."
)
READINESS_THANKS = "Thank you. Your answers are added to your class's, without your name."
RASA_FAILED = "The careers helper had a problem. Please try again."
RASA_AWAY = "The careers helper is not answering right now. Please try again soon."
# When Rasa answers with nothing at all (an action failed: the action server or a database is down).
NO_ANSWER = "Sorry, something went wrong on my side and I couldn't answer that. Please try again in a moment."


@dataclass
class ChatSettings:
    schools: dict[str, School]
    topics: dict[str, Topic]
    rasa_url: str
    own_origin: str | None  # the web app's public origin (WEB_APP_URL); same-origin pages are allowed
    per_sender: RateLimit
    per_address: RateLimit


def clean_message(text: object) -> str | None:
    """The message with control characters and surrounding space removed, and any half of a UTF-16
    surrogate pair that arrived alone (JSON allows ``"\\ud800"``) shown as U+FFFD, so that the message can
    be stored and answered; None if nothing is left."""
    if not isinstance(text, str):
        return None
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    kept = " ".join(kept.split())
    return kept or None


def _error(message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _too_fast(wait: float, headers: dict[str, str]) -> JSONResponse:
    return _error(wait_message(wait), 429, headers | {"Retry-After": str(max(1, round(wait)))})


def _cors_headers(request: Request, school: School, settings: ChatSettings) -> dict[str, str] | None:
    """CORS headers for this request, or None if its origin may not use this school's chat."""
    origin = request.headers.get("origin")
    if origin is None:  # not a browser's cross-site request
        return {}
    normalised = origin_of(origin)  # None for "null" (sandboxed frames, files) and anything odd
    if normalised is None:
        return None
    if normalised in (settings.own_origin, origin_of(str(request.base_url))):
        return {}
    if normalised in school.allowed_origins:
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    return None


SchoolHandler = Callable[[Request, ChatSettings, School, dict[str, str]], Awaitable[Response]]


def for_school(handler: SchoolHandler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap an endpoint of ``/api/chat/{school}`` so that it runs only for a school that is set up, an
    origin that school allows and, for a POST, an address within its rate limit; and gets the school and
    the CORS headers for its answer."""

    async def endpoint(request: Request) -> Response:
        settings: ChatSettings = request.app.state.chat
        # A refusal may be read by the page, so that the widget can say why it cannot chat; a refused
        # preflight still stops the browser from sending any message.
        origin = request.headers.get("origin")
        readable = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"} if origin else {}
        school = settings.schools.get(request.path_params["school"])
        if school is None:
            return _error("This school is not set up for the careers chat.", 404, readable)
        headers = _cors_headers(request, school, settings)
        if headers is None:
            return _error(f"This website is not set up to use {school.name}'s careers chat.", 403, readable)
        if request.method == "POST":  # each address's posts, before the body is read: a flood costs nothing
            wait = settings.per_address.hit(request.client.host if request.client else "unknown")
            if wait is not None:
                return _too_fast(wait, headers)
        return await handler(request, settings, school, headers)

    return endpoint


@for_school
async def preflight(
    request: Request, settings: ChatSettings, school: School, headers: dict[str, str]
) -> Response:
    headers |= {
        "Access-Control-Allow-Methods": "GET, POST",
        "Access-Control-Allow-Headers": "Content-Type, Last-Event-ID",
    }
    return Response(status_code=204, headers=headers | {"Access-Control-Max-Age": "600"})


@for_school
async def config(
    request: Request, settings: ChatSettings, school: School, headers: dict[str, str]
) -> Response:
    """How the chat looks for this school, and what the lesson in the query (``topic``) opens on."""
    body: dict[str, Any] = {
        "school": school.name,
        "colour": school.colour,
        "greeting": school.greeting,
        "max_chars": MAX_MESSAGE_CHARS,
        "starters": STARTERS,
    }
    topic = settings.topics.get(request.query_params.get("topic", ""))
    if topic is not None:
        body["topic"] = {"key": topic.key, "label": topic.label, "opening": opening_for(topic, school.area)}
    moment = request.query_params.get("check")
    if moment in readiness.MOMENTS:
        body["readiness"] = {
            "moment": moment,
            "statements": [{"key": key, "text": text} for key, text in readiness.ITEMS],
            "scale": readiness.SCALE,
        }
    return JSONResponse(body, headers=headers)


def lesson_metadata(lesson: object, topics: dict[str, Topic]) -> dict[str, Any]:
    """The lesson fields the widget sent that are well formed: class code, topic, year group, and whether
    this is a teacher previewing the lesson (so that analytics can leave it out)."""
    if not isinstance(lesson, dict):
        return {}
    kept: dict[str, Any] = {}
    code = lesson.get(Lesson.CLASS_CODE)
    if isinstance(code, str) and CLASS_CODE.match(code):
        kept[Lesson.CLASS_CODE] = code.upper()
    topic = lesson.get(Lesson.TOPIC)
    if isinstance(topic, str) and topic in topics:
        kept[Lesson.TOPIC] = topic
    year = lesson.get(Lesson.YEAR_GROUP)
    if isinstance(year, (int, str)) and not isinstance(year, bool) and YEAR.match(str(year)):
        if int(year) in YEAR_GROUPS:
            kept[Lesson.YEAR_GROUP] = int(year)
    if lesson.get(Lesson.PREVIEW) is True:
        kept[Lesson.PREVIEW] = True
    return kept


async def _body_with_sender(request: Request) -> dict[str, Any] | str:
    """The JSON body with its well-formed chat id (``sender``), or what is wrong with it."""
    try:
        body = json.loads(await request.body())
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep to read
        return "Send JSON with the chat id (sender)."
    if not isinstance(body, dict) or not SENDER_ID.match(str(body.get("sender", ""))):
        return SENDER_NEEDED
    return body


@for_school
async def forget(
    request: Request, settings: ChatSettings, school: School, headers: dict[str, str]
) -> Response:
    """Delete the chat whose id the browser holds, everywhere it is stored, unless a message in it
    signalled a risk (analytics/retention.py). The browser forgets its copy either way."""
    body = await _body_with_sender(request)
    if isinstance(body, str):
        return _error(body, 400, headers)
    try:
        deleted = await anyio.to_thread.run_sync(forget_chat, request.app.state.conversations, body["sender"])
    except sa.exc.SQLAlchemyError:
        return _error("The chat could not be deleted just now. Please try again in a moment.", 503, headers)
    return JSONResponse({"deleted": deleted, "message": FORGOTTEN if deleted else KEPT}, headers=headers)


@for_school
async def readiness_answers(
    request: Request, settings: ChatSettings, school: School, headers: dict[str, str]
) -> Response:
    """One student's readiness-check answers, added to their class's counts; a teacher's preview and a
    chat with no class code are thanked and not counted."""
    try:
        body = json.loads(await request.body())
    except (ValueError, RecursionError):
        return _error("Send JSON: {lesson, moment, ratings}.", 400, headers)
    if not isinstance(body, dict) or body.get("moment") not in readiness.MOMENTS:
        return _error("Say whether this is the check at the start or at the end (moment).", 400, headers)
    problem = readiness.ratings_problem(body.get("ratings"))
    if problem:
        return _error(problem, 400, headers)
    lesson = lesson_metadata(body.get("lesson"), settings.topics)
    if Lesson.CLASS_CODE not in lesson:
        return _error("The readiness check is for a class: the lesson needs a class code.", 400, headers)
    counted = not lesson.get(Lesson.PREVIEW)
    if counted:
        try:
            await anyio.to_thread.run_sync(
                readiness.record,
                request.app.state.conversations,
                school.id,
                lesson,
                body["moment"],
                body["ratings"],
            )
        except sa.exc.SQLAlchemyError:
            return _error(
                "Your answers could not be saved just now. Please try again in a moment.", 503, headers
            )
    return JSONResponse({"counted": counted, "message": READINESS_THANKS}, headers=headers)


@for_school
async def send(request: Request, settings: ChatSettings, school: School, headers: dict[str, str]) -> Response:
    """One student message in, the assistant's replies out."""
    body = await _body_with_sender(request)
    if isinstance(body, str):
        return _error(body, 400, headers)
    message = clean_message(body.get("message"))
    if message is None:
        return _error("Type a message first.", 400, headers)
    if len(message) > MAX_MESSAGE_CHARS:
        return _error(
            f"That message is too long for me: please keep it under {MAX_MESSAGE_CHARS} characters, "
            "or ask one thing at a time.",
            413,
            headers,
        )
    wait = settings.per_sender.hit(body["sender"])
    if wait is not None:
        return _too_fast(wait, headers)
    metadata = {Lesson.SCHOOL: school.id, **lesson_metadata(body.get("lesson"), settings.topics)}
    current = await handover.open_for(request, school, body["sender"])
    try:
        sent = await handover.before_rasa(request, current, message) if current else None
    except sa.exc.SQLAlchemyError:  # the adviser cannot get it: the assistant answers instead
        current = sent = None
    if current is not None:
        metadata[Lesson.HANDOVER] = True
    rasa_body = {"sender": body["sender"], "message": message, "metadata": metadata}
    replies = await _ask_rasa(request.app.state.http, settings.rasa_url, rasa_body)
    if isinstance(replies, str):
        if current is not None:  # the adviser has the message all the same
            state = handover.state_of(current)
            return JSONResponse({"messages": [], "handover": state}, headers=headers)
        return _error(replies, 502 if replies == RASA_FAILED else 503, headers)
    shown = [m for m in map(_plain, replies if isinstance(replies, list) else []) if m]
    try:
        extra = await handover.after_rasa(
            request, school, body["sender"], message, metadata, current, sent, replies, shown
        )
    except sa.exc.SQLAlchemyError:
        extra = ([{"text": handover.NOT_PASSED_ON}], None)
    if extra is not None:
        more, state = extra
        return JSONResponse({"messages": shown + more, "handover": state}, headers=headers)
    if not shown:
        shown = [{"text": NO_ANSWER, "buttons": [{"title": "Try again", "payload": message}]}]
    return JSONResponse({"messages": shown}, headers=headers)


async def _ask_rasa(session: aiohttp.ClientSession, rasa_url: str, body: dict[str, Any]) -> Any:
    """Rasa's replies to one message, or what to tell the student when there are none."""
    try:
        timeout = aiohttp.ClientTimeout(total=RASA_TIMEOUT_S)
        async with session.post(f"{rasa_url}/webhooks/widget/webhook", json=body, timeout=timeout) as reply:
            if reply.status != 200:
                return RASA_FAILED
            return await reply.json()
    except (aiohttp.ClientError, TimeoutError, ValueError):
        return RASA_AWAY


@for_school
async def handover_stream(
    request: Request, settings: ChatSettings, school: School, headers: dict[str, str]
) -> Response:
    """Live: a careers adviser's answers to this chat (Server-Sent Events)."""
    sender = request.query_params.get("sender", "")
    if not SENDER_ID.match(sender):
        return _error(SENDER_NEEDED, 400, headers)
    return await handover.student_stream(request, school, sender, headers)


@for_school
async def handover_end(
    request: Request, settings: ChatSettings, school: School, headers: dict[str, str]
) -> Response:
    """The student goes back to the assistant."""
    body = await _body_with_sender(request)
    if isinstance(body, str):
        return _error(body, 400, headers)
    try:
        return await handover.student_ends(request, school, body["sender"], headers)
    except sa.exc.SQLAlchemyError:
        return _error("That didn't work just now. Please try again in a moment.", 503, headers)


def _plain(reply: object) -> dict[str, Any] | None:
    """One Rasa reply as the widget's plain data; anything else Rasa sent is dropped."""
    if not isinstance(reply, dict):
        return None
    out: dict[str, Any] = {}
    if isinstance(reply.get("text"), str):
        out["text"] = reply["text"]
    buttons = [b for b in reply.get("buttons") or [] if _is_button(b)]
    custom = reply.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("card"), dict):
        card = {k: str(custom["card"][k]) for k in CARD_FIELDS if custom["card"].get(k)}
        if "title" in card:
            out["card"] = card
            out.setdefault("text", custom.get("text") if isinstance(custom.get("text"), str) else "")
            buttons += [b for b in custom.get("buttons") or [] if _is_button(b)]
    if buttons:
        out["buttons"] = [{"title": b["title"], "payload": b["payload"]} for b in buttons]
    return out or None


def _is_button(button: object) -> bool:
    return (
        isinstance(button, dict)
        and isinstance(button.get("title"), str)
        and isinstance(button.get("payload"), str)
    )
