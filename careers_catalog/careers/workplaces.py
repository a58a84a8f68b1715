"""Places of work that students name instead of a job ("I'd sell my soul to work at Rockstar", "what do
people at NASA do"), each with the careers most people there do, from data/workplaces.yml.

A name counts only after a word that makes it a place of work ("at", "for", "join", "into"), since many
are ordinary words too ("rare", "arm", "sky")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from careers_catalog.paths import DATA_DIR
from careers_catalog.text import normalize

WORKPLACES_FILE = DATA_DIR / "workplaces.yml"
_CUE = r"(?:at|for|with|join|joining|into|in|inside)\s+(?:the\s+)?"


@dataclass(frozen=True)
class Workplace:
    name: str
    careers: tuple[str, ...]  # catalogue ids, the most likely first


@lru_cache(maxsize=4)
def _index(path: Path = WORKPLACES_FILE) -> tuple[re.Pattern[str], dict[str, Workplace]]:
    by_name: dict[str, Workplace] = {}
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        place = Workplace(entry["name"], tuple(entry["careers"]))
        for written in [entry["name"], *entry.get("also", [])]:
            by_name[normalize(written).removeprefix("the ")] = place
    names = sorted(by_name, key=len, reverse=True)
    pattern = re.compile(rf"\b{_CUE}(?P<name>{'|'.join(re.escape(n) for n in names)})\b")
    return pattern, by_name


def workplace_in(text: str, path: Path = WORKPLACES_FILE) -> Workplace | None:
    """The place of work a message says the student would like to work at, if it names one we know."""
    pattern, by_name = _index(path)
    found = pattern.search(normalize(text))
    return by_name[found.group("name")] if found else None


def all_workplaces(path: Path = WORKPLACES_FILE) -> list[Workplace]:
    return list(dict.fromkeys(_index(path)[1].values()))
