"""Catalogue search latency: title, alias, misspelling and whole-sentence queries over the real
catalogue (target: p95 under 5 ms)."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from bench.common import percentiles, report
from careers_catalog import Catalog
from careers_catalog.careers.loader import load_catalog
from careers_catalog.db import make_engine

SENTENCES = [
    "wat does a sofware enginer do",
    "tell me about cyber security jobs",
    "can you get paid to be a hacker",
    "how much does a web developer earn",
    "what subjects do i need to be a vet",
    "i wanna be an electrican when i leave school",
]


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 5:
        return text
    i = rng.randrange(1, len(text) - 1)
    return (
        text[:i] + text[i + 1 :] if rng.random() < 0.5 else text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    )


def main(rounds: int = 3000) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Catalog(make_engine(f"sqlite:///{Path(tmp) / 'catalog.db'}"))
        load_catalog(catalog.engine)
        rng = random.Random(7)
        names = [n for names in catalog.career_names().values() for n in names]
        catalog.search("warm up")
        queries = []
        for _ in range(rounds):
            name = rng.choice(names)
            queries.append(rng.choice([name, name.lower(), _typo(name.lower(), rng), f"{name}s"]))
        timings = []
        for query in queries:
            start = time.perf_counter()
            catalog.search(query)
            timings.append((time.perf_counter() - start) * 1000)
        sentence_timings = []
        for _ in range(200):
            for sentence in SENTENCES:
                start = time.perf_counter()
                catalog.find_in_text(sentence)
                sentence_timings.append((time.perf_counter() - start) * 1000)
        essay = ("i like helping people and being outside with animals and my sofware enginer " * 130)[
            :10_000
        ]
        essay_timings = []
        for _ in range(100):
            start = time.perf_counter()
            catalog.find_in_text(essay)
            catalog.search(essay)
            essay_timings.append((time.perf_counter() - start) * 1000)
        return report(
            "catalog_search",
            {
                "careers": catalog.count(),
                "names_indexed": len(catalog.names),
                "search": percentiles(timings),
                "find_in_sentence": percentiles(sentence_timings),
                "both_on_10000_char_message": percentiles(essay_timings),
                "target": "search p95 < 5 ms",
            },
        )


if __name__ == "__main__":
    main()
