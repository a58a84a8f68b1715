"""The web app's pages and routes, put together by :func:`create_app`.

Pages: ``/demo`` (a school page with the chat, as a school would embed it), ``/teacher`` (set up a lesson
and copy its snippet or link), ``/lesson/{school}`` (the chat on a page of its own, for a lesson link or
an iframe) and ``/plan`` (the printable careers plan). The widget's script and styles are static files;
its API is in ``web/chat.py``, the advisers' dashboard in ``web/dashboard.py``, and a chat handed over
to a careers adviser in ``web/handover.py`` (the student's side) and ``web/advisers.py`` (the
adviser's). The analytics worker (``analytics/worker.py``, a process of its own) keeps the dashboard's
tables up to date.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import settings
from analytics import readiness
from analytics.sync import conversations_engine
from careers_catalog import Catalog
from careers_catalog.careers.plan import plan_from_link
from privacy.redaction import redact
from settings.schools import School, load_schools, origin_of
from web import advisers, chat, dashboard
from web.lessons import YEAR_GROUPS, lesson_activity, lesson_topics, new_class_code
from web.live import Hub
from web.login_throttle import LoginThrottle
from web.middleware import BodyLimit, SecurityHeaders
from web.pages import page
from web.rate_limit import RateLimit

HERE = Path(__file__).resolve().parent
DEFAULT_BODY_BYTES = 64_000  # a sign-in or review form, with room to spare
MAX_PLAN_IDS = 40  # more than a plan ever holds; longer links are cut, not refused


def _school(request: Request, school_id: str) -> School | None:
    return request.app.state.chat.schools.get(school_id)


async def home(request: Request) -> Response:
    return RedirectResponse("/demo")


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def demo(request: Request) -> Response:
    school = _school(request, "demo") or next(iter(request.app.state.chat.schools.values()))
    return page("demo.html", school=school, base_url=request.app.state.config.web_app_url)


async def privacy(request: Request) -> Response:
    return page("privacy.html", months=request.app.state.config.retention_months)


async def teacher(request: Request) -> Response:
    state = request.app.state.chat
    return page(
        "teacher.html",
        schools=list(state.schools.values()),
        topics=list(state.topics.values()),
        year_groups=YEAR_GROUPS,
        class_code=new_class_code(),
        activities={t.key: t.activities for t in state.topics.values()},
        base_url=request.app.state.config.web_app_url,
    )


async def lesson(request: Request) -> Response:
    """The chat filling a page: what a lesson link opens, and what an iframe snippet shows."""
    school = _school(request, request.path_params["school"])
    if school is None:
        return page("not_found.html", status=404, what="That school is not set up for the careers chat.")
    ancestors = " ".join(["'self'", *sorted(school.allowed_origins)])
    query = request.query_params
    options = {
        "school": school.id,
        "topic": query.get("topic", ""),
        "activity": chat.clean_message(
            lesson_activity(
                request.app.state.chat.topics, school.id, query, request.app.state.config.signing_key()
            )
        )
        or "",
        "class": query.get("class", ""),
        "year": query.get("year", ""),
        "preview": "true" if query.get("preview") == "1" else "",
        "check": query.get("check") if query.get("check") in readiness.MOMENTS else "",
    }
    return page("lesson.html", frame_ancestors=ancestors, school=school, options=options)


async def plan(request: Request) -> Response:
    """The printable careers plan for the career ids in the link the chat gave."""
    query = request.query_params
    careers = [c for c in query.get("careers", "").split(",") if c][:MAX_PLAN_IDS]
    saved = [c for c in query.get("saved", "").split(",") if c][:MAX_PLAN_IDS]
    the_plan = plan_from_link(request.app.state.catalog, careers, saved)
    profiles = {c.id: request.app.state.catalog.profile(c.id) for c in the_plan.careers}
    return page("plan.html", plan=the_plan, profiles=profiles)


def create_app(config: settings.Config | None = None, catalog: Catalog | None = None) -> Starlette:
    """The web app with these settings (default: read from the environment) and catalogue."""
    config = config or settings.current()
    catalog = catalog or Catalog()
    schools = load_schools(config.schools_file)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if any(school.adviser_hours for school in schools.values()):
            # The name finder (privacy/) loads its word lists and spaCy's model on first use, for a few
            # seconds: here, before the app takes requests, not during a student's first handover, and
            # not beside other requests (it holds the interpreter all that time).
            await anyio.to_thread.run_sync(redact, "Hello, I'm warming up")
        async with aiohttp.ClientSession() as session:
            app.state.http = session
            yield

    routes = [
        Route("/", home),
        Route("/health", health),
        Route("/demo", demo),
        Route("/privacy", privacy),
        Route("/teacher", teacher),
        Route("/lesson/{school}", lesson),
        Route("/plan", plan),
        Route("/api/chat/{school}", chat.send, methods=["POST"]),
        Route("/api/chat/{school}", chat.preflight, methods=["OPTIONS"]),
        Route("/api/chat/{school}/config", chat.config, methods=["GET"]),
        Route("/api/chat/{school}/config", chat.preflight, methods=["OPTIONS"]),
        Route("/api/chat/{school}/forget", chat.forget, methods=["POST"]),
        Route("/api/chat/{school}/forget", chat.preflight, methods=["OPTIONS"]),
        Route("/api/chat/{school}/readiness", chat.readiness_answers, methods=["POST"]),
        Route("/api/chat/{school}/readiness", chat.preflight, methods=["OPTIONS"]),
        Route("/api/chat/{school}/handover", chat.handover_stream, methods=["GET"]),
        Route("/api/chat/{school}/handover", chat.preflight, methods=["OPTIONS"]),
        Route("/api/chat/{school}/handover/end", chat.handover_end, methods=["POST"]),
        Route("/api/chat/{school}/handover/end", chat.preflight, methods=["OPTIONS"]),
        *dashboard.ROUTES,
        *advisers.ROUTES,
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            BodyLimit,
            default=DEFAULT_BODY_BYTES,
            limits={"/api/chat/": chat.MAX_BODY_BYTES, "/dashboard/opportunities": dashboard.MAX_FORM_BYTES},
        ),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.config = config
    app.state.catalog = catalog
    app.state.conversations = conversations_engine(config.conversations_url())
    app.state.login_throttle = LoginThrottle()
    app.state.hub = Hub()  # wakes the live pages of a handover (web/live.py)
    per_sender, per_address = config.chat_rate_limits()
    app.state.chat = chat.ChatSettings(
        schools=schools,
        topics=lesson_topics(sorted(catalog.subject_names())),
        rasa_url=config.rasa_address(),
        own_origin=origin_of(config.web_app_url),
        per_sender=RateLimit(per_sender),
        per_address=RateLimit(per_address),
    )
    return app
