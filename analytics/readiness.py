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

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from analytics.accounts import Scope
from analytics.models import ReadinessCount
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
    for item, rating in ratings.items():
        where = [getattr(ReadinessCount, k) == v for k, v in {**key, "item": item, "rating": rating}.items()]
        for _ in range(3):  # another student answering at the same moment may add the row first
            try:
                with engine.begin() as conn:
                    done = conn.execute(
                        sa.update(ReadinessCount).where(*where).values(answers=ReadinessCount.answers + 1)
                    ).rowcount
                    if not done:
                        conn.execute(
                            sa.insert(ReadinessCount).values(**key, item=item, rating=rating, answers=1)
                        )
                break
            except sa.exc.IntegrityError:
                continue


def change_by_class(
    engine: Engine,
    date_from: str,
    date_to: str,
    scope: Scope,
    school: str | None = None,
    class_code: str | None = None,
) -> list[dict[str, Any]]:
    """Per class and statement: how many answered at the start and at the end, the average rating of
    each (when at least ``MIN_ANSWERS`` answered) and the change from start to end."""
    r = ReadinessCount
    where = [r.day >= date_from, r.day <= date_to]
    if school:
        where.append(r.school == school)
    if class_code:
        where.append(r.class_code == class_code)
    if scope.schools is not None:
        where.append(r.school.in_(sorted(scope.schools)))
    if scope.classes is not None:
        where.append(r.class_code.in_(sorted(scope.classes)))
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                r.school,
                r.class_code,
                r.item,
                r.moment,
                sa.func.sum(r.answers).label("answers"),
                sa.func.sum(r.answers * r.rating).label("total"),
            )
            .where(*where)
            .group_by(r.school, r.class_code, r.item, r.moment)
        ).all()
    found: dict[tuple[str, str], dict[str, dict[str, tuple[int, int]]]] = {}
    for row in rows:
        found.setdefault((row.school, row.class_code), {}).setdefault(row.item, {})[row.moment] = (
            int(row.answers),
            int(row.total),
        )
    out = []
    for (school_id, code), items in sorted(found.items()):
        statements = []
        for key, statement in ITEMS:
            start, end = (items.get(key, {}).get(m, (0, 0)) for m in MOMENTS)
            means = [round(total / n, 1) if n >= MIN_ANSWERS else None for n, total in (start, end)]
            change = round(means[1] - means[0], 1) if None not in means else None
            statements.append(
                {
                    "item": key,
                    "statement": statement,
                    "start_answers": start[0],
                    "start": means[0],
                    "end_answers": end[0],
                    "end": means[1],
                    "change": change,
                }
            )
        out.append({"school": school_id, "class_code": code, "statements": statements})
    return out
