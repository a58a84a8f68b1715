"""Holland (RIASEC) interests: the six types, the in-chat quiz, and scoring a student from quiz answers
or from what they say they like.

The wording (type descriptions, questions, keywords) lives in ``data/interests.yml``; this module only
reads and scores it. Scores are 0 to 1 per letter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from careers_catalog.data_rules import CatalogDataError
from careers_catalog.paths import DATA_DIR
from careers_catalog.text import normalize

CODES = "RIASEC"
# Quiz answers: how much a student would enjoy the activity in the question.
LOVE, OK, NOT_FOR_ME = 2, 1, 0
ANSWER_VALUES = (LOVE, OK, NOT_FOR_ME)

# Words that turn a clause into a dislike: "I like art but I hate maths".
_NEGATIONS = re.compile(
    r"\b(?:dont|don t|do not|doesnt|not|never|hate|hates|cant stand|can t stand|dislike|no good at|bad at|"
    r"rubbish at|not into|isnt|aint|nothing)\b"
)
_CLAUSE_BREAKS = re.compile(r"[.,;!?]|\bbut\b|\bwhereas\b|\bthough\b|\bhowever\b")

InterestScores = dict[str, float]


@dataclass(frozen=True)
class InterestType:
    code: str
    name: str
    you: str  # "you enjoy building, fixing and doing things with your hands"
    job: str  # "it's hands-on and practical"
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class QuizQuestion:
    code: str
    question: str


@dataclass(frozen=True)
class Interests:
    """The six interest types and the quiz, as written in the data file."""

    types: dict[str, InterestType]
    quiz: tuple[QuizQuestion, ...]

    def from_quiz(self, answers: Mapping[int, int | None]) -> InterestScores | None:
        """Scores from quiz answers (question index -> LOVE/OK/NOT_FOR_ME, None for skipped);
        None if nothing was answered."""
        totals: dict[str, list[int]] = {code: [] for code in CODES}
        for index, answer in answers.items():
            if answer in ANSWER_VALUES and 0 <= index < len(self.quiz):
                totals[self.quiz[index].code].append(answer)
        if not any(totals.values()):
            return None
        # A type with no answers (all skipped) sits below neutral rather than counting as loved.
        return {code: (sum(v) / (LOVE * len(v)) if v else 0.3) for code, v in totals.items()}

    def from_text(self, text: str) -> InterestScores | None:
        """Scores from a free-text message ("I like solving puzzles and building things"); None if it
        mentions nothing that points to an interest."""
        hits = dict.fromkeys(CODES, 0.0)
        for clause in _CLAUSE_BREAKS.split(normalize_keep_punctuation(text)):
            words = f" {normalize(clause)} "
            sign = -1.0 if _NEGATIONS.search(words) else 1.0
            for code, kind in self.types.items():
                found = sum(1 for k in kind.keywords if f" {k} " in words or f" {k}s " in words)
                hits[code] += sign * found
        top = max(hits.values())
        if top <= 0:
            return None
        return {code: max(0.0, h) / top for code, h in hits.items()}

    def strongest(self, scores: InterestScores, count: int = 2) -> list[InterestType]:
        """The student's strongest types (at least moderately liked), best first."""
        ranked = sorted(CODES, key=lambda c: (-scores.get(c, 0.0), CODES.index(c)))
        return [self.types[c] for c in ranked[:count] if scores.get(c, 0.0) >= 0.5]


def normalize_keep_punctuation(text: str) -> str:
    """Lower-case text with clause punctuation kept, so that clauses can be split before normalising."""
    return re.sub(r"[^\w\s.,;!?']", " ", text.lower())


@lru_cache(maxsize=4)
def load_interests(path: Path | None = None) -> Interests:
    """Read and check ``data/interests.yml`` (or ``path``)."""
    path = path or DATA_DIR / "interests.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    types: dict[str, InterestType] = {}
    for code in CODES:
        record = (data.get("types") or {}).get(code)
        if not isinstance(record, dict) or not all(record.get(k) for k in ("name", "you", "job", "keywords")):
            problems.append(f"{path.name}: type {code} needs name, you, job and keywords")
            continue
        keywords = tuple(dict.fromkeys(normalize(str(k)) for k in record["keywords"]))
        types[code] = InterestType(code, record["name"], record["you"], record["job"], keywords)
    quiz = tuple(QuizQuestion(str(q.get("code")), str(q.get("question"))) for q in data.get("quiz") or [])
    if any(q.code not in CODES or not q.question for q in quiz):
        problems.append(f"{path.name}: every quiz question needs a RIASEC code and a question")
    if {q.code for q in quiz} != set(CODES):
        problems.append(f"{path.name}: the quiz must ask about all six types")
    if problems:
        raise CatalogDataError(problems)
    return Interests(types, quiz)


def interest_fit(code: Sequence[str], scores: InterestScores) -> float:
    """How well a career's interest code (strongest letter first) fits a student's scores, 0 to 1."""
    weights = (1.0, 0.6, 0.35)[: len(code)]
    if not weights:
        return 0.0
    return sum(
        w * scores.get(letter, 0.0) for w, letter in zip(weights, code[: len(weights)], strict=True)
    ) / sum(weights)
