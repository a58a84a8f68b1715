"""The careers-readiness check: five statements a student rates from "not at all" to "completely", at
the start and at the end of a lesson or a term, on the themes of the Careers & Enterprise Company's
Future Skills Questionnaire (knowing the options, confidence in next steps, skills), in this project's
own words. A teacher turns it on in a lesson link; the dashboard shows each class's change.

Only counts are stored (``analytics_readiness``): how many students gave each rating, per day, class,
lesson and moment. A class's average is shown only once at least ``MIN_ANSWERS`` students have answered,
so that no figure is one student's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Engine

from analytics.models import ReadinessCount
from analytics.sync import upsert
from contract import Lesson

# (key, what the student rates): each is one of the Future Skills Questionnaire's themes.
ITEMS = (
    ("jobs", "I know about lots of different jobs and careers I could do."),
    (
        "routes",
        "I know the ways I could go after school, such as sixth form, college, T Levels, "
        "apprenticeships or university.",
    ),
    ("next_step", "I feel confident about choosing my next step."),
    ("skills", "I know which skills and subjects would help me in careers I'm interested in."),
    ("help", "I know where to find information and help about careers."),
)
SCALE = ("Not at all", "A little", "Partly", "Mostly", "Completely")  # ratings 1 to 5
MOMENTS = ("start", "end")
MIN_ANSWERS = 5
KEYS = {key for key, _ in ITEMS}


def ratings_problem(ratings: object) -> str | None:
    """What is wrong with a check's answers as the browser sent them, or None."""
    if not isinstance(ratings, dict) or not ratings:
        return "Send the ratings as {statement: 1 to 5}."
    for key, value in ratings.items():
        if key not in KEYS:
            return "There is no such statement: rate the statements the check shows."
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= len(SCALE):
            return f"Rate each statement from 1 to {len(SCALE)}."
    return None


def record(
    engine: Engine,
    school: str,
    lesson: Mapping[str, Any],
    moment: str,
    ratings: Mapping[str, int],
    day: str | None = None,
) -> None:
    """Add one student's answers to the counts (``ratings_problem`` must have passed)."""
    key = {
        "day": day or dt.date.today().isoformat(),
        "school": school,
        "class_code": lesson[Lesson.CLASS_CODE],
        "lesson_topic": lesson.get(Lesson.TOPIC) or "",
        "year_group": lesson.get(Lesson.YEAR_GROUP) or 0,
        "moment": moment,
    }
    rows = [{**key, "item": item, "rating": rating, "answers": 1} for item, rating in ratings.items()]
    with engine.begin() as conn:  # one statement: students answering at the same moment all count
        insert = upsert(conn, ReadinessCount)
        conn.execute(
            insert.on_conflict_do_update(
                index_elements=[*key, "item", "rating"], set_={"answers": ReadinessCount.answers + 1}
            ),
            rows,
        )
