"""How good career matching is: written student profiles (bench/data/matching_profiles.yml), each with
the careers a careers adviser would accept for them, against the careers the assistant suggests.

Three ways a student reaches suggestions: what they say they enjoy (free text, as the chat reads it),
their quiz answers, and the quiz with their subjects. For each, the top-5 hit rate (a profile is a hit
when at least one of the first five suggestions is acceptable) and precision at 5 (the share of the five
that are acceptable).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

import yaml

from bench.common import ROOT, report
from careers_catalog import Catalog
from careers_catalog.careers.discovery import SubjectIndex, suggest_careers, suggest_for_message
from careers_catalog.careers.interests import load_interests
from careers_catalog.careers.loader import load_catalog
from careers_catalog.db import make_engine

PROFILES = ROOT / "bench" / "data" / "matching_profiles.yml"
TOP = 5


def main() -> dict:
    profiles = yaml.safe_load(PROFILES.read_text(encoding="utf-8"))
    interests = load_interests()
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Catalog(make_engine(f"sqlite:///{Path(tmp) / 'catalog.db'}"))
        load_catalog(catalog.engine)
        careers = catalog.summaries()
        subjects = SubjectIndex(catalog.subject_names())
        ways = {
            "free_text": lambda p: suggest_for_message(
                careers, interests, p["says"], subjects.find_in_text(p["says"]), limit=TOP
            ),
            "quiz": lambda p: suggest_careers(
                careers, interests, (), interests.from_quiz(dict(enumerate(p["quiz"]))), limit=TOP
            ),
            "quiz_and_subjects": lambda p: suggest_careers(
                careers, interests, p["subjects"], interests.from_quiz(dict(enumerate(p["quiz"]))), limit=TOP
            ),
        }
        figures: dict = {"profiles": len(profiles)}
        misses: list[str] = []
        for way, suggest in ways.items():
            hits, precisions = [], []
            for p in profiles:
                top = [s.career.id for s in suggest(p)][:TOP]
                good = [c for c in top if c in set(p["accept"])]
                hits.append(bool(good))
                precisions.append(len(good) / TOP)
                if not good and way == "free_text":
                    misses.append(p["id"])
            figures[f"{way}_top{TOP}_hit_rate"] = round(statistics.fmean(hits), 3)
            figures[f"{way}_precision_at_{TOP}"] = round(statistics.fmean(precisions), 3)
        figures["free_text_misses"] = misses
    return report("matching", figures)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
