"""How well the word lists of analytics/data/evidence.yml tell what a student's message asks about for
Gatsby Benchmarks 3 and 7 (disability or additional needs, money, first in the family; college or sixth
form, university, T Levels, apprenticeships), on messages written blind by a helper who never saw the
lists (bench/data/evidence_blind/). Precision: of the messages counted as a kind, how many are; recall:
of the messages of a kind, how many are counted. The dashboard counts students by these.

Two parts: a tuning part that may be read while improving the lists (per-kind figures and the misread
messages are printed), and a sealed part that must not be (totals only)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from analytics.evidence import asked_about
from bench.common import ROOT, report

BLIND = ROOT / "bench" / "data" / "evidence_blind"


def _load(path: Path) -> list[tuple[str, set[str]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(m["text"], set(m["kinds"])) for m in data["messages"]]


def score(messages: list[tuple[str, set[str]]], sealed: bool = False) -> dict[str, Any]:
    kinds: dict[str, dict[str, int]] = {}
    exact, misread = 0, []
    for text, wanted in messages:
        found = {value for _, value in asked_about(text)}
        exact += found == wanted
        if found != wanted:
            misread.append({"text": text, "wanted": sorted(wanted), "found": sorted(found)})
        for kind in wanted | found:
            k = kinds.setdefault(kind, {"tp": 0, "fp": 0, "fn": 0})
            k["tp" if kind in wanted and kind in found else "fp" if kind in found else "fn"] += 1
    tp = sum(k["tp"] for k in kinds.values())
    fp = sum(k["fp"] for k in kinds.values())
    fn = sum(k["fn"] for k in kinds.values())
    figures: dict[str, Any] = {
        "messages": len(messages),
        "exactly_right_share": round(exact / len(messages), 3),
        "micro_precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
        "micro_recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
    }
    if not sealed:
        figures["per_kind"] = {
            kind: {
                "precision": round(k["tp"] / (k["tp"] + k["fp"]), 3) if k["tp"] + k["fp"] else 0.0,
                "recall": round(k["tp"] / (k["tp"] + k["fn"]), 3) if k["tp"] + k["fn"] else 0.0,
            }
            for kind, k in sorted(kinds.items())
        }
        figures["misread"] = misread
    return figures


def main(only_tuning: bool = False) -> dict[str, Any]:
    figures = {"blind_tuning": score(_load(BLIND / "tuning.yml"))}
    if not only_tuning:
        figures["blind_sealed"] = score(_load(BLIND / "sealed.yml"), sealed=True)
    return report("evidence", figures)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tuning", action="store_true", help="the tuning part only, while tuning")
    main(parser.parse_args().tuning)
