"""The analytics worker (``python -m analytics sync --follow``, which the launcher starts beside the web
app): it derives new conversation turns from Rasa's events every few seconds, so that dashboard pages
find little to do, and deletes chats older than the retention period at start and every few hours.

A process of its own, so that the web app only serves pages; several workers, or a dashboard page
deriving at the same moment, change nothing twice (:func:`analytics.sync.sync_turns`)."""

from __future__ import annotations

import logging
import signal
import sys
import time

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from analytics import retention
from analytics.sync import sync_turns

PURGE_EVERY_S = 6 * 3600
log = logging.getLogger(__name__)


def follow(engine: Engine, every_s: float, retention_months: int) -> None:
    """Derive and purge until stopped (SIGTERM or Ctrl-C)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # at once: a half-done batch is rolled back
    log.info("Analytics worker: new turns every %s s, chats kept %s months", every_s, retention_months)
    last_purge = None
    try:
        while True:
            try:
                sync_turns(engine)
                retention.finish_forgetting(engine)
                if last_purge is None or time.monotonic() - last_purge > PURGE_EVERY_S:
                    deleted = retention.delete_expired(engine, retention_months)
                    last_purge = time.monotonic()
                    if deleted:
                        log.info("Deleted %s chats older than %s months", deleted, retention_months)
            except sa.exc.SQLAlchemyError as problem:  # the database busy or away: try again next time
                log.warning("could not update the analytics turns: %s", problem)
            time.sleep(every_s)
    except KeyboardInterrupt:
        return
