"""Engines and sessions for the catalogue database (SQLite file by default, PostgreSQL by URL)."""

from __future__ import annotations

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

import settings
from careers_catalog.careers.models import Base
from careers_catalog.opportunities.models import OPPORTUNITY_TABLES  # registers those tables on Base


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: :meth:`settings.Config.catalog_url`), with the schema created."""
    url = url or settings.current().catalog_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_foreign_keys)
    else:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    Base.metadata.create_all(engine)
    return engine


def _sqlite_foreign_keys(dbapi_connection, _record) -> None:  # noqa: ANN001
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, future=True, expire_on_commit=False)


def drop_catalog_tables(engine: Engine) -> None:
    """Drop the tables the loader rebuilds from the data files, keeping imported opportunities."""
    tables = [t for t in Base.metadata.sorted_tables if t.name not in OPPORTUNITY_TABLES]
    Base.metadata.drop_all(engine, tables=tables)
    Base.metadata.create_all(engine)
