"""Building the assistant's messages about careers: the text of each facet and the buttons under it.

Every reply that shows catalogue facts is made here, so that wording, sources and buttons stay the
same across skills. Text is plain (no markup): the chat widget shows it as text.
"""

from __future__ import annotations

from typing import Any

from careers_catalog import CareerProfile
from careers_catalog.careers.catalog import CareerRef, RolePerson, Route
from careers_catalog.careers.discovery import Suggestion
from careers_catalog.careers.plan import CareersPlan
from careers_catalog.careers.search import CareerMatch
from careers_catalog.opportunities.models import KINDS
from careers_catalog.opportunities.search import RADII_KM, Found, SearchResult
from careers_catalog.opportunities.vacancies import Listing
from careers_catalog.text import first_sentence, mid_sentence
from contract import Intent, payload

# Each facet of a career: the intent that asks for it and the label of the button that opens it.
FACETS: dict[str, tuple[str, str]] = {
    "overview": (Intent.ASK_CAREER_OVERVIEW, "What's the job like?"),
    "pay": (Intent.ASK_PAY, "Pay"),
    "subjects": (Intent.ASK_SUBJECTS, "Subjects that help"),
    "routes": (Intent.ASK_ROUTES, "How to get in"),
    "routes_without_degree": (Intent.ASK_ROUTES_WITHOUT_DEGREE, "Without uni"),
    "skills": (Intent.ASK_SKILLS, "Skills"),
    "hours": (Intent.ASK_HOURS, "Hours"),
    "outlook": (Intent.ASK_OUTLOOK, "Future outlook"),
    "related": (Intent.ASK_RELATED, "Similar careers"),
}
FACET_OF_INTENT = {intent: facet for facet, (intent, _) in FACETS.items()}
# What kind of reply each message is (see :func:`about`); replies from domain.yml's responses are
# known by their response's name (see :data:`REPLY_OF_RESPONSE`).
REPLIES = frozenset(
    {"career_overview", *(f for f in FACETS if f != "overview")}
    | {"did_you_mean", "workplace", "ask_which_career", "not_in_catalogue", "careers_for_subjects"}
    | {"careers_for_interests", "ask_what_they_like", "quiz_intro", "quiz_question", "quiz_stopped"}
    | {"compare", "role_models", "saved", "plan", "ask_location", "opportunities", "education_answer"}
    | {"confidence_answer", "safeguarding_signposting", "privacy_reminder", "help", "greeting"}
    | {"goodbye", "thanks", "out_of_scope", "fallback", "bot_challenge", "insult", "affirm", "deny"}
    | {"handover", "no_advisers", "fallback_offer"}
)
# Replies that mean the assistant could not help: it did not understand the message, or the message asked
# for something it does not do (bot/actions/handover.py offers a person the second time).
CANNOT_HELP_REPLIES = frozenset({"fallback", "did_you_mean", "out_of_scope"})
REPLY_OF_RESPONSE = {
    "utter_greet": "greeting",
    "utter_help": "help",
    "utter_insult": "insult",
    "utter_goodbye": "goodbye",
    "utter_thanks": "thanks",
    "utter_iamabot": "bot_challenge",
    "utter_affirm": "affirm",
    "utter_deny": "deny",
    "utter_no_idea": "ask_what_they_like",
    "utter_quiz_paused": "quiz_stopped",
    "utter_no_quiz_running": "quiz_stopped",
    "utter_education": "education_answer",
    "utter_privacy_reminder": "privacy_reminder",
    "utter_confidence": "confidence_answer",
}
# Which buttons to offer next after each facet.
_NEXT = {
    "overview": ["pay", "subjects", "routes", "related"],
    "pay": ["hours", "routes", "subjects", "outlook"],
    "subjects": ["routes", "pay", "skills", "related"],
    "routes": ["subjects", "pay", "skills", "outlook"],
    "routes_without_degree": ["routes", "subjects", "pay", "skills"],
    "skills": ["subjects", "routes", "hours", "related"],
    "hours": ["pay", "skills", "outlook", "related"],
    "outlook": ["routes", "pay", "related", "overview"],
    "related": ["overview", "pay", "routes", "subjects"],
}
ROUTE_LABELS = {
    "apprenticeship": "Apprenticeship",
    "degree_apprenticeship": "Degree apprenticeship",
    "t_level": "T Level",
    "college": "College course",
    "degree": "University degree",
    "direct": "Applying directly",
    "volunteering": "Volunteering and experience",
    "other": "Other route",
}
BULLET = "•"


