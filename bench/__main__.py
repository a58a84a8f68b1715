"""Run every benchmark: ``python -m bench`` (``make bench``), then write them all to one report,
bench/results/report.json, with the machine they ran on. ``--quick`` runs a short version (CI runs it:
tests/test_bench.py): fewer rounds, no training run, no cross-validation, and the NLU and safeguarding
figures on one set each (the held-out and the first tuning set) instead of all.

Each benchmark also prints its figures and writes bench/results/NAME.json as it finishes. One that fails
(a server missing on this machine, say) is recorded in the report with its error, the others still run,
and the command ends with status 1."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from bench import (
    conversations,
    dashboard,
    evidence,
    handover,
    load,
    matching,
    ncs_answers,
    nlu,
    opportunities,
    redaction,
    safeguarding,
    scale_out,
    search,
    serve,
    widget,
)
from bench.common import RESULTS


def benchmarks(quick: bool) -> dict[str, Callable[[], Any]]:
    # The blind conversations run in CI as tests (tests/test_conversations.py), so not in the short run.
    slow = {} if quick else {"conversations": conversations.main}
    return {
        **slow,
        "search": lambda: search.main(rounds=500 if quick else 3000),
        "matching": matching.main,
        "opportunities": lambda: opportunities.main(rounds=300 if quick else 2000),
        "nlu": lambda: nlu.main(folds=0 if quick else 5, quick=quick),
        "ncs_answers": lambda: ncs_answers.main(titles=100 if quick else None),
        "safeguarding": lambda: safeguarding.main(quick=quick),
        "redaction": redaction.main,
        "evidence": evidence.main,
        "serve": lambda: serve.main(rounds=3 if quick else 20, train=not quick),
        "load": lambda: load.main(conversations=40 if quick else 200),
        "scale_out": lambda: scale_out.main(
            conversations=16 if quick else 64, concurrency=8 if quick else 32
        ),
        "widget": lambda: widget.main(rounds=3 if quick else 10),
        "handover": lambda: handover.main(rounds=10 if quick else 40),
        "dashboard": lambda: dashboard.main(
            events=100_000 if quick else 1_000_000, rounds=5 if quick else 20
        ),
    }


def machine() -> dict[str, Any]:
    import rasa

    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "rasa": rasa.__version__,
        "platform": platform.platform(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short version, as CI runs it")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these benchmarks")
    args = parser.parse_args(argv)
    chosen = {k: v for k, v in benchmarks(args.quick).items() if not args.only or k in args.only}
    combined: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "quick": args.quick,
        "machine": machine(),
        "seconds": {},
        "benchmarks": {},
    }
    failed = []
    for name, run in chosen.items():
        started = time.monotonic()
        try:
            combined["benchmarks"][name] = run()
        except Exception as error:  # one missing part must not lose every other figure
            traceback.print_exc()
            combined["benchmarks"][name] = {"error": f"{type(error).__name__}: {error}"}
            failed.append(name)
        combined["seconds"][name] = round(time.monotonic() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "report.json").write_text(json.dumps(combined, indent=2))
    print(f"\nAll figures: {RESULTS / 'report.json'}")
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
