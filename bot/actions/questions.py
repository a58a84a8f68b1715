"""Which facets of a career one message asks about, so that "what's the pay like and do I need a degree"
gets both answers rather than only the one its intent names.

The intent says what the message is mainly about; these word cues find the other questions in it. They
are only read when the message joins more than one question ("and", "also", a comma, a second question
mark), so that a single question is never answered twice."""

from __future__ import annotations

import re

from careers_catalog.text import normalize

_CUES = {
    "overview": r"what (?:does|do) (?:a |an )?[a-z ]{2,40} do|what(?: is| s|s) (?:it|being \w+(?: \w+)?) like"
    r"|day to day|typical day|^(?:what|wat|wot)(?:s| is| s) (?:a|an) [a-z]+(?: [a-z]+){0,3}$",
    "related": r"similar|alternatives?|other (?:jobs|careers|options|roles)|what else|jobs like",
    "pay": r"pay|paid|pays|earn\w*|salar\w+|money|wages?|income"
    r"|how much (?:do|does|would|will|can) \w+ (?:make|get)",
    "hours": r"hours|shifts?|nights?|weekends?|9 ?(?:to|-) ?5|part ?time|full ?time|holidays?|overtime"
    r"|work from home|wfh",
    "routes_without_degree": r"(?:without|skip|no) (?:a |going to )?(?:degree|uni|university)"
    r"|apprenticeship instead|instead of (?:going to )?(?:uni|university|a degree)"
    r"|(?:need|needs|require\w*|have to (?:go to|get|have)|must have) (?:a |to go to )?"
    r"(?:degree|uni|university)"
    r"|(?:degree|uni|university) (?:needed|necessary|required|essential)",
    "routes": r"how (?:do|can|would|could|does) (?:i|you|u|someone|people|one) "
    r"(?:become|get into|get in|start)"
    r"|how to (?:become|get into)|qualifications?|apprenticeships?|t levels?|what (?:degree|course)"
    r"|which (?:degree|course)|(?:and|what about|or) (?:uni|university)"
    r"|age limit|(?:what|which|minimum) age|how old (?:do|does|must|should|can)",
    "subjects": r"gcses?|a levels?|subjects?|grades?|options",
    "skills": r"skills?|qualities|personality",
    "outlook": r"future|demand|replaced|robots?|job security|still (?:exist|be around|be needed)",
}
_PATTERNS = {facet: re.compile(rf"\b(?:{words})\b") for facet, words in _CUES.items()}
# Facets no explainer of the school system answers ("and the pay after?" is about the job).
CAREER_ONLY_FACETS = frozenset({"pay", "hours", "skills", "outlook", "related"})
# Facets that answer the same question: asking for one never adds the other.
_SAME = {"routes": "routes_without_degree", "routes_without_degree": "routes"}
_JOINED = re.compile(r"\band\b|\balso\b|\bplus\b|&|,|\?\s*\S|[.!]\s+\w")
MAX_EXTRA = 2


def _asked(text: str) -> list[str]:
    said = normalize(text)
    # In the order asked; of two cues at one place, the longer ("apprenticeship instead").
    found = sorted(
        (m.start(), -len(m.group()), f) for f, pattern in _PATTERNS.items() if (m := pattern.search(said))
    )
    return [f for *_, f in found]


# "And uni?" after the ways in without a degree asks for the ways in with one.
_UNI_TOO = re.compile(r"^(?:and|what about|how about|or) (?:uni|university|a degree)\b")


def facet_by_words(text: str, facet: str) -> str:
    """The facet to answer: the intent's, unless the message's words ask for another and nothing about
    the intent's ("whats being a dentist like" read as similar careers)."""
    asked = _asked(text) if text and not text.startswith("/") else []
    if facet == "routes_without_degree" and asked and _UNI_TOO.match(normalize(text)):
        return "routes"
    return asked[0] if asked and facet not in asked and _SAME.get(facet) not in asked else facet


def first_facet(text: str) -> str | None:
    """The facet a message asks about first, by its words alone (for messages the NLU was unsure of)."""
    asked = _asked(text) if text and not text.startswith("/") else []
    return asked[0] if asked else None


def other_facets(text: str, primary: str) -> list[str]:
    """The facets a message asks about besides ``primary``, in the order it asks them (at most two)."""
    if not text or text.startswith("/") or not _JOINED.search(text.lower()):
        return []
    extra = [f for f in _asked(text) if f != primary and f != _SAME.get(primary)]
    if "routes_without_degree" in extra and "routes" in extra:
        extra.remove("routes")
    return list(dict.fromkeys(extra))[:MAX_EXTRA]


# A short follow-up asking the last question again about something else ("what about art?", "and
# midwives?"): what comes after the cue is what it is about. Read by bot/follow_on.py (which skill
# answers) and by career_context.follows_on (which facet).
FOLLOW_ON = re.compile(
    r"^\s*(?:and|n|what about|wat about|what abt|how about|hbu|or|same for|same with)\b(.*)$", re.I
)
# "Which one has better hours?", "which of them pays more": a question about the two careers just compared.
WHICH_OF_TWO = re.compile(
    r"^\s*(?:so\s+|ok\s+|and\s+)?(?:which|wich|whic)\s+(?:one|1|of (?:them|the two|those))\b", re.I
)

# A student saying what they like ("i like gaming", "im into animals"): careers that fit, not a job title.
_TELLS_LIKES = re.compile(
    r"\b(?:i|i m|im|i am) (?:really )?(?:like|love|enjoy|into|good at|interested in|passionate about)\b"
    r"|\bif i (?:like|love|enjoy)\b"
)


def tells_likes(text: str) -> bool:
    """Whether a message says what the student likes ("i like gaming", "if i like animals")."""
    return bool(text) and not text.startswith("/") and bool(_TELLS_LIKES.search(normalize(text)))


# Pay asked about on an apprenticeship ("how much do apprentice sparkies get", "on an apprenticeship tho").
ABOUT_APPRENTICES = re.compile(r"\bapprentice(?:s|ship|ships)?\b", re.I)
# A few words that narrow the last question without asking a new one ("on an apprenticeship tho", "as a
# trainee?"): the last question again, about the same career.
_NARROWS = re.compile(r"^\s*(?:on|as|in|during|for|with|without|at|while)\b|\b(?:tho|though)\s*\??\s*$", re.I)
MAX_NARROWING_WORDS = 6


def narrows_last_question(text: str) -> bool:
    """Whether a message only narrows the last question ("on an apprenticeship tho")."""
    return bool(text) and len(text.split()) <= MAX_NARROWING_WORDS and bool(_NARROWS.search(text))
