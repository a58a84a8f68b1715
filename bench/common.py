"""Shared helpers for benchmarks: percentiles, result files, starting the servers."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
RASA = str(Path(sys.executable).parent / "rasa")


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false", **extra}


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 300) -> float:
    """Seconds until ``url`` answers; raises if the process dies or the time runs out."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            if requests.get(url, timeout=2).ok:
                return time.monotonic() - start
        except requests.ConnectionError:
            pass
        time.sleep(0.25)
    raise TimeoutError(url)