def about(reply: str, *careers: str) -> dict[str, Any]:
    """Keyword arguments for ``dispatcher.utter_message`` that say what kind of reply a message is and
    which careers it is about. Rasa keeps them in the message's event (clients never see them), where the
    conversation tests and benchmarks read them; the kinds are listed in :data:`REPLIES`."""
    assert reply in REPLIES, reply
    return {"reply": reply, "careers": list(careers)} if careers else {"reply": reply}


def reply_of_facet(facet: str) -> str:
    return "career_overview" if facet == "overview" else facet


def button(title: str, intent: str, career_id: str | None = None, **entities: str) -> dict[str, str]:
    return {"title": title, "payload": payload(intent, career_id, **entities)}


def facet_buttons(profile: CareerProfile, facet: str) -> list[dict[str, str]]:
    return [button(FACETS[f][1], FACETS[f][0], profile.id) for f in _NEXT[facet]]


def career_buttons(
    careers: list[CareerRef] | list[CareerMatch], facet: str = "overview"
) -> list[dict[str, str]]:
    intent = FACETS[facet][0]
    return [button(c.title, intent, _id(c)) for c in careers]


def _id(c: CareerRef | CareerMatch) -> str:
    return c.id if isinstance(c, CareerRef) else c.career_id


def a_or_an(phrase: str) -> str:
    vowel_sound = phrase[:1].lower() in "aeiou" and not phrase.lower().startswith(("uni", "euro"))
    article = "an" if vowel_sound else "a"
    return f"{article} {phrase}"


def name_of(profile: CareerProfile) -> str:
    """The career's title as it reads mid-sentence ('a software developer', 'an animator')."""
    return a_or_an(mid_sentence(profile.title))


def pounds(amount: int) -> str:
    return f"£{amount:,}"


def cite(source: str, year: int) -> str:
    return f"(Source: {source}, {year}.)"


def facet_text(profile: CareerProfile, facet: str) -> str:
    """The reply text for one facet of a career."""
    return _WRITERS[facet](profile)


def apprentice_pay_text(p: CareerProfile, rate: float, since: str) -> str:
    """What an apprentice is paid at least, for a student who asked about pay on an apprenticeship."""
    return (
        f"As an apprentice {p.title.lower()}, you would be paid a wage while you train: at least "
        f"£{rate:.2f} an hour from {since} if you're under 19 or in your first year (the apprentice rate), "
        "then at least the minimum wage for your age. Many employers pay apprentices more than that. "
        f"(Source: GOV.UK, National Minimum Wage and National Living Wage rates, {since.split()[-1]}.)"
    )


def _overview(p: CareerProfile) -> str:
    return f"{p.title}: {p.summary}\n\n{p.day_to_day}"


def _pay(p: CareerProfile) -> str:
    pay, name = p.pay, name_of(p)
    if pay is None:
        return (
            f"I don't have a reliable pay figure for {name}: the official survey publishes none for this "
            "group of jobs, often because many people in it are self-employed or pay varies too much. Job "
            "adverts near you are the best guide."
        )
    if pay.measure == "middle-half":
        text = (
            f"Pay for {name}: half of the people working full time in the job earn between "
            f"{pounds(pay.low)} and {pounds(pay.high)} a year; the middle figure is {pounds(pay.median)}. "
            "New starters usually start near the lower end."
        )
    elif pay.measure == "median":
        text = (
            f"Pay for {name}: people working full time in the job earn about {pounds(pay.median)} a year in "
            "the middle (half earn more, half less). New starters usually earn less."
        )
    elif pay.measure == "scale":
        text = (
            f"Pay for {name}: you would start on about {pounds(pay.low)} a year, and can rise to "
            f"{pounds(pay.high)} on the national pay scale."
        )
    else:
        text = f"Pay for {name}: you would start on about {pounds(pay.low)} a year, rising with experience."
    text += f" {cite(pay.source, pay.year)}"
    if pay.note:
        text += f" {pay.note}"
    return text + " Pay also varies by employer and by where in the UK you work."


