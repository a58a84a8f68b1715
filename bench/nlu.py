"""NLU quality on the held-out messages (bench/data/nlu_holdout/, written apart from the training data):
intent macro-F1 and entity F1, from Rasa's own ``rasa test nlu`` reports."""

from __future__ import annotations

import json
import subprocess
import sys

from bench.common import RASA, RESULTS, ROOT, bench_env, report

MODEL = ROOT / "models" / "careers.tar.gz"
HOLDOUT = ROOT / "bench" / "data" / "nlu_holdout"


def main() -> dict:
    out = RESULTS / "nlu_report"
    subprocess.run(
        [RASA, "test", "nlu", "--model", str(MODEL), "--nlu", str(HOLDOUT), "--out", str(out)],
        cwd=ROOT,
        env=bench_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    intents = json.loads((out / "intent_report.json").read_text())
    entities = json.loads((out / "DIETClassifier_report.json").read_text())
    answers = json.loads((out / "response_selection_report.json").read_text())
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
    return report(
        "nlu",
        {
            "holdout_examples": intents["macro avg"]["support"],
            "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
            "intent_accuracy": round(intents.get("accuracy", 0.0), 4),
            "entity_macro_f1": round(entities["macro avg"]["f1-score"], 4),
            "entity_career_f1": round(entities.get("career", {}).get("f1-score", 0.0), 4),
            "entity_subject_f1": round(entities.get("subject", {}).get("f1-score", 0.0), 4),
            # Which FAQ answer (confidence/*, education/*) the ResponseSelector picks.
            "faq_answer_macro_f1": round(answers["macro avg"]["f1-score"], 4),
            "weakest_intents": weakest,
        },
    )


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
