"""How well personal data is taken out of what students type (privacy/redaction.py), and how often an
ordinary message is changed when it should have been stored exactly as typed.

bench/data/redaction/ holds two sets, written blind by a helper who saw neither the redactor nor the
training data: ``tuning/`` (looked at while improving the redactor) and ``sealed/`` (never looked at;
only its figures are read). In ``personal.yml`` each message lists the substrings that identify someone;
a message counts as redacted when none of them is left in what would be stored (case-insensitively).
``ordinary.yml`` messages must come out unchanged.

    python -m bench.redaction
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bench.common import RESULTS, ROOT, report
from bot.tracker_store import redact_events

DATA = ROOT / "bench" / "data" / "redaction"
SETS = ("tuning", "sealed")


def _messages(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]


def stored_text(text: str) -> str:
    """What the tracker store would keep of a student's message: its text, its parse data's text and
    its entities, all in one string so that nothing can hide in any of them."""
    event = {"event": "user", "text": text, "parse_data": {"text": text, "entities": []}}
    kept = redact_events([event])[0]
    return f"{kept['text']}\n{kept['parse_data']['text']}"


def measure(folder: Path) -> dict[str, Any]:
    personal, ordinary = _messages(folder / "personal.yml"), _messages(folder / "ordinary.yml")
    latencies, leaks, changed = [], [], []
    kinds, caught = Counter(), Counter()
    for message in personal:
        started = time.perf_counter()
        kept = stored_text(message["text"]).casefold()
        latencies.append((time.perf_counter() - started) * 1000)
        left = [p for p in message["personal"] if str(p).casefold() in kept]
        kinds[message["kind"]] += 1
        if left:
            leaks.append({"text": message["text"], "left": left, "kind": message["kind"]})
        else:
            caught[message["kind"]] += 1
    for message in ordinary:
        started = time.perf_counter()
        kept = stored_text(message["text"]).split("\n")[0]
        latencies.append((time.perf_counter() - started) * 1000)
        if kept != message["text"]:
            changed.append({"text": message["text"], "stored": kept, "kind": message.get("kind")})
    return {
        "personal_messages": len(personal),
        "ordinary_messages": len(ordinary),
        "recall": round(1 - len(leaks) / len(personal), 4),
        "false_redaction_rate": round(len(changed) / len(ordinary), 4),
        "recall_by_kind": {k: round(caught[k] / n, 3) for k, n in sorted(kinds.items())},
        "ms_per_message_p50": round(statistics.median(latencies), 2),
        "ms_per_message_p95": round(sorted(latencies)[int(0.95 * (len(latencies) - 1))], 2),
        "missed": leaks,
        "changed": changed,
    }


def main(sets: tuple[str, ...] = SETS, show: str | None = None) -> dict[str, Any]:
    stored_text("warm up: load the name recogniser")
    figures = {name: measure(DATA / name) for name in sets}
    if "sealed" in figures:  # its figures only: what it missed is never shown, so it stays unseen
        figures["sealed"] = {k: v for k, v in figures["sealed"].items() if k not in ("missed", "changed")}
    for name, f in figures.items():
        print(
            f"redaction, {name}: recall {f['recall']:.1%} of {f['personal_messages']} messages with personal "
            f"data; ordinary messages changed {f['false_redaction_rate']:.1%} of {f['ordinary_messages']}; "
            f"p50 {f['ms_per_message_p50']} ms, p95 {f['ms_per_message_p95']} ms"
        )
        print(f"  recall by kind: {f['recall_by_kind']}")
        if name == show:
            for leak in f["missed"]:
                print(f"  MISSED {leak['kind']}: {leak['text']!r} left {leak['left']}")
            for change in f["changed"]:
                print(f"  CHANGED {change['kind']}: {change['text']!r} -> {change['stored']!r}")
    lists = ("missed", "changed")
    summary = {f"{name}_{k}": v for name, f in figures.items() for k, v in f.items() if k not in lists}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "redaction_tuning_details.json").write_text(json.dumps(figures.get("tuning"), indent=2))
    return report("redaction", summary)


if __name__ == "__main__":
    import sys

    # --show tuning lists what was missed and changed in the tuning set (never the sealed one).
    main(show="tuning" if "--show" in sys.argv else None)
