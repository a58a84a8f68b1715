"""What a student's typed message shows for Gatsby Benchmarks 3 (addressing the needs of each young
person) and 7 (encounters with further and higher education), by the word lists of
``analytics/data/evidence.yml``. The sync keeps only the kinds a message asked about (a fact per
conversation), never the words that matched.

Also the school terms the dashboard shows trends by: autumn (September to December), spring (January to
April) and summer (May to August), in the school year that starts in September.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import yaml

EVIDENCE_FILE = Path(__file__).parent / "data" / "evidence.yml"
NEED = "need"  # a fact's kind: a Benchmark 3 question
LEARNING = "learning"  # a fact's kind: a Benchmark 7 question
_GROUPS = {"needs": NEED, "further and higher education": LEARNING}
TERMS = ((1, "spring"), (5, "summer"), (9, "autumn"))  # the month each term starts, in a calendar year
SCHOOL_YEAR_STARTS = 9  # September: a school year is named by the year it starts in


@lru_cache(maxsize=1)
def _patterns() -> dict[tuple[str, str], re.Pattern]:
    """(fact kind, what was asked about) -> a pattern of its words."""
    data = yaml.safe_load(EVIDENCE_FILE.read_text(encoding="utf-8"))
    out = {}
    for group, kind in _GROUPS.items():
        for value, words in data[group].items():
            alternatives = [
                re.escape(w.removesuffix("*")) + (r"\w*" if w.endswith("*") else "") for w in words
            ]
            out[(kind, value)] = re.compile(
                r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE
            )
    return out


def asked_about(text: str) -> list[tuple[str, str]]:
    """The (kind, value) facts a typed message shows, such as ("need", "money")."""
    text = text.replace("’", "'")
    return [key for key, pattern in _patterns().items() if pattern.search(text)]


def kinds_of(group: str) -> list[str]:
    """The values of one kind (``NEED`` or ``LEARNING``), in the file's order."""
    return [value for kind, value in _patterns() if kind == group]


def term_of(day: str) -> str:
    """The school term a day (YYYY-MM-DD) falls in, such as "2026/27 autumn"."""
    date = dt.date.fromisoformat(day)
    start_year = date.year if date.month >= SCHOOL_YEAR_STARTS else date.year - 1
    name = [name for month, name in TERMS if month <= date.month][-1]
    return f"{start_year}/{(start_year + 1) % 100:02d} {name}"
