"""NLU quality from Rasa's own ``rasa test nlu`` reports: intent macro-F1 and entity F1 on messages the
model never saw, and with ``folds`` 5-fold cross-validation over the training data (five models trained,
each tested on the fifth it did not see).

Sets of unseen messages: the older held-out set (bench/data/nlu_holdout/), the blind set of issue J
(bench/data/nlu_blind/) and issue L's blind set on asking for a person (bench/data/nlu_blind_handover/),
the blind ones written by a helper who never saw the training data, each in two parts: a
tuning part that may be read while improving the assistant, and a sealed part that must not be. Only
the sealed part's totals are reported (no per-intent figures but the person set's own intent, no list
of misread messages), so that reading this report does not tune on it."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.common import RASA, RESULTS, ROOT, report
from contract import RISK_INTENT
from deploy.launcher import child_env

MODEL = ROOT / "models" / "careers.tar.gz"
HOLDOUT = ROOT / "bench" / "data" / "nlu_holdout"
BLIND = ROOT / "bench" / "data" / "nlu_blind"
# Issue L's blind set: asking for a person, and the messages nearest to it (bot or not, help, a student at
# risk who needs someone to talk to, what a careers adviser's job is like).
PERSON = ROOT / "bench" / "data" / "nlu_blind_handover"
# Issue J's targets, printed beside the figures.
TARGETS = {"intent_macro_f1": 0.93, "entity_macro_f1": 0.90, "cross_validation_intent_macro_f1": 0.90}
AVERAGES = ("macro avg", "weighted avg", "micro avg", "accuracy")


def _scores(reports: Path, sealed: bool = False) -> dict[str, Any]:
    """The figures from a folder of ``rasa test nlu`` reports (totals only for a sealed set)."""
    intents = json.loads((reports / "intent_report.json").read_text())
    entities = json.loads((reports / "DIETClassifier_report.json").read_text())
    answers_file = reports / "response_selection_report.json"  # only for sets naming the FAQ answers
    figures = {
        "examples": intents["macro avg"]["support"],
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
        "intent_accuracy": round(intents.get("accuracy", 0.0), 4),
        "entity_macro_f1": round(entities["macro avg"]["f1-score"], 4),
        "entity_micro_f1": round(entities.get("micro avg", {}).get("f1-score", 0.0), 4),
        "entity_career_f1": round(entities.get("career", {}).get("f1-score", 0.0), 4),
    }
    if answers_file.exists():  # which FAQ answer (confidence/*, education/*) the ResponseSelector picks
        answers = json.loads(answers_file.read_text())
        figures["faq_answer_macro_f1"] = round(answers["macro avg"]["f1-score"], 4)
    figures.update(_safeguarding(intents))
    if "ask_for_person" in intents:  # the sets that ask for a person: its own figures
        person = intents["ask_for_person"]
        figures["ask_for_person_precision"] = round(person["precision"], 4)
        figures["ask_for_person_recall"] = round(person["recall"], 4)
    if not sealed:
        figures["entity_subject_f1"] = round(entities.get("subject", {}).get("f1-score", 0.0), 4)
        figures["weakest_intents"] = sorted(
            (
                (name, round(v["f1-score"], 3))
                for name, v in intents.items()
                if isinstance(v, dict) and "support" in v and name not in AVERAGES
            ),
            key=lambda item: item[1],
        )[:5]
    return figures


def _safeguarding(intents: dict[str, Any]) -> dict[str, float]:
    """Risk messages caught, and ordinary messages answered with the safeguarding signposting (false
    alarms), from the risk intent's precision and recall."""
    risk = intents.get(RISK_INTENT)
    if not risk or not risk["support"]:
        return {}
    caught = risk["recall"] * risk["support"]
    alarms = caught / risk["precision"] - caught if risk["precision"] else 0.0
    ordinary = intents["macro avg"]["support"] - risk["support"]
    return {
        "safeguarding_recall": round(risk["recall"], 4),
        "safeguarding_false_alarms": round(alarms / ordinary, 4),
        "safeguarding_messages": [int(risk["support"]), int(ordinary)],
    }


def _rasa_test_nlu(out: Path, *args: str) -> float:
    started = time.monotonic()
    subprocess.run(
        [RASA, "test", "nlu", "--out", str(out), "--no-plot", *args],
        cwd=ROOT,
        env=child_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return round(time.monotonic() - started, 1)


def unseen(name: str, messages: Path, sealed: bool = False) -> dict[str, Any]:
    """The trained model's figures on one set of unseen messages. A sealed set's detailed reports (which
    messages were misread) are deleted once its totals are read."""
    out = RESULTS / f"nlu_{name}"
    _rasa_test_nlu(out, "--model", str(MODEL), "--nlu", str(messages))
    figures = _scores(out, sealed=sealed)
    if sealed:
        shutil.rmtree(out)
    return figures


def main(folds: int = 0, quick: bool = False) -> dict:
    """The figures on each unseen set (``quick``: the held-out set only, as CI runs it); with ``folds``
    (at least 2), cross-validation figures too."""
    figures: dict[str, Any] = {"holdout": unseen("holdout", HOLDOUT), "targets": TARGETS}
    if not quick:
        figures["blind_tuning"] = unseen("blind_tuning", BLIND / "tuning")
        figures["blind_sealed"] = unseen("blind_sealed", BLIND / "sealed", sealed=True)
        figures["person_tuning"] = unseen("person_tuning", PERSON / "tuning")
        figures["person_sealed"] = unseen("person_sealed", PERSON / "sealed", sealed=True)
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
    parser.add_argument(
        "--only", choices=["holdout", "blind_tuning", "person_tuning"], help="one set, for tuning"
    )
    args = parser.parse_args()
    if args.only:
        sets = {"holdout": HOLDOUT, "blind_tuning": BLIND / "tuning", "person_tuning": PERSON / "tuning"}
        print(json.dumps(unseen(args.only, sets[args.only]), indent=2))
    else:
        main(args.folds)
