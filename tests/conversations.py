"""Helpers for analytics tests: conversations written into a Rasa ``events`` table as Rasa writes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from bench.analytics_history import RASA_EVENTS, rasa_event

DAY = dt.datetime(2026, 10, 5, 10, 0, tzinfo=dt.timezone.utc).timestamp()  # a Monday in term


@dataclass
class Ask:
    text: str
    intent: str
    action: str = "action_career_info"
    career: str | None = None
    confidence: float = 0.9
    subjects: tuple[str, ...] = ()
    riasec: str | None = None
    risk: str | None = None  # the risk_category the safeguarding classifier gives, for safeguarding_concern


@dataclass
class History:
    """Conversations to add to the events table, written together by ``write``."""

    engine: Engine
    events: list[dict[str, Any]] = field(default_factory=list)

    def add(self, sender: str, asks: list[Ask], at: float = DAY, **metadata: Any) -> None:
        self.events += [
            rasa_event(sender, "slot", at, name="session_started_metadata", value=metadata),
            rasa_event(sender, "action", at, name="action_session_start"),
            rasa_event(sender, "session_started", at),
            rasa_event(sender, "action", at, name="action_listen"),
        ]
        for n, ask in enumerate(asks, start=1):
            t = at + 30 * n
            entities = [{"entity": "subject", "value": s} for s in ask.subjects]
            if ask.risk:
                entities.append({"entity": "risk_category", "value": ask.risk})
            parse = {"intent": {"name": ask.intent, "confidence": ask.confidence}, "entities": entities}
            self.events.append(
                rasa_event(sender, "user", t, text=ask.text, parse_data=parse, metadata=metadata)
            )
            self.events.append(rasa_event(sender, "action", t + 1, name=ask.action))
            answer = "Childline: call 0800 1111" if ask.risk else f"answer to {ask.text}"
            self.events.append(rasa_event(sender, "bot", t + 1, text=answer, data={}))
            if ask.career:
                self.events.append(rasa_event(sender, "slot", t + 1, name="career", value=ask.career))
            if ask.riasec:
                self.events.append(
                    rasa_event(sender, "slot", t + 1, name="interest_profile", value=ask.riasec)
                )
            self.events.append(rasa_event(sender, "action", t + 2, name="action_listen"))

    def write(self) -> None:
        RASA_EVENTS.create(self.engine, checkfirst=True)
        if self.events:
            with self.engine.begin() as conn:
                conn.execute(RASA_EVENTS.insert(), self.events)
        self.events = []
