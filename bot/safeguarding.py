"""Spotting messages that mean a student may be at risk, and rude messages aimed at the assistant.

Two layers, because a miss is far worse than a false alarm: the NLU model's ``safeguarding_concern``
intent (trained on data/nlu/safeguarding.yml) and a maintained list of phrases and patterns
(bot/data/safeguarding.yml) that catches text-speak, misspellings and euphemisms whatever the model
thinks. bot/safeguarding_classifier.py puts ``detect`` last in the NLU pipeline.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from contract import Entity, Intent

PATTERNS_FILE = Path(__file__).parent / "data" / "safeguarding.yml"
ABUSE_INTENT = Intent.INSULT
CATEGORY_ENTITY = Entity.RISK_CATEGORY

_LEET = str.maketrans({"1": "i", "3": "e", "0": "o", "4": "a", "5": "s", "@": "a", "$": "s", "!": "i"})
_LEET_IN_WORD = re.compile(r"(?<=[a-z])[013457@$!]+(?=[a-z])")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_DOUBLES = re.compile(r"([a-z])\1")
_NOT_WORD = re.compile(r"[^\w£*]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Longer messages are read a passage at a time (see detect).
LONG_MESSAGE_CHARS = 300


@dataclass(frozen=True)
class Patterns:
    words: dict[str, str]
    figures_of_speech: re.Pattern
    categories: dict[str, list[re.Pattern]]
    topics: dict[str, list[re.Pattern]]
    about_work: list[re.Pattern]
    abuse: list[re.Pattern]


@lru_cache(maxsize=4)
def load_patterns(path: Path = PATTERNS_FILE) -> Patterns:
    """The phrase list, compiled. Raises ValueError naming the first pattern that does not compile."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))

    def compiled(pattern: str, where: str) -> re.Pattern:
        try:
            return re.compile(pattern)
        except re.error as error:
            raise ValueError(f"{path}: {where}: bad pattern {pattern!r}: {error}") from error

    figures = "|".join(f"(?:{p})" for p in raw["figures_of_speech"])
    return Patterns(
        words={str(k): str(v) for k, v in raw["words"].items()},
        figures_of_speech=compiled(rf"\b(?:{figures})", "figures_of_speech"),
        categories={
            category: [compiled(p, category) for p in patterns]
            for category, patterns in raw["categories"].items()
        },
        topics={
            category: [compiled(p, f"topics: {category}") for p in patterns]
            for category, patterns in raw["topics"].items()
        },
        about_work=[compiled(p, "about_work") for p in raw["about_work"]],
        abuse=[compiled(p, "abuse") for p in raw["abuse"]],
    )


def normalise(text: str, patterns: Patterns | None = None) -> str:
    """The message as the patterns see it: lower case, no accents on Latin letters, apostrophes dropped,
    other punctuation as spaces, stretched letters cut to two, digits inside words read as letters, and
    text-speak spelt out."""
    patterns = patterns or load_patterns()
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("'", "").replace("\u2019", "").replace("`", "")
    text = _LEET_IN_WORD.sub(lambda m: m.group(0).translate(_LEET), text)
    text = _REPEATS.sub(r"\1\1", text)
    words = _NOT_WORD.sub(" ", text).split()
    return " ".join(patterns.words.get(w, w) for w in words)


@dataclass(frozen=True)
class Concern:
    """What a message was found to signal: a risk category (``suicide``, ``bullying``, ...) or ``abuse``."""

    category: str
    pattern: str

    @property
    def is_risk(self) -> bool:
        return self.category != "abuse"


def detect(text: str, patterns: Patterns | None = None) -> Concern | None:
    """The first risk the message signals, else abuse aimed at the assistant, else None. The message is
    tried as normalised, and again with every doubled letter made single ("diee" -> "die"). A long
    message is tried a few sentences at a time, so that words far apart in it (an older boy in one
    story, money in another) are not read as one sign of risk."""
    patterns = patterns or load_patterns()
    if len(text) > LONG_MESSAGE_CHARS:
        # Whether the message is about work that deals with these things ("I want to be a social worker in
        # child protection") is read from the whole of it, as the passage naming a topic may not say so.
        work = about_work(text, patterns)
        concerns = [_detect(part, patterns, work) for part in passages(text)]
        risks = [c for c in concerns if c is not None and c.is_risk]
        return next(iter(risks), next((c for c in concerns if c is not None), None))
    return _detect(text, patterns)


def about_work(text: str, patterns: Patterns | None = None) -> bool:
    """Whether the message is about a job that deals with risk ("a social worker in child protection")."""
    patterns = patterns or load_patterns()
    plain = normalise(text, patterns)
    return any(p.search(plain) for p in patterns.about_work)


def passages(text: str) -> list[str]:
    """A long message as overlapping passages of two sentences each, none over ~LONG_MESSAGE_CHARS."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    pieces: list[str] = []
    for sentence in sentences:  # a run-on "sentence" is cut at commas, then at word boundaries
        while len(sentence) > LONG_MESSAGE_CHARS:
            cut = max(sentence.rfind(",", 0, LONG_MESSAGE_CHARS), sentence.rfind(" ", 0, LONG_MESSAGE_CHARS))
            cut = cut if cut > 0 else LONG_MESSAGE_CHARS
            pieces.append(sentence[:cut])
            sentence = sentence[cut + 1 :]
        pieces.append(sentence)
    return [" ".join(pieces[i : i + 2]) for i in range(max(1, len(pieces) - 1))]


def _detect(text: str, patterns: Patterns, about_work: bool = False) -> Concern | None:
    plain = normalise(text, patterns)
    literal = patterns.figures_of_speech.sub(" ", plain)
    for variant in dict.fromkeys((literal, _DOUBLES.sub(r"\1", literal))):
        concern = _risk(variant, patterns, about_work)
        if concern is not None:
            return concern
    for pattern in patterns.abuse:
        if pattern.search(plain):
            return Concern("abuse", pattern.pattern)
    return None


def _risk(text: str, patterns: Patterns, about_work: bool = False) -> Concern | None:
    for category, category_patterns in patterns.categories.items():
        for pattern in category_patterns:
            if pattern.search(text):
                return Concern(category, pattern.pattern)
    if not about_work and not any(p.search(text) for p in patterns.about_work):
        for category, topic_patterns in patterns.topics.items():
            for pattern in topic_patterns:
                if pattern.search(text):
                    return Concern(category, pattern.pattern)
    return None
