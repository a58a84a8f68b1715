"""Taking personal data out of what a student types, before it is stored: email addresses (also written
in words, "jess dot t at gmail dot com"), phone numbers, full postcodes (the outward code, which says only
the area, is kept), people's names, street addresses, dates of birth and social media handles. Each is
replaced by a label in square brackets, so that a reader of the conversation still sees what kind of
thing was said.

Names are found by privacy/person_names.py (cues, word lists and spaCy's named-entity recogniser), which
keeps the names of people the student asks about.

:func:`find` says where each piece is, so that bot/tracker_store.py can also take the same words out of
every other copy of the message (entity values, slots) and out of the assistant's replies that echo
them; :func:`redact` is the text with all of it replaced.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from privacy.person_names import ORDINARY, find_names

_DOT = r"(?:\s*\.\s*|\s+dot\s+|\s*[\[(]\s*dot\s*[\])]\s*)"
_AT = r"(?:\s*@\s*|\s+at\s+|\s*[\[(]\s*at\s*[\])]\s*)"
_TLD = r"(?:com|co|uk|org|net|ac|sch|gov|edu|io|me|ie|info|biz)"
_PROVIDERS = r"(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|live|btinternet|aol|proton(?:mail)?|sky|msn)"
# A word of an address's first part: not one of the words around it ("email me at ...").
_LOCAL_WORD = r"(?!(?:e-?mail|mail|me|my|is|at|on|it|its|to|send|contact|address|and|or|the|us)\b)[\w+-]+"
_LOCAL = rf"{_LOCAL_WORD}(?:(?:{_DOT}|\s+){_LOCAL_WORD}){{0,3}}"
# A plain address; one written with "at"/"dot" (its domain ends in a known top-level domain, so that "meet
# at school" stays as it was); or one at a well-known provider, even with spaces in it or no ending.
_EMAIL = re.compile(
    rf"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|\b[\w+-]+(?:{_DOT}[\w+-]+)*{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}{_TLD}\b"
    rf"|['\"]?\b{_LOCAL}['\"]?{_AT}['\"]?{_PROVIDERS}\b(?:{_DOT}{_TLD}\b)*['\"]?",
    re.IGNORECASE,
)
# UK numbers: 07xxx xxxxxx, +44 7xxx..., 01xx/02x landlines, with spaces, brackets, dots or dashes between
# digits; a mobile number written without its 0; and numbers spelt out in words ("oh seven seven ...").
_PHONE = re.compile(
    r"(?<!\w)(?:\+\s?44\s?\(?0?\)?|\(?0)(?:\)?[\s.-]{0,3}\d){9,10}(?!\w)|(?<!\w)7\d{9}(?!\w)"
    r"|\b(?:(?:oh|o|zero|nought|one|two|three|four|five|six|seven|eight|nine|double|triple)[\s,-]+){8,}"
    r"(?:oh|o|zero|nought|one|two|three|four|five|six|seven|eight|nine)\b",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
_STREET_WORDS = (
    "street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|crescent|court|place|terrace|grove|gardens|"
    "walk|square|hill|park|mews|row|view|wharf|quay|rise|parade|green|gate|brae|wynd|meadow|meadows|croft|"
    "vale|fields|lea|end"
)
_HOUSE_WORDS = "cottage|cottages|farm|house|lodge|barn|manor|bungalow|farmhouse"
_WELSH_STREET = "heol|ffordd|stryd|lon|lôn|maes|cae"
_ADDRESS = re.compile(
    rf"\b(?:(?:flat|apartment|apt|unit)\s+\d+[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+"
    rf"(?:(?:[A-Za-z'-]+\s+){{1,3}}(?:{_STREET_WORDS})\b\.?|(?:{_WELSH_STREET})(?:\s+[A-Za-z'-]+){{1,3}})"
    rf"|\b(?:[A-Z][a-z'-]+\s+){{1,2}}(?:{_HOUSE_WORDS.title()})\b",
    re.IGNORECASE,
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DAY_MONTH = (
    rf"(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})[a-z]*"
    rf"|(?:{_MONTHS})[a-z]*\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?"
)
_DATE = re.compile(
    rf"\b(?:(?P<year3>(?:19|20)\d{{2}})[/.-]\d{{1,2}}[/.-]\d{{1,2}}"
    rf"|\d{{1,2}}(?:[/.-]|\s)\d{{1,2}}(?:[/.-]|\s)(?P<year>(?:19|20)?\d{{2}})"
    rf"|(?:{_DAY_MONTH}),?\s+(?P<year2>(?:19|20)\d{{2}})"
    rf"|(?:{_DAY_MONTH}))\b",
    re.IGNORECASE,
)
# A date is a birthday when the student says so just before it, or when its year is one that students,
# or their parents, were born in; a date of an open day or a deadline stays as it is.
_BIRTH_CUE = re.compile(
    r"\b(?:born|birthday|b'?day|dob|d\.o\.b|date of birth|birth date|turn(?:ed)? \d+ on)\b", re.IGNORECASE
)
LAST_BIRTH_YEAR = 2016
_PLATFORMS = (
    r"snap(?:chat)?|sc|insta(?:gram)?|ig|tik\s?tok|tt|discord|twitter|fb|facebook|whatsapp|telegram|twitch|"
    r"yt|youtube|threads|bereal|linkedin|soundcloud|vsco|github|pinterest|tumblr|reddit|steam|xbox|psn|roblox"
)
# A handle named by its platform ("snap: jess_t", "my insta is @amir.k", "add me on snap its mo.rahman2"),
# a profile link ("linkedin.com/in/..."), or an @name standing alone.
_HANDLE = re.compile(
    rf"\b(?:{_PLATFORMS})\b(?P<said>(?:\s+(?:is|its|it's|name|handle|username|user|tag|me|at|on|=))*\s*[:=-]?)\s*"
    r"(?P<handle>@?[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_])(?![\w.-]*/)"
    rf"|\b(?:{_PLATFORMS})\.(?:com|co|tv)/(?:in/|@|add/)?(?P<link>[\w.-]+)"
    r"|(?<![\w@])@(?P<at>[A-Za-z0-9_][A-Za-z0-9_.]{2,})",
    re.IGNORECASE,
)
_NOT_HANDLES = frozenset({"bot", "you", "chatbot", "assistant", "helper", "everyone", "here", "me"})
LABELS = {
    "email": "[email]",
    "phone": "[phone]",
    "postcode": "[postcode]",
    "address": "[address]",
    "date": "[date]",
    "name": "[name]",
    "handle": "[handle]",
}


@dataclass(frozen=True)
class Found:
    """One piece of personal data: ``text[start:end]`` is replaced by ``replacement``."""

    start: int
    end: int
    kind: str
    replacement: str

    def words(self, text: str) -> list[str]:
        """What must not be stored in any other copy of the message either (an entity value, a slot, a
        reply that repeats it): the whole stretch taken out, and for a name, an email or a handle each
        word of it that says who someone is (a postcode: its second half)."""
        taken = text[self.start : self.end]
        if self.kind == "postcode":
            return [taken.split()[-1][-3:]]
        pieces = [taken]
        if self.kind in ("name", "email", "handle"):
            local = re.split(r"@|\s+at\s+|[\[(]\s*at\s*[\])]", taken.lstrip("@"), maxsplit=1)[0]
            pieces += [w for w in re.findall(r"[^\W_]+", local) if len(w) >= 3 and w.lower() not in _FILLER]
        return list(dict.fromkeys(pieces))


_FILLER = frozenset("dot com net org uk co gmail hotmail outlook yahoo icloud live".split()) | ORDINARY


def find(text: str) -> list[Found]:
    """Every piece of personal data in ``text``, in order, none overlapping (the first kind to claim a
    stretch of text keeps it: emails, then dates, postcodes, handles, addresses, phones, names)."""
    return list(_find(text))


# The privacy reminder and the tracker store each search the message just sent, and a search runs spaCy's
# recogniser: the last few answers are kept, in this process's memory only (never written anywhere, and
# gone as newer messages come), so that it runs once a message.
@lru_cache(maxsize=32)
def _find(text: str) -> tuple[Found, ...]:
    found: list[Found] = []

    def claim(start: int, end: int, kind: str, replacement: str | None = None) -> None:
        if start < end and not any(f.start < end and start < f.end for f in found):
            found.append(Found(start, end, kind, replacement or LABELS[kind]))

    for m in _EMAIL.finditer(text):
        claim(m.start(), m.end(), "email")
    for m in _DATE.finditer(text):
        if _is_birthday(text, m):
            claim(m.start(), m.end(), "date")
    for m in _POSTCODE.finditer(text):
        claim(m.start(), m.end(), "postcode", f"{m.group(1).upper()} {LABELS['postcode']}")
    for m in _HANDLE.finditer(text):
        group = next(g for g in ("handle", "link", "at") if m.group(g) is not None)
        if _is_handle(m, group):
            claim(m.start(group), m.end(group), "handle")
    for m in _ADDRESS.finditer(text):
        claim(m.start(), m.end(), "address")
    for m in _PHONE.finditer(text):
        claim(m.start(), m.end(), "phone")
    for start, end in find_names(text):
        claim(start, end, "name")
    return tuple(sorted(found, key=lambda f: f.start))


def addresses(text: str) -> list[Found]:
    """Only the street addresses in ``text`` (no names: quick, and without the language model)."""
    return [Found(m.start(), m.end(), "address", LABELS["address"]) for m in _ADDRESS.finditer(text)]


def redact(text: str) -> str:
    """``text`` with personal data replaced by [email], [phone], [address], [date], [name], [handle], and
    full postcodes cut to their outward code ("L3 4AF" becomes "L3 [postcode]"); the words of a name or an
    address found once are taken out wherever else they stand ("Petra H, petra.h10@...")."""
    found = find(text)
    return Scrubber.of([(text, found)])(apply(text, found))


@dataclass(frozen=True)
class Scrubber:
    """Replaces, in any string, the words that :func:`find` took out of what a student typed (see
    :meth:`Found.words`), each by its label."""

    words: tuple[tuple[re.Pattern, str], ...]

    @classmethod
    def of(cls, typed: list[tuple[str, list[Found]]]) -> Scrubber:
        pieces = {piece: LABELS[f.kind] for text, founds in typed for f in founds for piece in f.words(text)}
        ordered = sorted(pieces.items(), key=lambda item: -len(item[0]))
        return cls(tuple((re.compile(rf"(?<!\w){re.escape(p)}(?!\w)", re.I), label) for p, label in ordered))

    def __call__(self, text: str) -> str:
        for pattern, label in self.words:
            text = pattern.sub(label, text)
        return text


def apply(text: str, found: list[Found]) -> str:
    """``text`` with each of ``found`` (from :func:`find` on this text) replaced."""
    out, at = [], 0
    for f in found:
        out += [text[at : f.start], f.replacement]
        at = f.end
    return "".join([*out, text[at:]])


def _is_birthday(text: str, date: re.Match) -> bool:
    if _BIRTH_CUE.search(text[max(0, date.start() - 40) : date.start()]):
        return True
    year = date.group("year") or date.group("year2") or date.group("year3")
    if year is None:
        return False
    if len(year) == 2:  # "11" is 2011, "98" is 1998
        year = f"{20 if int(year) <= dt.date.today().year % 100 else 19}{year}"
    return int(year) <= LAST_BIRTH_YEAR


def _is_handle(m: re.Match, group: str) -> bool:
    handle = m.group(group).lstrip("@")
    if len(handle) < 3 or handle.lower() in _NOT_HANDLES:
        return False
    if group != "handle":
        return True
    # After a platform's name: a handle if it is marked as one ("snap: x", "@x", digits or _ in it), or
    # at least is no ordinary word ("add me on snap and insta").
    marked = any(c in m.group("said") for c in ":=") or m.group(group).startswith("@")
    return marked or any(c.isdigit() or c in "_." for c in handle) or handle.lower() not in ORDINARY
