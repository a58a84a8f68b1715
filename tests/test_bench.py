"""CI's short version of ``make bench`` (``python -m bench --quick``): every benchmark runs on this
machine, writes its figures to the one combined report, and the figures that are promises hold: no
student message lost or unanswered under load, with one Rasa server or two, or with one of two killed."""

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


def test_the_short_benchmark_run_reports_every_figure_and_loses_nothing(tmp_path: Path):
    require_model()
    redis_or_skip()
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        env=child_env({"BENCH_RESULTS": str(tmp_path)}),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["quick"] is True and report["machine"]["cpus"] >= 1
    assert set(report["benchmarks"]) == set(benchmarks(quick=True))
    figures = report["benchmarks"]

    assert figures["nlu"]["holdout"]["intent_macro_f1"] > 0.8
    assert figures["ncs_answers"]["titles_asked"] == 100 and figures["ncs_answers"]["answered_share"] > 0.9
    assert figures["safeguarding"]["tuned_assistant"]["recall"] == 1.0
    serve = figures["serve"]
    assert set(serve["p95_ratio_ours_to_bare"]) == {"1_students", "8_students", "32_students"}
    assert set(serve["targets_met"]) == {"p95_at_1_and_8_students", "throughput_at_8_students"}
    assert all(level["errors"] == 0 for level in serve["ours"].values())
    assert serve["memory_rss_mb"]["rasa"] > 100 and serve["startup_s"]["rasa"] > 0
    load = figures["load"]
    assert load["errors"] == load["lost_messages"] == load["conversations_out_of_order"] == 0, load
    scale = figures["scale_out"]
    for run_name in ("one_rasa_server", "two_rasa_servers", "two_rasa_servers_one_killed_mid_load"):
        figures_of_run = scale[run_name]
        assert figures_of_run["errors"] == figures_of_run["lost_messages"] == 0, figures_of_run
        assert figures_of_run["conversations_out_of_order"] == 0, figures_of_run
    assert scale["throughput_two_to_one"] > 0
    assert figures["dashboard"]["postgresql"]["worst_page_p95_ms"] > 0
