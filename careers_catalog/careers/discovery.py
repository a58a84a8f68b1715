"""Discovery: from the subjects a student names, or what they enjoy, to careers worth a look.

:class:`SubjectIndex` finds school subjects in what students type ("comp sci", "DT", "bilogy").
:func:`suggest_careers` ranks the catalogue's career summaries by subject links and RIASEC interest fit,
with a one-line reason for each. Pure functions over :class:`CareerSummary`, so the bot, the web app and
the matching benchmark all rank the same way.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from careers_catalog.careers.catalog import CareerSummary
from careers_catalog.careers.interests import Interests, InterestScores, interest_fit
from careers_catalog.paths import DATA_DIR
from careers_catalog.text import first_sentence, normalize, words

MAX_SUBJECTS = 3  # "combinations of two or three": more than that says little about a student
_FUZZY_CUTOFF = 86.0
# Aliases that are everyday words in lower case ("is it", "we're"): counted only when typed in capitals.
_CAPITALS_ONLY = frozenset({"it", "re"})
# Words in a message that ask for tech careers only ("are there tech jobs for creative people?").
_TECH_WORDS = re.compile(r"\b(?:tech|technology|digital|it jobs|computer jobs|computing jobs|stem jobs)\b")
DIGITAL = "digital"


class SubjectIndex:
    """Every school subject's canonical name and the loose names students use for it."""

    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:
        """``names``: canonical name -> aliases (as from :meth:`Catalog.subject_names`)."""
        self._canonical: dict[str, str] = {}
        for name, aliases in names.items():
            for alias in [name, *aliases]:
                self._canonical.setdefault(normalize(alias), name)
        self._fuzzy_keys = [k for k in self._canonical if len(k) >= 5]

    @classmethod
    def from_file(cls, path: Path = DATA_DIR / "subjects.yml") -> SubjectIndex:
        """The subjects of the catalogue's data file, for a process with no catalogue database to hand
        (the analytics worker)."""
        records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        return cls({r["name"]: r.get("aliases") or [] for r in records})

    def resolve(self, value: str) -> str | None:
        """The canonical subject a name means ('comp sci' -> 'Computer Science'), typos allowed."""
        key = normalize(value)
        if key in self._canonical:
            return self._canonical[key]
        if len(key) >= 5:
            hit = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
            if hit:
                return self._canonical[hit[0]]
        return None

    def find_in_text(self, text: str) -> list[str]:
        """The subjects a message names, in the order it names them."""
        capitals = {w.lower() for w in re.findall(r"\b[A-Z]{2}\b", text)}
        tokens = normalize(text[:400]).split()[:60]
        used = [False] * len(tokens)
        found: list[tuple[int, str]] = []
        for size in (3, 2, 1):
            for start in range(len(tokens) - size + 1):
                if any(used[start : start + size]):
                    continue
                phrase = " ".join(tokens[start : start + size])
                if phrase in _CAPITALS_ONLY and phrase not in capitals:
                    continue
                subject = self._canonical.get(phrase)
                if subject is None and size == 1 and len(phrase) >= 6:
                    subject = self.resolve(phrase)
                if subject:
                    used[start : start + size] = [True] * size
                    found.append((start, subject))
        return list(dict.fromkeys(subject for _, subject in sorted(found)))


# Everyday words that say nothing about a career ("i really like doing stuff with my mates").
_STOP_WORDS = frozenset(
    """a about after all also always am an and any are around as at be because been being best but by can
    cant could day days did do does doing done dont each even ever every few for from get gets getting got
    had has have having he her him his how i id if im in into is isnt it its ive just kind know last like
    liked likes lot lots love loved loves loads make makes making me more most much my myself never new
    night nights no not now of off on one only or other our out over own people person quite rather
    really same school she so some someone something stuff such sure than that the their them then there
    these they thing things think this those tho though through time to too up us very want was way we
    well were what when where which while who why will with without would yeah year years you your
    mates mate friend friends weekend weekends thats lol tbh ngl fr dad mum uncle nan brother sister
    enjoy enjoying good great fun bit nice actually want wanna gonna job jobs career careers work working
    works worked there suggest suggestion help choose pick idea ideas future life kinds sort sorts type
    types field area areas option options course courses subject subjects gcse gcses level levels""".split()
)


