"""CI's short version of ``make bench`` (``python -m bench --quick``): every benchmark runs on this
machine, writes its figures to the report, and the figures that are promises hold: no student message
lost or unanswered under load, with one Rasa server or two, or with one of two killed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.__main__ import benchmarks
from deploy.launcher import child_env
from settings import ROOT
from tests.conftest import redis_or_skip, require_model

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


# What each benchmark promises, checked on its figures.
PROMISES = {
    "nlu": lambda f: f["holdout"]["intent_macro_f1"] > 0.8,
    "ncs_answers": lambda f: f["titles_asked"] == 100 and f["answered_share"] > 0.9,
    "safeguarding": lambda f: f["tuned_assistant"]["recall"] == 1.0,
    "serve": lambda f: (
        set(f["p95_ratio_ours_to_bare"]) == {"1_students", "8_students", "32_students"}
        and set(f["targets_met"]) == {"p95_at_1_and_8_students", "throughput_at_8_students"}
        and all(level["errors"] == 0 for level in f["ours"].values())
        and f["memory_rss_mb"]["rasa"] > 100
        and f["startup_s"]["rasa"] > 0
    ),
    "load": lambda f: f["errors"] == f["lost_messages"] == f["conversations_out_of_order"] == 0,
    "scale_out": lambda f: (
        all(
            f[run]["errors"] == f[run]["lost_messages"] == f[run]["conversations_out_of_order"] == 0
            for run in ("one_rasa_server", "two_rasa_servers", "two_rasa_servers_one_killed_mid_load")
        )
        and f["throughput_two_to_one"] > 0
    ),
    "dashboard": lambda f: f["postgresql"]["worst_page_p95_ms"] > 0,
    "handover": lambda f: (
        f["request_to_adviser_screen"]["n"] == f["adviser_answer_to_student_stream"]["n"] == 10
    ),
}


# One test per benchmark, so that the test runner can share them out between its workers.
@pytest.mark.parametrize("name", list(benchmarks(quick=True)))
def test_each_benchmark_runs_in_its_short_version_and_keeps_its_promises(name: str, tmp_path: Path):
    require_model()
    redis_or_skip()
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--only", name],
        cwd=ROOT,
        env=child_env({"BENCH_RESULTS": str(tmp_path)}),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["quick"] is True and report["machine"]["cpus"] >= 1
    figures = report["benchmarks"][name]
    assert figures and "error" not in figures, figures
    assert PROMISES.get(name, lambda _: True)(figures), figures
