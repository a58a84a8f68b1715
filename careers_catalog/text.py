"""Normalising what students type, for matching against catalogue names."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9+#&]+")

# Words that carry no career name; dropped before a whole query is fuzzy-matched.
FILLER_WORDS = frozenset(
    """a an the job jobs career careers role roles work working as be become becoming being what whats
    wat wot does do doing is it its about tell me u you your how much earn earns get paid pay to in of
    for and or like can could i im i'm want wanna would as some any please pls plz info information
    about abt on into""".split()
)


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces: 'Cyber-Security!' -> 'cyber security'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def words(text: str) -> list[str]:
    return normalize(text).split()


def singular(word: str) -> str:
    """A rough singular for matching plurals students type ('nurses', 'electricians', 'vets')."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("wives"):  # midwives, housewives
        return word[:-3] + "fe"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def mid_sentence(title: str) -> str:
    """A title as it reads mid-sentence ('Software developer' -> 'software developer'); acronyms such as
    'UX designer' or 'GP' are kept."""
    return title if title[:2].isupper() else title[:1].lower() + title[1:]


def first_sentence(text: str) -> str:
    """The first sentence of a text, without its full stop."""
    return text.split(". ")[0].strip().rstrip(".")