def pay_line(p: CareerProfile) -> str:
    """Pay in a few words with its source, or that there is no reliable figure."""
    if p.pay is None:
        return "no reliable figure published"
    return f"{p.pay.short()} {cite(p.pay.source, p.pay.year)}"


def _subjects(p: CareerProfile) -> str:
    lines = [f"Subjects that help to become {name_of(p)}:"]
    for s in p.subjects:
        levels = " and ".join(
            x
            for x, on in (("GCSE", s.gcse), ("A level", s.a_level), ("vocational course", s.vocational))
            if on
        )
        lines.append(f"{BULLET} {s.subject} ({levels}): {s.why}")
    lines.append("Good GCSEs in English and maths keep the most routes open.")
    return "\n".join(lines)


def _route_line(r: Route) -> str:
    label = ROUTE_LABELS.get(r.kind, "Route")
    if r.level and r.kind in ("apprenticeship", "degree_apprenticeship", "college"):
        label += f" (Level {r.level})"
    line = f"{BULLET} {label}: {r.qualification}"
    return f"{line}. {r.note}" if r.note else line


def _routes(p: CareerProfile) -> str:
    lines = [f"Ways to become {name_of(p)}:"] + [_route_line(r) for r in p.routes]
    lines.append(cite(p.routes_source.source, p.routes_source.year))
    return "\n".join(lines)


def _routes_without_degree(p: CareerProfile) -> str:
    other = [r for r in p.routes if r.kind != "degree"]
    if not other:
        return (
            f"To become {name_of(p)} you need a university degree: there is no other route at the moment.\n"
            + "\n".join(_route_line(r) for r in p.routes)
            + f"\n{cite(p.routes_source.source, p.routes_source.year)}"
        )
    lines = [f"Yes, there are ways to become {name_of(p)} without going to university full time:"]
    lines += [_route_line(r) for r in other]
    if any(r.kind == "degree_apprenticeship" and not r.note for r in other):
        lines.append(
            "A degree apprenticeship gets you a degree while you work and are paid, with no tuition fees."
        )
    lines.append(cite(p.routes_source.source, p.routes_source.year))
    return "\n".join(lines)


def _skills(p: CareerProfile) -> str:
    return "\n".join([f"What helps you do well as {name_of(p)}:"] + [f"{BULLET} {s}" for s in p.skills])


def _hours(p: CareerProfile) -> str:
    h = p.hours
    if h.weekly is not None:
        text = (
            f"People working full time as {name_of(p)} are usually paid for about {_num(round(h.weekly))} "
            f"hours a week. {cite(h.source, h.year)}"
        )
    else:
        text = f"There is no published figure for the weekly hours of {name_of(p)}."
    if h.pattern:
        pattern = h.pattern.rstrip(".")
        text += f" Typical pattern: {pattern[:1].lower()}{pattern[1:]}."
    return text


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _outlook(p: CareerProfile) -> str:
    return f"The outlook for {name_of(p)}: {p.outlook}"


def _related(p: CareerProfile) -> str:
    titles = ", ".join(r.title for r in p.related)
    return f"If you like the sound of {name_of(p)}, you might also look at: {titles}."


_WRITERS = {
    "overview": _overview,
    "pay": _pay,
    "subjects": _subjects,
    "routes": _routes,
    "routes_without_degree": _routes_without_degree,
    "skills": _skills,
    "hours": _hours,
    "outlook": _outlook,
    "related": _related,
}


def facet_message(profile: CareerProfile, facet: str) -> dict[str, Any]:
    """Keyword arguments for ``dispatcher.utter_message``: the facet's text and the buttons under it."""
    buttons = career_buttons(profile.related) if facet == "related" else facet_buttons(profile, facet)
    return {
        "text": facet_text(profile, facet),
        "buttons": buttons,
        **about(reply_of_facet(facet), profile.id),
    }


def career_card_message(p: CareerProfile) -> dict[str, Any]:
    """The overview as a career card, for clients that show cards (the web widget): title, one-line
    summary and pay on the card, what the job is like day to day under it, and the overview's buttons."""
    pay = f"Pay: {pay_line(p)}"
    card = {"id": p.id, "title": p.title, "summary": first_sentence(p.summary) + ".", "pay": pay}
    return {
        "json_message": {"card": card, "text": p.day_to_day, "buttons": facet_buttons(p, "overview")},
        **about("career_overview", p.id),
    }


