"""Dashboard figures on a synthetic history of at least 1,000,000 Rasa events (bench/analytics_history.py),
on SQLite and on PostgreSQL: how long deriving the analytics tables takes, and each dashboard page's
latency over HTTP (p50, p95) for an administrator, an adviser filtering by school and a teacher, with the
default 30 days and with the whole school year.

    python -m bench.dashboard [--events N] [--rounds N] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import requests
import sqlalchemy as sa

from analytics import accounts
from analytics.sync import conversations_engine, sync_turns
from bench.analytics_history import write_history
from bench.common import percentiles, postgres_database, report
from deploy.launcher import running_web_app

PASSWORD = "benchmark password"
YEAR = "from=2026-09-01&to=2027-06-30"
PAGES = (
    "/dashboard",
    "/dashboard/asks",
    "/dashboard/unanswered",
    "/dashboard/conversations",
    "/dashboard/gatsby",
    "/dashboard/readiness",
)
VIEWS = {  # who is looking, and at what
    "admin, last 30 days": ("admin", ""),
    "admin, school year": ("admin", YEAR),
    "adviser, one school, school year": ("adviser", f"{YEAR}&school=riverside-high"),
    "teacher, one class, school year": ("teacher", YEAR),
}


def measure(url: str, folder: Path, events: int, rounds: int) -> dict[str, object]:
    engine = conversations_engine(url)
    started = time.perf_counter()
    written = write_history(engine, events)
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    turns = sync_turns(engine)
    derive_s = time.perf_counter() - started
    if engine.dialect.name == "postgresql":  # what autovacuum does soon after a bulk load
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE analytics_facts, analytics_conversations, analytics_turns"))
    accounts.create_user(engine, "admin", PASSWORD, "admin")
    accounts.create_user(engine, "adviser", PASSWORD, "adviser", ["riverside-high"])
    accounts.create_user(engine, "teacher", PASSWORD, "teacher", ["riverside-high"], ["RH-9X"])
    conversation = engine.connect().execute(sa.text("SELECT max(id) FROM analytics_conversations")).scalar()
    engine.dispose()
    figures: dict[str, object] = {
        "events": written,
        "turns": turns,
        "write_history_s": round(write_s, 1),
        "derive_tables_s": round(derive_s, 1),
    }
    worst = 0.0
    with running_web_app(folder, "http://127.0.0.1:9", {"TRACKER_DATABASE_URL": url}) as web:
        sessions = {}
        for role in ("admin", "adviser", "teacher"):
            sessions[role] = requests.Session()
            sessions[role].post(
                f"{web}/dashboard/login", data={"username": role, "password": PASSWORD}, timeout=30
            )
        for view, (role, query) in VIEWS.items():
            for path in (*PAGES, f"/dashboard/conversations/{conversation}"):
                if path.endswith(str(conversation)) and role != "admin":
                    continue
                samples = []
                for _ in range(rounds):
                    start = time.perf_counter()
                    reply = sessions[role].get(f"{web}{path}?{query}", timeout=60)
                    samples.append((time.perf_counter() - start) * 1000)
                    reply.raise_for_status()
                stats = percentiles(samples)
                figures[f"{view}: {path}"] = {"p50_ms": stats["p50_ms"], "p95_ms": stats["p95_ms"]}
                worst = max(worst, stats["p95_ms"])
    figures["worst_page_p95_ms"] = worst
    return figures


def main(events: int = 1_000_000, rounds: int = 20, only: str | None = None) -> dict[str, object]:
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if only in (None, "sqlite"):
            url = f"sqlite:///{folder / 'tracker.db'}"
            figures["sqlite"] = report("dashboard_sqlite", measure(url, folder, events, rounds))
        if only in (None, "postgresql"):
            with postgres_database() as url:
                figures["postgresql"] = report("dashboard_postgresql", measure(url, folder, events, rounds))
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    main(args.events, args.rounds, args.only)
