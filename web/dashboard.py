"""The advisers' dashboard (``/dashboard``): sign in, then overview, what students ask about, what the
assistant could not answer (with an export as NLU training data), conversation review, Gatsby Benchmarks
evidence, CSV export of every table, opportunity import and, for administrators, users.

Pages are server-rendered, with their charts drawn as SVG on the server, so everything reads without
JavaScript. Pages only read: the analytics worker (``analytics/worker.py``) derives the tables they read
from Rasa's events every few seconds.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import anyio
from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from analytics import accounts, queries, readiness
from analytics.accounts import Account, AccountError
from analytics.sync import TOPIC_OF_INTENT
from careers_catalog.data_rules import CatalogDataError
from careers_catalog.opportunities.importer import import_opportunities_data
from web.chat import clean_message
from web.lessons import link_signature
from web.login_throttle import LoginThrottle, wait_message
from web.pages import page

COOKIE = "careers_dashboard"
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
NUMBER = re.compile(r"^[0-9]{1,6}$")
LARGEST_ID = 2**62  # ids beyond what the databases hold are not looked up
MAX_UPLOAD_BYTES = 2_000_000
MAX_FORM_BYTES = MAX_UPLOAD_BYTES + 64_000  # the upload and the rest of its form
MAX_ACTIVITY_CHARS = 200
# The topics a conversation list can be narrowed to, by the names "what students ask about" shows.
TOPICS = tuple(sorted(set(TOPIC_OF_INTENT.values()) - {"safeguarding"}))
Handler = Callable[[Request, Account, str], Awaitable[Response]]


class Refused(Exception):
    """The signed-in user may not see what was asked for; the message says why."""


def _engine(request: Request) -> Engine:
    return request.app.state.conversations


def signed_in(*roles: str) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a page so that only a signed-in user (with one of ``roles``, if given) reaches it."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            engine = _engine(request)
            found = await anyio.to_thread.run_sync(
                accounts.session_account, engine, request.cookies.get(COOKIE)
            )
            if found is None:
                return RedirectResponse(f"/dashboard/login?next={request.url.path}", status_code=303)
            account, csrf = found
            if roles and account.role not in roles:
                return _refused(account, "This page is for administrators.")
            if request.method == "POST":
                form = await request.form()
                if form.get("csrf") != csrf:
                    return _refused(account, "This form has expired: go back, reload the page and try again.")
            try:
                return await handler(request, account, csrf)
            except Refused as refusal:
                return _refused(account, str(refusal))

        return endpoint

    return wrap


def _refused(account: Account, why: str) -> Response:
    return page("dashboard/refused.html", status=403, account=account, why=why)


def _filters(request: Request, account: Account) -> queries.Filters:
    """The filters in the query string; raises :class:`Refused` if they reach beyond what the user may
    see."""
    q = request.query_params
    default = queries.Filters.last_days(30)
    date_from = q.get("from") if DATE.match(q.get("from", "")) else default.date_from
    date_to = q.get("to") if DATE.match(q.get("to", "")) else default.date_to
    school = q.get("school") or None
    class_code = (q.get("class") or "").upper() or None
    if not account.scope.allows(school, class_code):
        raise Refused("You can only see your own school's or classes' conversations.")
    return queries.Filters(date_from, date_to, school, class_code, q.get("lesson") or None)


def _career_titles(request: Request) -> dict[str, str]:
    """Each career id's title, for tables that count careers by id."""
    return {cid: names[0] for cid, names in request.app.state.catalog.career_names().items()}