def suggestion_message(named: str, suggestions: list[CareerMatch], facet: str) -> dict[str, Any]:
    """'Did you mean...?' with the closest careers as buttons."""
    return {
        "text": f'I\'m not sure which career you mean by "{_quote(named)}". Did you mean one of these?',
        "buttons": career_buttons(suggestions, facet),
        **about("did_you_mean"),
    }


def workplace_message(place: str, careers: list[CareerRef]) -> dict[str, Any]:
    """Before the first job at a place of work a student named: the others as buttons."""
    others = ", ".join(mid_sentence(c.title) for c in careers[1:])
    text = f"People at {place} do lots of different jobs. Here's one of the main ones"
    text += f"; others there include {others}." if others else "."
    return {
        "text": text,
        "buttons": career_buttons(careers[1:]),
        **about("workplace", *(c.id for c in careers)),
    }


def _quote(text: str) -> str:
    """A short, safe echo of what the student typed (no markup, no control characters)."""
    cleaned = "".join(ch for ch in text if ch.isprintable() and ch not in '<>{}[]"`')
    return cleaned[:40].strip() or "that"


# --- discovery, comparison, role models, plan ----------------------------------------------------


def suggestions_message(intro: str, suggestions: list[Suggestion], reply: str) -> dict[str, Any]:
    """A list of suggested careers, each with one line on why it fits, and a button to open each."""
    lines = [intro]
    for s in suggestions:
        reason = " ".join(s.reasons)
        lines.append(f"{BULLET} {s.career.title}: {reason}" if reason else f"{BULLET} {s.career.title}")
    refs = [CareerRef(s.career.id, s.career.title) for s in suggestions]
    return {"text": "\n".join(lines), "buttons": career_buttons(refs), **about(reply)}


def _short(text: str, limit: int = 160) -> str:
    """The first sentence of a text, cut to ``limit`` characters."""
    first = first_sentence(text)
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"


def _route_kinds(p: CareerProfile) -> str:
    return ", ".join(dict.fromkeys(ROUTE_LABELS.get(r.kind, "Other route").lower() for r in p.routes))


def compare_message(a: CareerProfile, b: CareerProfile) -> dict[str, Any]:
    """Two careers side by side: pay, hours, routes in, subjects and outlook, each with its source."""

    def row(label: str, left: str, right: str) -> str:
        return f"{label}\n{BULLET} {a.title}: {left}\n{BULLET} {b.title}: {right}"

    def hours(p: CareerProfile) -> str:
        if p.hours.weekly is None:
            return p.hours.pattern or "varies"
        return f"about {_num(round(p.hours.weekly))} hours a week"

    def subjects(p: CareerProfile) -> str:
        return ", ".join(s.subject for s in p.subjects[:3]) or "any"

    text = "\n\n".join(
        [
            f"{a.title} and {b.title}, side by side:",
            row("Pay", pay_line(a), pay_line(b)),
            row("Hours", hours(a), hours(b)),
            row("Routes in", _route_kinds(a), _route_kinds(b)),
            row("Subjects that help", subjects(a), subjects(b)),
            row("Outlook", _short(a.outlook), _short(b.outlook)),
        ]
    )
    buttons = [button(f"More on {p.title}", Intent.ASK_CAREER_OVERVIEW, p.id) for p in (a, b)]
    buttons += [button(f"Save {p.title}", Intent.SAVE_CAREER, p.id) for p in (a, b)]
    return {"text": text, "buttons": buttons, **about("compare", a.id, b.id)}


def role_models_message(intro: str, people: list[RolePerson]) -> dict[str, Any]:
    lines = [intro]
    for p in people:
        lines.append(
            f"{BULLET} {p.name} ({p.lived}, {p.origin}): {p.story} "
            f"Career: {p.career.title}. {cite(p.source, p.source_year)}"
        )
    buttons = [button(p.career.title, Intent.ASK_CAREER_OVERVIEW, p.career.id) for p in people]
    buttons = list({b["payload"]: b for b in buttons}.values())
    buttons.append(button("More role models", Intent.ASK_ROLE_MODELS))
    return {"text": "\n".join(lines), "buttons": buttons, **about("role_models")}


