"""Before a cluster starts (``python -m deploy run --cluster``): the shared PostgreSQL tracker store and
Redis lock store must answer. A missing PostgreSQL database is created; anything else wrong is said
plainly, with what to do."""

from __future__ import annotations

import redis
import sqlalchemy as sa
from sqlalchemy.engine import make_url


def ensure_database(url: str) -> None:
    """Connect to the PostgreSQL database at ``url``, creating it if the server lacks it."""
    target = make_url(url)
    try:
        sa.create_engine(target).connect().close()
        return
    except sa.exc.OperationalError as problem:
        if f'database "{target.database}" does not exist' not in str(problem):
            raise
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    print(f"Created the PostgreSQL database {target.database} for the conversations.")


def cluster_problem(tracker_url: str, redis_host: str, redis_port: int) -> str | None:
    """None when a cluster's shared stores answer; otherwise what is wrong and what to do."""
    if not tracker_url.startswith("postgresql"):
        return (
            "Several Rasa servers must share a PostgreSQL tracker store: set TRACKER_DATABASE_URL (or "
            f"CLUSTER_DATABASE_URL) to a postgresql:// URL (now: {make_url(tracker_url)!r})."
        )
    try:
        ensure_database(tracker_url)
    except sa.exc.OperationalError as problem:
        return (
            f"Cannot reach the PostgreSQL tracker store at {make_url(tracker_url)!r}: {problem.orig}\n"
            "Start PostgreSQL, or set CLUSTER_DATABASE_URL to a server that runs."
        )
    try:
        redis.Redis(host=redis_host, port=redis_port, socket_timeout=3).ping()
    except redis.RedisError as problem:
        return (
            f"Cannot reach Redis at {redis_host}:{redis_port} for Rasa's lock store: {problem}\n"
            "Start Redis (Debian: 'sudo apt-get install redis-server'), or set REDIS_HOST and REDIS_PORT."
        )
    return None
