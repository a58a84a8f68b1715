"""NLU quality from Rasa's own ``rasa test nlu`` reports: intent macro-F1 and entity F1 on the held-out
messages (bench/data/nlu_holdout/, written apart from the training data), and with ``folds`` 5-fold
cross-validation over the training data (five models trained, each tested on the fifth it did not see)."""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.common import RASA, RESULTS, ROOT, bench_env, report

MODEL = ROOT / "models" / "careers.tar.gz"
HOLDOUT = ROOT / "bench" / "data" / "nlu_holdout"


def _scores(reports: Path) -> dict[str, Any]:
    """The figures from a folder of ``rasa test nlu`` reports."""
    intents = json.loads((reports / "intent_report.json").read_text())
    entities = json.loads((reports / "DIETClassifier_report.json").read_text())
    answers = json.loads((reports / "response_selection_report.json").read_text())
    weakest = sorted(
        (
            (name, round(v["f1-score"], 3))
            for name, v in intents.items()
            if isinstance(v, dict)
            and "support" in v
            and name not in ("macro avg", "weighted avg", "micro avg")
        ),
        key=lambda item: item[1],
    )[:5]
    return {
        "examples": intents["macro avg"]["support"],
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
        "intent_accuracy": round(intents.get("accuracy", 0.0), 4),
        "entity_macro_f1": round(entities["macro avg"]["f1-score"], 4),
        "entity_career_f1": round(entities.get("career", {}).get("f1-score", 0.0), 4),
        "entity_subject_f1": round(entities.get("subject", {}).get("f1-score", 0.0), 4),
        # Which FAQ answer (confidence/*, education/*) the ResponseSelector picks.
        "faq_answer_macro_f1": round(answers["macro avg"]["f1-score"], 4),
        "weakest_intents": weakest,
    }


def _rasa_test_nlu(out: Path, *args: str) -> float:
    started = time.monotonic()
    subprocess.run(
        [RASA, "test", "nlu", "--out", str(out), "--no-plot", *args],
        cwd=ROOT,
        env=bench_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return round(time.monotonic() - started, 1)


def main(folds: int = 0) -> dict:
    """The held-out figures; with ``folds`` (at least 2), cross-validation figures too."""
    _rasa_test_nlu(RESULTS / "nlu_report", "--model", str(MODEL), "--nlu", str(HOLDOUT))
    figures: dict[str, Any] = {"holdout": _scores(RESULTS / "nlu_report")}
    if folds:
        out = RESULTS / "nlu_cross_validation"
        seconds = _rasa_test_nlu(
            out, "--nlu", "data", "--config", "config.yml", "--cross-validation", "--folds", str(folds)
        )
        figures["cross_validation"] = {"folds": folds, **_scores(out), "seconds": seconds}
    return report("nlu", figures)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (0: none)")
    main(parser.parse_args().folds)
