"""The assistant's fixed answers to students' doubts and questions about education (data/responses/)."""

from __future__ import annotations

import re

import yaml

from settings import ROOT


def test_no_answer_to_a_doubt_opens_with_yes_or_no():
    # A loaded question ("boys are better at engineering, right?") reaches the same answer as a fair one
    # ("is tech only for boys?"): an answer that opened "Yes" or "No" would agree with one of them.
    responses = yaml.safe_load((ROOT / "data" / "responses" / "confidence.yml").read_text())["responses"]
    openings = {name: r["text"].split(",")[0] for name, texts in responses.items() for r in texts}
    assert len(openings) >= 9
    assert not [n for n, first in openings.items() if re.match(r"(?i)(yes|no|yeah|nope)\b", first)]