def _stem(word: str) -> str:
    """A rough stem, so that 'fixing', 'fixes' and 'fixed' meet 'fix' ('designer' meets 'design')."""
    for suffix in ("ing", "ers", "er", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _terms(text: str) -> list[str]:
    return [_stem(w) for w in words(text) if w not in _STOP_WORDS and len(w) > 2 and not w.isdigit()]


class CareerTextIndex:
    """Matches what a student says they do and like ("fixing up cars and bikes with my uncle") against
    each career's names and description, weighting rare words most (TF-IDF with cosine similarity)."""

    NAME_WEIGHT = 3  # a word in a career's title or alias counts three times
    MIN_SIMILARITY = 0.05  # below this (cosine) the message says nothing about any career

    def __init__(self, careers: Sequence[CareerSummary]) -> None:
        bags: dict[str, Counter[str]] = {}
        for c in careers:
            bag = Counter(_terms(c.about))
            for name in c.names:
                for term in _terms(name):
                    bag[term] += self.NAME_WEIGHT
            bags[c.id] = bag
        df = Counter(term for bag in bags.values() for term in bag)
        n = max(1, len(bags))
        self._idf = {term: math.log(1 + n / count) for term, count in df.items()}
        self._vectors: dict[str, dict[str, float]] = {}
        for cid, bag in bags.items():
            vec = {t: (1 + math.log(f)) * self._idf[t] for t, f in bag.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            self._vectors[cid] = {t: v / norm for t, v in vec.items()}

    @staticmethod
    @lru_cache(maxsize=2)
    def of(careers: tuple[CareerSummary, ...]) -> CareerTextIndex:
        """The index of a set of careers, built once (a reloaded catalogue gives new summaries)."""
        return CareerTextIndex(careers)

    def scores(self, text: str) -> dict[str, float]:
        """Each career's similarity to a message, scaled so the best is 1 (empty if nothing matches)."""
        query = {t: self._idf[t] for t in set(_terms(text[:400])) if t in self._idf}
        norm = math.sqrt(sum(w * w for w in query.values()))
        if not query:
            return {}
        raw = {
            cid: sum(w * vec.get(t, 0.0) for t, w in query.items()) / norm
            for cid, vec in self._vectors.items()
        }
        top = max(raw.values())
        if top < self.MIN_SIMILARITY:
            return {}
        return {cid: v / top for cid, v in raw.items() if v > 0}


def asks_for_tech(text: str) -> bool:
    """Whether a message asks for tech and digital careers in particular."""
    return bool(_TECH_WORDS.search(normalize(text)))


@dataclass(frozen=True)
class Suggestion:
    """A career suggested to a student, with why it fits them (one line each) and a 0-1 score."""

    career: CareerSummary
    reasons: tuple[str, ...]
    score: float
    subjects_matched: tuple[str, ...] = ()


def sector_sampler(careers: Iterable[CareerSummary], sector: str, limit: int = 6) -> list[Suggestion]:
    """A spread of one sector's careers for a student who has said nothing about themselves yet: one for
    each interest type (RIASEC) in turn, so that every kind of person sees a career for them."""
    by_type: dict[str, list[CareerSummary]] = {}
    for career in sorted(careers, key=lambda c: c.title):
        if career.sector == sector and career.riasec:
            by_type.setdefault(career.riasec[0], []).append(career)
    queues = [by_type[t] for t in "RIASEC" if t in by_type]
    picked: list[CareerSummary] = []
    while len(picked) < limit and any(queues):
        for queue in queues:
            if queue and len(picked) < limit:
                picked.append(queue.pop(0))
    return [Suggestion(c, (first_sentence(c.about) + ".",) if c.about else (), 0.0) for c in picked]


def suggest_careers(
    careers: Iterable[CareerSummary],
    interests: Interests,
    subjects: Iterable[str] = (),
    scores: InterestScores | None = None,
    sector: str | None = None,
    limit: int = 6,
    text_scores: Mapping[str, float] | None = None,
    subject_text: Mapping[str, float] | None = None,
) -> list[Suggestion]:
    """The careers that best fit a student's subjects and interest scores, with a mix of sectors.

    With subjects, careers linked to more of them come first, then those where the subject matters most
    (earlier in the career's list). With interest scores, the RIASEC fit decides, and subjects add to it.
    ``text_scores`` (from :class:`CareerTextIndex`) add how closely a career matches what the student
    said they do and like; ``subject_text``, how much a career's own description is about the subjects
    named, which tells apart the many careers that list a subject first (an actuary's day is about maths,
    an estimator's only uses it).
    Without a sector filter, tech careers that fit are always in the list: the students who would never
    think of them are the ones this assistant is for.
    """
    wanted = list(dict.fromkeys(subjects))[:MAX_SUBJECTS]
    candidates: list[Suggestion] = []
    for career in careers:
        if sector and career.sector != sector:
            continue
        positions = [(i, link) for i, link in enumerate(career.subjects) if link.subject in wanted]
        matched = [link for _, link in positions]
        # A subject counts for more where it comes early in the career's list, is wanted at A level too,
        # and is one of few subjects the career lists.
        subject_fit = sum(
            1 / (1 + 0.5 * i) + 0.05 * link.a_level + 0.2 / len(career.subjects) for i, link in positions
        )
        coverage = len(matched) / len(wanted) if wanted else 0.0
        said = (text_scores or {}).get(career.id, 0.0)
        about = 0.15 * (subject_text or {}).get(career.id, 0.0) if matched else 0.0
        if scores or said:
            fit = interest_fit(career.riasec, scores) if scores else 0.0
            score = 0.6 * fit + said + 0.3 * coverage + 0.1 * subject_fit / max(1, len(wanted)) + about
        elif wanted:
            if not matched:
                continue
            score = coverage + 0.2 * subject_fit / len(wanted) + about
        else:
            continue
        reasons = _reasons(career, matched, scores, interests, said)
        candidates.append(
            Suggestion(career, tuple(reasons), round(score, 4), tuple(link.subject for link in matched))
        )
    candidates.sort(key=_rank)
    return _mix(candidates, limit, include_digital=sector is None)


def _rank(s: Suggestion) -> tuple[float, int]:
    """Best first; ties in a fixed order that is not the alphabet's, so 'Accountant' does not always lead."""
    return (-s.score, zlib.crc32(s.career.id.encode()))


def suggest_for_message(
    careers: tuple[CareerSummary, ...],
    interests: Interests,
    text: str,
    subjects: Sequence[str],
    sector: str | None = None,
    limit: int = 6,
) -> list[Suggestion]:
    """Careers for a typed message: the subjects it names and what it says the student likes. What they
    say they do ("fixing up cars with my uncle") is matched against career descriptions only when no
    subject is named, as the subject links rank better than the words around them."""
    index = CareerTextIndex.of(careers)
    said = index.scores(text) if not subjects else {}
    about = index.scores(" ".join(subjects)) if subjects else {}
    return suggest_careers(
        careers,
        interests,
        subjects,
        interests.from_text(text),
        sector,
        limit,
        text_scores=said,
        subject_text=about,
    )


def _reasons(
    career: CareerSummary, matched: list, scores: InterestScores | None, interests: Interests, said: float
) -> list[str]:
    reasons: list[str] = []
    if said >= 0.5:
        first = first_sentence(career.about)
        reasons.append(f"Close to what you told me you enjoy: {first[:1].lower()}{first[1:]}.")
    elif scores:
        liked = {t.code for t in interests.strongest(scores)}
        for code in career.riasec[:2]:
            if code in liked:
                kind = interests.types[code]
                reasons.append(f"{kind.you[:1].upper()}{kind.you[1:]}, and {kind.job}.")
                break
    if matched:
        link = matched[0]
        named = " and ".join(m.subject for m in matched)
        reasons.append(f"{named}: {link.why}")
    return reasons


def _mix(ranked: list[Suggestion], limit: int, include_digital: bool) -> list[Suggestion]:
    """Take the best ``limit``, at most half from any one sector, and (if asked) at least two digital
    careers that fit nearly as well as the best."""
    chosen: list[Suggestion] = []
    per_sector: dict[str, int] = {}
    cap = max(2, (limit + 1) // 2)
    for s in ranked:
        if len(chosen) == limit:
            break
        if per_sector.get(s.career.sector, 0) < cap:
            chosen.append(s)
            per_sector[s.career.sector] = per_sector.get(s.career.sector, 0) + 1
    for s in ranked:  # fill up if the sector cap left gaps
        if len(chosen) == limit:
            break
        if s not in chosen:
            chosen.append(s)
    if include_digital and limit >= 4:
        digital_have = [s for s in chosen if s.career.sector == DIGITAL]
        good_enough = 0.6 * chosen[0].score if chosen else 0.0
        extra = [
            s for s in ranked if s.career.sector == DIGITAL and s not in chosen and s.score >= good_enough
        ][: max(0, 2 - len(digital_have))]
        for s in extra:
            # Replace the weakest non-digital choice; keep the list best first.
            weakest = max((i for i, c in enumerate(chosen) if c.career.sector != DIGITAL), default=None)
            if weakest is None:
                break
            chosen[weakest] = s
        chosen.sort(key=_rank)
    return chosen