def plan_message(plan: CareersPlan, link: str) -> dict[str, Any]:
    lines = ["Your careers plan:"]
    saved = [c.title for c in plan.careers if c.saved]
    looked = [c.title for c in plan.careers if not c.saved]
    if saved:
        lines.append(f"Saved: {', '.join(saved)}.")
    if looked:
        lines.append(f"You also looked at: {', '.join(looked)}.")
    if plan.subjects:
        lines.append("Subjects that keep these careers open:")
        total = len(plan.careers)
        lines += [f"{BULLET} {s.subject} (helps {len(s.careers)} of {total})" for s in plan.subjects]
    lines.append("Next steps:")
    lines += [f"{BULLET} {step}" for step in plan.next_steps]
    lines.append(f"Printable version: {link}")
    buttons = [button(c.title, Intent.ASK_CAREER_OVERVIEW, c.id) for c in plan.careers[:4]]
    return {"text": "\n".join(lines), "buttons": buttons, **about("plan")}


# --- opportunities ---------------------------------------------------------------------------------

AREA_LABELS = {
    "digital": "tech",
    "public-service": "public service",
}


def _area_label(area: str) -> str:
    return AREA_LABELS.get(area, area)


def _dates(listing: Listing) -> str:
    start, end = listing.start_date, listing.end_date
    if start and end and start != end:
        return f"{start:%-d %b} to {end:%-d %b %Y}"
    if start:
        return f"{start:%-d %b %Y}"
    return f"until {listing.expires:%-d %b %Y}"


def _listing_line(found: Found) -> str:
    x = found.listing
    where = ", ".join(p for p in (x.town, x.outward_code) if p)
    areas = ", ".join(_area_label(a) for a in x.career_areas[:2])
    line = (
        f"{BULLET} {x.employer}: {x.title}. {KINDS.get(x.kind, x.kind)}"
        + (f" in {areas}" if areas else "")
        + f", {found.distance_km:g} km away ({where}), {_dates(x)}, years {x.year_min} to {x.year_max}. "
        + f"{x.description} How to apply: {x.how_to_apply.rstrip('.')}."
    )
    if x.url:
        line += f" {x.url}"
    if x.sample:
        line += " (Sample listing.)"
    return line


def opportunities_message(
    place: str, kinds: set[str], areas: set[str], result: SearchResult, offset: int
) -> dict[str, Any]:
    """Opportunities near a place, nearest first, with buttons to narrow or see more."""
    what = " or ".join(KINDS[k].lower() for k in sorted(kinds)) if kinds else "opportunities"
    if areas:
        what += " in " + " or ".join(_area_label(a) for a in sorted(areas))
    lines: list[str] = []
    if result.found:
        if result.widened:
            lines.append(
                f"Nothing within {RADII_KM[0]:g} km of {place}, so I looked up to {result.radius_km:g} km."
            )
        first = offset + 1
        last = offset + len(result.found)
        lines.append(
            f"{what[:1].upper()}{what[1:]} near {place}, nearest first ({first} to {last} of {result.total}):"
        )
        lines += [_listing_line(f) for f in result.found]
        lines.append("Your school's careers lead can help you apply and may know of more.")
    else:
        lines.append(
            f"I couldn't find {what} within {RADII_KM[-1]:g} km of {place}. These national and online "
            "programmes are open to students anywhere:"
        )
        for p in result.national[:4]:
            lines.append(f"{BULLET} {p.name} ({p.organisation}): {p.description} {p.how_to_apply} {p.url}")
    if result.remote_failed:
        lines.append(
            "(The live apprenticeship search isn't answering right now, so these are from my own list.)"
        )
    buttons = []
    if result.found and offset + len(result.found) < result.total:
        buttons.append(button("Show more", Intent.FILTER_OPPORTUNITIES, page="next"))
    if "apprenticeship" not in kinds:
        buttons.append(
            button("Only apprenticeships", Intent.FILTER_OPPORTUNITIES, opportunity_kind="apprenticeship")
        )
    if "work_experience" not in kinds:
        buttons.append(
            button("Work experience", Intent.FILTER_OPPORTUNITIES, opportunity_kind="work_experience")
        )
    if "digital" not in areas:
        buttons.append(button("Something in tech", Intent.FILTER_OPPORTUNITIES, sector="digital"))
    return {"text": "\n".join(lines), "buttons": buttons, **about("opportunities")}
