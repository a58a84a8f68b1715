"""Taking personal data out of what a student types, before it is stored: email addresses, phone numbers,
full postcodes (the outward code, which says only the area, is kept), names the student gives ("my name
is ..."), street addresses and dates of birth. Each is replaced by a label in square brackets, so that a
reader of the conversation still sees what kind of thing was said.

bot/tracker_store.py applies it to every event before it is written to the tracker store.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# UK numbers: 07xxx xxxxxx, +44 7xxx..., 01xx/02x landlines, with spaces, dots or dashes between digits.
_PHONE = re.compile(r"(?<!\w)(?:\+44\s?\(?0?\)?|\(?0)(?:[\s.-]?\d){9,10}(?!\w)")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
_NAME = re.compile(
    r"\b(my name is|my name's|my names|i am called|i'm called|im called|call me)\s+"
    r"([A-Z][\w'-]*|[a-z][\w'-]*)(\s+[A-Z][\w'-]*)?",
    re.IGNORECASE,
)
_STREET_WORDS = (
    "street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|crescent|court|place|terrace|grove|gardens|"
    "walk|square|hill|park|mews|row|view"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,4}}[a-z]?\s+(?:[A-Za-z'-]+\s+){{1,3}}(?:{_STREET_WORDS})\b\.?", re.IGNORECASE
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})[a-z]*,?\s+(?:19|20)\d{{2}}"
    rf"|(?:{_MONTHS})[a-z]*\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset(
    "a an the not so really just very here from in at interested into back later now when if on".split()
)


def redact(text: str) -> str:
    """``text`` with personal data replaced by [email], [phone], [address], [date], [name], and full
    postcodes cut to their outward code ("L3 4AF" becomes "L3 [postcode]")."""
    text = _EMAIL.sub("[email]", text)
    text = _DATE.sub("[date]", text)
    text = _POSTCODE.sub(lambda m: f"{m.group(1).upper()} [postcode]", text)
    text = _ADDRESS.sub("[address]", text)
    text = _PHONE.sub("[phone]", text)
    return _NAME.sub(_name, text)


def _name(match: re.Match) -> str:
    if match.group(2).lower() in _NOT_NAMES:
        return match.group(0)
    return f"{match.group(1)} [name]"
