"""How well the assistant spots messages that signal risk: recall on written risk messages and the
false-positive rate on ordinary ones (bench/data/safeguarding/).

Five sets, each written apart from the others and from the training data: ``risk.yml``/``ordinary.yml``
(the phrase list was tuned on it), ``second/`` (measured untouched first, then tuned on: see issue F's
closing note), ``heldout/`` (meant never to tune anything; issue J chose between two models on it, so it
is spent), ``blind2/``, written blind for issue J with a tuning part and a sealed part whose messages
are never printed, and ``blind3/``, all sealed, written blind at the end of issue J to compare the
assistant before and after it. Each message goes through the trained model's full NLU pipeline, which
ends with bot/safeguarding_classifier.py, exactly as in a conversation; the phrase list alone is
measured too.
Targets: recall 100% on the tuning sets and no lower than before on the others, false positives under
2% (1% on ordinary blind messages, issue J).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bench.common import MODEL, ROOT, report
from bot.safeguarding import detect
from contract import RISK_INTENT

DATA = ROOT / "bench" / "data" / "safeguarding"
# Each set: its folder, and the files of risk and of ordinary messages in it. The long sets are messages
# of 400 to 6,000 characters (a student's whole story, a risk somewhere in it or none), written blind for
# issue H.
SETS = {
    "tuned": (DATA, ["risk.yml"], ["ordinary.yml"]),
    "second": (DATA / "second", ["risk.yml"], ["ordinary.yml"]),
    "heldout": (DATA / "heldout", ["risk.yml"], ["ordinary.yml"]),
    "long": (DATA / "long", ["risk.yml"], ["ordinary.yml", "second_ordinary.yml"]),
    "heldout_long": (DATA / "heldout", ["long_risk.yml"], ["long_ordinary.yml", "long_ordinary_2.yml"]),
    # Written blind for issue J, after the held-out sets above had been looked at: short and long
    # messages, with look-alikes. Tune on ``blind2_tuning``; ``blind2_sealed`` is for the final figures.
    "blind2_tuning": (DATA / "blind2" / "tuning", ["risk.yml"], ["ordinary.yml"]),
    "blind2_sealed": (DATA / "blind2" / "sealed", ["risk.yml"], ["ordinary.yml"]),
    # Written blind at the end of issue J to compare the assistant before and after it on messages neither
    # was tuned on: all sealed.
    "blind3_sealed": (DATA / "blind3" / "sealed", ["risk.yml"], ["ordinary.yml"]),
}
# Sets whose messages are never printed: what they missed stays unseen, so that they still measure.
UNSEEN = ("heldout", "blind2_sealed", "blind3_sealed")


Messages = list[dict[str, str]]


def load(folder: Path, risk: list[str], ordinary: list[str]) -> tuple[Messages, Messages]:
    def messages(names: list[str]) -> Messages:
        return [m for n in names for m in yaml.safe_load((folder / n).read_text("utf-8"))["messages"]]

    return messages(risk), messages(ordinary)


def _figures(risk: list[dict], ordinary: list[dict], caught: dict[str, bool]) -> dict[str, Any]:
    missed = [m for m in risk if not caught[m["text"]]]
    false_alarms = [m for m in ordinary if caught[m["text"]]]
    totals, hits = (
        Counter(m["category"] for m in risk),
        Counter(m["category"] for m in risk if caught[m["text"]]),
    )
    return {
        "risk_messages": len(risk),
        "ordinary_messages": len(ordinary),
        "recall": round(1 - len(missed) / len(risk), 4) if risk else None,
        "false_positive_rate": round(len(false_alarms) / len(ordinary), 4),
        "recall_by_category": {c: round(hits[c] / n, 3) for c, n in sorted(totals.items())},
        "missed": [m["text"] for m in missed],
        "false_alarms": [m["text"] for m in false_alarms],
    }


async def _parse_all(texts: list[str]) -> tuple[dict[str, bool], list[float]]:
    from rasa.core.agent import Agent  # loading Rasa takes a while: only when the model is measured

    agent = Agent.load(str(MODEL))
    caught, latencies = {}, []
    for text in texts:
        started = time.perf_counter()
        parsed = await agent.parse_message(text)
        latencies.append((time.perf_counter() - started) * 1000)
        caught[text] = (parsed.get("intent") or {}).get("name") == RISK_INTENT
    return caught, latencies


def main(quick: bool = False) -> dict[str, Any]:
    """The phrase list's and the assistant's figures on every set (``quick``: the first tuning set only,
    whose recall CI checks)."""
    sets = {name: load(*files) for name, files in SETS.items() if not quick or name == "tuned"}
    texts = sorted({m["text"] for risk, ordinary in sets.values() for m in risk + ordinary})
    phrase_list = {t: (c := detect(t)) is not None and c.is_risk for t in texts}
    started = time.perf_counter()
    for t in texts:
        detect(t)
    phrase_ms = (time.perf_counter() - started) * 1000 / len(texts)
    figures: dict[str, Any] = {"phrase_list_ms_per_message": round(phrase_ms, 3)}
    if MODEL.exists():
        pipeline, latencies = asyncio.run(_parse_all(texts))
        figures["nlu_parse_p50_ms"] = round(statistics.median(latencies), 1)
    else:
        pipeline = None
        figures["note"] = f"no trained model at {MODEL}: the phrase list alone was measured"
    for name, (risk, ordinary) in sets.items():
        for layer, caught in (("phrase_list", phrase_list), ("assistant", pipeline)):
            if caught is None:
                continue
            measured = _figures(risk, ordinary, caught)
            if name.startswith(UNSEEN):  # its figures only: what it missed stays unseen
                measured = {k: v for k, v in measured.items() if k not in ("missed", "false_alarms")}
            figures[f"{name}_{layer}"] = measured
    return report("safeguarding", figures)


if __name__ == "__main__":
    result = main()
    tuned = result.get("tuned_assistant") or result["tuned_phrase_list"]
    sys.exit(0 if tuned["recall"] == 1.0 and tuned["false_positive_rate"] < 0.02 else 1)
