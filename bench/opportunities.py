"""Opportunity search speed: 10,000 opportunities spread over real postcode districts across the UK,
searched from random places with and without filters (target: p95 under 20 ms)."""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from bench.common import percentiles, report
from careers_catalog.data_rules import SECTORS
from careers_catalog.db import make_engine, session_factory
from careers_catalog.geo import Districts, Place
from careers_catalog.opportunities.importer import replace_opportunities
from careers_catalog.opportunities.models import KINDS
from careers_catalog.opportunities.search import OpportunityFinder

TODAY = dt.date(2026, 11, 23)


def _rows(count: int, rng: random.Random) -> list[dict]:
    districts = list(Districts.load().by_code.values())
    rows = []
    for i in range(count):
        d = rng.choice(districts)
        start = TODAY + dt.timedelta(days=rng.randrange(10, 200))
        rows.append(
            {
                "employer": f"Employer {i % 1500}",
                "title": f"Opportunity {i}",
                "kind": rng.choice(list(KINDS)),
                "career_areas": rng.sample(sorted(SECTORS), 2),
                "outward_code": d.code,
                "town": d.places[0],
                "latitude": d.latitude,
                "longitude": d.longitude,
                "start_date": start,
                "end_date": start,
                "expires": start + dt.timedelta(days=rng.choice([-300, 1, 30])),  # some already expired
                "year_min": 10,
                "year_max": 13,
                "how_to_apply": "Ask your school's careers lead",
                "url": None,
                "description": "A benchmark listing.",
                "sample": True,
            }
        )
    return rows


def main(count: int = 10_000, rounds: int = 2000) -> dict:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'catalog.db'}")
        with session_factory(engine).begin() as session:
            replace_opportunities(session, _rows(count, rng), "bench")
        finder = OpportunityFinder(engine, today=lambda: TODAY)
        started = time.perf_counter()
        active = len(finder.listings())
        load_ms = (time.perf_counter() - started) * 1000
        districts = list(Districts.load().by_code.values())
        samples, results = [], 0
        for _ in range(rounds):
            d = rng.choice(districts)
            kinds = {rng.choice(list(KINDS))} if rng.random() < 0.5 else set()
            areas = {rng.choice(sorted(SECTORS))} if rng.random() < 0.5 else set()
            t = time.perf_counter()
            result = finder.search(Place(d.code, d.latitude, d.longitude), kinds, areas)
            samples.append((time.perf_counter() - t) * 1000)
            results += len(result.found)
        return report(
            "opportunities",
            {
                "opportunities": count,
                "not_expired": active,
                "first_load_ms": round(load_ms, 1),
                "searches": rounds,
                "mean_results": round(results / rounds, 2),
                "search": percentiles(samples),
            },
        )


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
