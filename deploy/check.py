"""Before a cluster starts (``python -m deploy.check TRACKER_DATABASE_URL REDIS_HOST REDIS_PORT``, called
by scripts/run.sh): the shared PostgreSQL tracker store and Redis lock store must answer. A missing
PostgreSQL database is created; anything else wrong is said plainly, with what to do."""

from __future__ import annotations

import sys

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


def main(argv: list[str]) -> int:
    url, redis_host, redis_port = argv
    try:
        ensure_database(url)
    except sa.exc.OperationalError as problem:
        print(
            f"Cannot reach the PostgreSQL tracker store at {make_url(url)!r}: {problem.orig}\n"
            "Start PostgreSQL, or set TRACKER_DATABASE_URL to a server that runs.",
            file=sys.stderr,
        )
        return 1
    try:
        redis.Redis(host=redis_host, port=int(redis_port), socket_timeout=3).ping()
    except redis.RedisError as problem:
        print(
            f"Cannot reach Redis at {redis_host}:{redis_port} for Rasa's lock store: {problem}\n"
            "Start Redis (Debian: 'sudo apt-get install redis-server'), or set REDIS_HOST and REDIS_PORT.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
