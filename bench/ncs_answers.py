"""Does the assistant answer about the National Careers Service's jobs, asked as a student would?

Every NCS job profile title (careers_catalog/data/reference/ncs_titles_2019.csv) is asked three ways
("what does a kitchen porter do", "how much does a kitchen porter earn", "how do i become a kitchen
porter"), lower case as students type. Each question goes through the trained NLU model and the career
action, in process, as the Rasa server and action server would run them; it counts as answered when the
action settles on the career the catalogue holds for that title (careers_catalog/careers/audit.py). Run
``python -m bench.ncs_answers`` after ``make train``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rasa.core.agent import Agent
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bench.common import MODEL, report
from bot.actions.careers import ActionCareerInfo
from bot.actions.messages import a_or_an
from careers_catalog.careers.audit import ncs_coverage
from careers_catalog.careers.loader import read_data
from careers_catalog.paths import DATA_DIR

QUESTIONS = ("what does {a} do", "how much does {a} earn", "how do i become {a}")


def _tracker(text: str, parse: dict[str, Any]) -> Tracker:
    return Tracker(
        sender_id="bench",
        slots={"career": None, "pending_facet": None},
        latest_message={"text": text, "intent": parse["intent"], "entities": parse["entities"]},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def _ask(agent: Agent, expected: dict[str, str]) -> dict[str, Any]:
    answered, asked, misses, took = 0, 0, [], []
    for title, career_id in expected.items():
        for question in QUESTIONS:
            text = question.format(a=a_or_an(title.lower()))
            started = time.perf_counter()
            parse = await agent.parse_message(text)
            events = ActionCareerInfo().run(CollectingDispatcher(), _tracker(text, parse), {})
            took.append(time.perf_counter() - started)
            said = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}.get("career")
            asked += 1
            if said == career_id:
                answered += 1
            elif len(misses) < 25:
                misses.append(f"{text!r}: {said or 'no career'} (expected {career_id})")
    took.sort()
    return {
        "questions": asked,
        "answered": answered,
        "answered_share": round(answered / asked, 3),
        "p95_ms_per_question": round(took[int(0.95 * (len(took) - 1))] * 1000, 1),
        "first_misses": misses,
    }


def main(titles: int | None = None) -> dict[str, Any]:
    """``titles``: ask about only the first so many (a quick run); all 856 by default."""
    data = read_data(DATA_DIR)
    coverage = ncs_coverage(data)
    agent = Agent.load(str(MODEL))
    asked = dict(list(coverage.matched.items())[:titles])
    figures = asyncio.run(_ask(agent, asked))
    return report(
        "ncs_answers",
        {
            "ncs_titles": len(coverage.matched) + len(coverage.unmatched),
            "titles_in_catalogue": len(coverage.matched),
            "titles_asked": len(asked),
            **figures,
        },
    )


if __name__ == "__main__":
    main()
