"""Fuzzy search over career titles and aliases, with rapidfuzz.

Two questions: "which careers does this query name?" (:meth:`NameIndex.search`, for a query that is
all or mostly a career name, misspelt or not) and "which career is mentioned somewhere in this
sentence?" (:meth:`NameIndex.find_in_text`, for whole messages such as "wat does a sofware enginer do").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from careers_catalog.text import FILLER_WORDS, normalize, singular

# Below this a suggestion is noise; at or above STRONG_SCORE one match is taken as meant.
SUGGEST_SCORE = 60.0
STRONG_SCORE = 88.0
_MIN_FUZZY_LEN = 4  # names shorter than this ("gp", "vet") only match exactly
# Only the start of a very long message is searched, so that a pasted essay costs no more than a sentence.
MAX_QUERY_CHARS = 200
MAX_SENTENCE_WORDS = 40


@dataclass(frozen=True)
class CareerMatch:
    """A career a query may mean: its id and title, the name that matched, and a 0-100 score."""

    career_id: str
    title: str
    matched: str
    score: float

    @property
    def strong(self) -> bool:
        return self.score >= STRONG_SCORE


class NameIndex:
    """An in-memory index of every career name (titles and aliases), built once from the catalogue."""

    def __init__(self, names: Iterable[tuple[str, str, str]]) -> None:
        """``names``: (career id, title, name) for each title and alias."""
        self._owners: dict[str, list[tuple[str, str]]] = {}
        for career_id, title, name in names:
            for key in {normalize(name), " ".join(singular(w) for w in normalize(name).split())}:
                if key and (career_id, title) not in self._owners.setdefault(key, []):
                    self._owners[key].append((career_id, title))
        self._keys = list(self._owners)
        self._fuzzy_keys = [k for k in self._keys if len(k) >= _MIN_FUZZY_LEN]

    def __len__(self) -> int:
        return len(self._keys)

    def search(self, query: str, limit: int = 5) -> list[CareerMatch]:
        """Careers whose title or alias matches ``query`` best, exact matches first."""
        text = normalize(query[:MAX_QUERY_CHARS])
        if not text:
            return []
        core = " ".join(w for w in text.split() if w not in FILLER_WORDS) or text
        candidates = {text, core, " ".join(singular(w) for w in core.split())}
        # The whole query named exactly comes first ("information scientist" before its core "scientist").
        exact = self._exact(text) or [m for c in candidates for m in self._exact(c)]
        if exact:
            return _best_per_career(exact)[:limit]
        found: list[CareerMatch] = []
        for candidate in candidates:
            for key, score, _ in process.extract(
                candidate, self._fuzzy_keys, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=SUGGEST_SCORE
            ):
                # WRatio rewards a short query inside a long name; temper that with the plain ratio so that
                # 'nurse' ranks 'nurse' above 'mental health nurse' and a typo of the whole name wins.
                blended = 0.6 * score + 0.4 * fuzz.ratio(candidate, key)
                found.extend(
                    CareerMatch(cid, title, key, round(blended, 1)) for cid, title in self._owners[key]
                )
        return [m for m in _best_per_career(found) if m.score >= SUGGEST_SCORE][:limit]

    def find_in_text(self, text: str, cutoff: float = 85.0) -> CareerMatch | None:
        """The career named somewhere in a sentence, allowing for typos; None if nothing is close."""
        found = self.find_all_in_text(text, cutoff)
        exact = [m for m in found if m.score == 100.0]
        if exact:
            return max(exact, key=lambda m: len(m.matched))
        return max(found, key=lambda m: m.score, default=None)

    def find_all_in_text(self, text: str, cutoff: float = 85.0) -> list[CareerMatch]:
        """Every career named in a sentence ("nurse or paramedic?"), in order, longest names first where
        names overlap; typos allowed where no name matches exactly."""
        tokens = normalize(text[: MAX_SENTENCE_WORDS * 20]).split()[:MAX_SENTENCE_WORDS]
        used = [False] * len(tokens)
        exact: list[tuple[int, CareerMatch]] = []
        fuzzy: list[tuple[int, CareerMatch]] = []
        for size in range(min(4, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                gram = tokens[start : start + size]
                # A lone filler word is never a name ("is it any good" is not IT), but a longer name may
                # start or end with one ("careers adviser").
                edge = gram[0] in FILLER_WORDS or gram[-1] in FILLER_WORDS
                if any(used[start : start + size]) or (edge and size == 1):
                    continue
                phrase = " ".join(gram)
                hits = self._exact(phrase) or self._exact(" ".join(singular(w) for w in gram))
                if hits:
                    exact.append((start, hits[0]))
                    used[start : start + size] = [True] * size
        for size in range(min(4, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                gram = tokens[start : start + size]
                phrase = " ".join(gram)
                if (
                    any(used[start : start + size])
                    or gram[0] in FILLER_WORDS
                    or gram[-1] in FILLER_WORDS
                    or len(phrase) < _MIN_FUZZY_LEN + 2
                ):
                    continue
                hit = process.extractOne(phrase, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
                if hit:
                    cid, title = self._owners[hit[0]][0]
                    fuzzy.append((start, CareerMatch(cid, title, hit[0], round(hit[1], 1))))
                    used[start : start + size] = [True] * size
        ordered = [m for _, m in sorted(exact + fuzzy, key=lambda pair: pair[0])]
        return _first_per_career(ordered)

    def _exact(self, key: str) -> list[CareerMatch]:
        return [CareerMatch(cid, title, key, 100.0) for cid, title in self._owners.get(key, [])]


def _first_per_career(matches: list[CareerMatch]) -> list[CareerMatch]:
    seen: set[str] = set()
    return [m for m in matches if not (m.career_id in seen or seen.add(m.career_id))]


def _best_per_career(matches: list[CareerMatch]) -> list[CareerMatch]:
    best: dict[str, CareerMatch] = {}
    for m in matches:
        if m.career_id not in best or m.score > best[m.career_id].score:
            best[m.career_id] = m
    return sorted(best.values(), key=lambda m: (-m.score, len(m.title)))