def _csv(name: str, header: list[str], rows: list[list[Any]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:  # a leading = + - @ would be run as a formula by spreadsheets
        writer.writerow([f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _context(
    request: Request, account: Account, csrf: str, f: queries.Filters, **more: Any
) -> dict[str, Any]:
    schools = request.app.state.chat.schools
    visible = [s for s in schools.values() if account.scope.allows(s.id)]
    query = {"from": f.date_from, "to": f.date_to, "school": f.school, "class": f.class_code}
    return {
        "account": account,
        "csrf": csrf,
        "filters": f,
        "schools": visible,
        "classes": account.classes if account.role == "teacher" else (),
        "query": urlencode({k: v for k, v in query.items() if v}),
        "path": request.url.path,
        **more,
    }


async def login(request: Request) -> Response:
    """The sign-in form, and signing in."""
    engine = _engine(request)
    next_path = request.query_params.get("next", "/dashboard")
    if not next_path.startswith("/dashboard"):
        next_path = "/dashboard"
    if request.method == "GET":
        return page("dashboard/login.html", next=next_path)
    form = await request.form()
    username, password = str(form.get("username", ""))[:200], str(form.get("password", ""))[:1000]
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    wait = throttle.wait(username, address)
    if wait is not None:
        headers = {"Retry-After": str(max(1, round(wait)))}
        return page(
            "dashboard/login.html", status=429, next=next_path, error=wait_message(wait), headers=headers
        )
    account = await anyio.to_thread.run_sync(accounts.authenticate, engine, username, password)
    if account is None:
        throttle.failed(username, address)
        return page(
            "dashboard/login.html",
            status=401,
            next=next_path,
            error="That username and password don't match.",
        )
    throttle.succeeded(username)
    token, _ = await anyio.to_thread.run_sync(accounts.start_session, engine, account)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=accounts.SESSION_HOURS * 3600,
        path="/dashboard",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@signed_in()
async def logout(request: Request, account: Account, csrf: str) -> Response:
    await anyio.to_thread.run_sync(accounts.end_session, _engine(request), request.cookies.get(COOKIE))
    response = RedirectResponse("/dashboard/login", status_code=303)
    response.delete_cookie(COOKIE, path="/dashboard")
    return response


@signed_in()
async def overview(request: Request, account: Account, csrf: str) -> Response:
    f = _filters(request, account)
    figures = await anyio.to_thread.run_sync(queries.overview, _engine(request), f, account.scope)
    if request.query_params.get("format") == "csv":
        rows = [[d["day"], d["conversations"], d["students"], d["messages"]] for d in figures["by_day"]]
        return _csv("overview-by-day", ["day", "conversations", "students", "messages"], rows)
    return page("dashboard/overview.html", **_context(request, account, csrf, f, figures=figures))


@signed_in()
async def asks(request: Request, account: Account, csrf: str) -> Response:
    f = _filters(request, account)
    figures = await anyio.to_thread.run_sync(queries.asks, _engine(request), f, account.scope)
    table = request.query_params.get("table")
    if request.query_params.get("format") == "csv" and table in ("careers", "subjects", "topics", "riasec"):
        return _csv(f"asks-{table}", [table.rstrip("s"), "students"], [list(r) for r in figures[table]])
    titles = _career_titles(request)
    return page("dashboard/asks.html", **_context(request, account, csrf, f, figures=figures, titles=titles))


@signed_in()
async def unanswered(request: Request, account: Account, csrf: str) -> Response:
    f = _filters(request, account)
    groups = await anyio.to_thread.run_sync(queries.unanswered, _engine(request), f, account.scope)
    wanted = request.query_params.get("format")
    if wanted == "nlu":
        return Response(
            queries.nlu_training_data(groups),
            media_type="application/x-yaml; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="unanswered_nlu.yml"'},
        )
    if wanted == "csv":
        rows = [[g.example, g.count, g.last_day, " | ".join(g.messages)] for g in groups]
        return _csv("unanswered", ["example", "times", "last_day", "all_messages"], rows)
    return page("dashboard/unanswered.html", **_context(request, account, csrf, f, groups=groups))


@signed_in()
async def conversation_list(request: Request, account: Account, csrf: str) -> Response:
    f = _filters(request, account)
    q = request.query_params
    page_number = max(int(q["page"]) if NUMBER.match(q.get("page", "")) else 1, 1)
    catalog = request.app.state.catalog
    named = (q.get("career") or "").strip()[:80]
    career = await anyio.to_thread.run_sync(catalog.resolve, named) if named else None
    topic = q.get("topic") if q.get("topic") in TOPICS else None
    choice = {"topic": topic, "career": named or None, "flag": q.get("flag") or None}
    if named and career is None:
        rows: list[dict[str, Any]] = []
    else:
        rows = await anyio.to_thread.run_sync(
            lambda: queries.conversations(
                _engine(request),
                f,
                account.scope,
                topic=topic,
                career=career.career_id if career else None,
                flag=choice["flag"],
                limit=50,
                offset=(page_number - 1) * 50,
                show_risk=account.sees_risk,
            )
        )
    titles = _career_titles(request)
    for row in rows:
        row["careers"] = [titles.get(cid, cid) for cid in row["careers"]]
    if q.get("format") == "csv":
        header = ["conversation", "student", "school", "class_code", "started", "first_message", "careers"]
        header += ["messages", "unanswered", "risk", "reviewed"]
        data = [[r["conversation_id"], *(r[k] for k in header[1:])] for r in rows]
        for line in data:
            line[6] = "; ".join(line[6])
        return _csv("conversations", header, data)
    unknown = bool(named and not career)
    more = {"topics": TOPICS, "career_titles": sorted(titles.values()), "unknown_career": unknown}
    context = _context(request, account, csrf, f, rows=rows, choice=choice, page_number=page_number, **more)
    return page("dashboard/conversations.html", **context)


@signed_in()
async def conversation_detail(request: Request, account: Account, csrf: str) -> Response:
    engine = _engine(request)
    conversation_id = int(request.path_params["conversation_id"])
    if conversation_id >= LARGEST_ID:
        raise Refused("That conversation doesn't exist or isn't one you can see.")
    found = await anyio.to_thread.run_sync(
        queries.conversation, engine, conversation_id, account.scope, account.sees_risk
    )
    if found is None:
        raise Refused("That conversation doesn't exist or isn't one you can see.")
    if request.method == "POST":
        form = await request.form()
        reviewed, note = form.get("reviewed") == "yes", str(form.get("note", ""))
        await anyio.to_thread.run_sync(
            queries.save_review, engine, conversation_id, reviewed, note, account.username
        )
        return RedirectResponse(request.url.path + "?saved=1", status_code=303)
    return page(
        "dashboard/conversation.html",
        account=account,
        csrf=csrf,
        conversation=found,
        saved=request.query_params.get("saved") == "1",
    )


@signed_in()
async def sign_activity(request: Request, account: Account, csrf: str) -> Response:
    """The signature that lets a lesson link show a teacher's own activity (the teacher page asks for it
    as the teacher types): only signed-in staff get one, for a school they may see."""
    q = request.query_params
    school, topic = q.get("school", ""), q.get("topic", "")
    activity = clean_message(q.get("activity", "")) or ""
    if not account.scope.allows(school) or school not in request.app.state.chat.schools:
        raise Refused("You can only make lesson links for your own school.")
    if topic not in request.app.state.chat.topics or not 0 < len(activity) <= MAX_ACTIVITY_CHARS:
        return JSONResponse({"error": f"Pick a topic and write 1 to {MAX_ACTIVITY_CHARS} characters."}, 400)
    signature = link_signature(request.app.state.config.signing_key(), school, topic, activity)
    return JSONResponse({"activity": activity, "sig": signature})


@signed_in(*accounts.SEES_RISK)
async def safeguarding(request: Request, account: Account, csrf: str) -> Response:
    """Conversations in which a message signalled a risk, for the school's safeguarding lead."""
    f = _filters(request, account)
    rows = await anyio.to_thread.run_sync(queries.flagged, _engine(request), f, account.scope)
    return page("dashboard/safeguarding.html", **_context(request, account, csrf, f, rows=rows))


@signed_in()
async def gatsby(request: Request, account: Account, csrf: str) -> Response:
    """Gatsby Benchmarks evidence: 2, 4 and 5 per class; 3 and 7 by year group; each by term."""
    f = _filters(request, account)
    rows = await anyio.to_thread.run_sync(queries.gatsby, _engine(request), f, account.scope)
    evidence = await anyio.to_thread.run_sync(
        queries.gatsby_needs_and_learning, _engine(request), f, account.scope
    )
    if request.query_params.get("format") == "csv":
        table = request.query_params.get("table")
        if table == "terms":
            header = ["term", "year_group", "students", "b2", "b3", "b4", "b5", "b7"]
            return _csv("gatsby-by-term", header, [[t[k] for k in header] for t in evidence["terms"]])
        if table == "years":
            header = ["year_group", "students", *(f"b3 {v}" for v in evidence["needs"])]
            header += [f"b7 {v}" for v in evidence["learning"]]
            data = [
                [y["year_group"], y["students"], *y["needs"].values(), *y["learning"].values()]
                for y in evidence["years"]
            ]
            return _csv("gatsby-by-year-group", header, data)
        header = list(rows[0]) if rows else ["school", "class_code", "students"]
        return _csv("gatsby-benchmarks", header, [list(r.values()) for r in rows])
    context = _context(request, account, csrf, f, rows=rows, evidence=evidence, totals=evidence["totals"])
    return page("dashboard/gatsby.html", **context)


@signed_in()
async def readiness_change(request: Request, account: Account, csrf: str) -> Response:
    """The careers-readiness check: each class's average ratings at the start and at the end."""
    f = _filters(request, account)
    classes = await anyio.to_thread.run_sync(queries.readiness_change, _engine(request), f, account.scope)
    if request.query_params.get("format") == "csv":
        header = ["school", "class_code", "item", "start_answers", "start", "end_answers", "end", "change"]
        rows = [
            [c["school"], c["class_code"], *(s[k] for k in header[2:])]
            for c in classes
            for s in c["statements"]
        ]
        return _csv("readiness", header, rows)
    more = {"classes": classes, "scale": readiness.SCALE, "min_answers": readiness.MIN_ANSWERS}
    return page("dashboard/readiness.html", **_context(request, account, csrf, f, **more))


@signed_in("admin", "adviser")
async def opportunities(request: Request, account: Account, csrf: str) -> Response:
    """Import employers' opportunities from a CSV file (the same importer as the command line)."""
    f = queries.Filters.last_days(30)
    context = _context(request, account, csrf, f)
    if request.method == "GET":
        return page("dashboard/opportunities.html", **context)
    form = await request.form()
    upload = form.get("file")
    if upload is None or not hasattr(upload, "read") or not upload.filename:
        return page("dashboard/opportunities.html", status=400, problems=["Choose a CSV file."], **context)
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return page(
            "dashboard/opportunities.html", status=413, problems=["That file is over 2 MB."], **context
        )
    name = re.sub(r"[^A-Za-z0-9._-]", "_", upload.filename)[:80]
    try:
        result = await anyio.to_thread.run_sync(
            import_opportunities_data, request.app.state.catalog.engine, data, name
        )
    except CatalogDataError as problem:
        return page("dashboard/opportunities.html", status=400, problems=problem.problems, **context)
    return page("dashboard/opportunities.html", imported=result.opportunities, file=name, **context)


@signed_in("admin")
async def users(request: Request, account: Account, csrf: str) -> Response:
    engine = _engine(request)
    f = queries.Filters.last_days(30)
    message, problem = None, None
    if request.method == "POST":
        form = await request.form()
        try:
            if form.get("delete"):
                if not NUMBER.match(str(form["delete"])):
                    raise AccountError("no such user")
                user_id = int(str(form["delete"]))
                if user_id == account.id:
                    raise AccountError("you can't delete your own account while signed in")
                await anyio.to_thread.run_sync(accounts.delete_user, engine, user_id)
                message = "User deleted."
            else:
                schools = [s.strip() for s in str(form.get("schools", "")).split(",") if s.strip()]
                unknown = [s for s in schools if s not in request.app.state.chat.schools]
                if unknown:
                    raise AccountError(f"no school with the id {', '.join(unknown)} in the schools file")
                created = await anyio.to_thread.run_sync(
                    lambda: accounts.create_user(
                        engine,
                        str(form.get("username", "")).strip(),
                        str(form.get("password", "")),
                        str(form.get("role", "")),
                        schools,
                        [c.strip() for c in str(form.get("classes", "")).split(",") if c.strip()],
                    )
                )
                message = f"Added {created.username} ({created.role})."
        except AccountError as error:
            problem = f"Not saved: {error}."
    all_users = await anyio.to_thread.run_sync(accounts.list_users, engine)
    context = _context(request, account, csrf, f, users=all_users, message=message, problem=problem)
    return page("dashboard/users.html", status=400 if problem else 200, roles=accounts.ROLES, **context)


ROUTES = [
    Route("/dashboard/login", login, methods=["GET", "POST"]),
    Route("/dashboard/logout", logout, methods=["POST"]),
    Route("/dashboard", overview),
    Route("/dashboard/asks", asks),
    Route("/dashboard/unanswered", unanswered),
    Route("/dashboard/conversations", conversation_list),
    Route("/dashboard/conversations/{conversation_id:int}", conversation_detail, methods=["GET", "POST"]),
    Route("/dashboard/gatsby", gatsby),
    Route("/dashboard/safeguarding", safeguarding),
    Route("/dashboard/readiness", readiness_change),
    Route("/dashboard/lesson-activity", sign_activity),
    Route("/dashboard/opportunities", opportunities, methods=["GET", "POST"]),
    Route("/dashboard/users", users, methods=["GET", "POST"]),
]
