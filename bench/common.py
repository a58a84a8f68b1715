"""Shared helpers for benchmarks: percentiles, result files, a scratch PostgreSQL database and process
readings. The benchmarks start the servers with the one launcher (deploy/launcher.py)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from settings import ROOT, current

RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
RASA = str(Path(sys.executable).parent / "rasa")
MODEL = current().rasa_model


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50, p95, p99 and mean of a list of milliseconds, rounded to 0.01 ms."""
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "n": len(ordered),
        "p50_ms": round(cuts[49], 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


def report(name: str, figures: dict[str, Any]) -> dict[str, Any]:
    """Print the figures and write them to bench/results/NAME.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    figures = {"benchmark": name, "when": time.strftime("%Y-%m-%dT%H:%M:%S"), **figures}
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2))
    print(f"\n== {name} ==")
    for key, value in figures.items():
        if key not in ("benchmark",):
            print(f"  {key}: {value}")
    return figures


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty database on the PostgreSQL server of TEST_POSTGRES_URL; dropped afterwards."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield str(make_url(POSTGRES_URL).set(database=name))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (user and system), from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
