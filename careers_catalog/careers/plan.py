"""A student's careers plan: the careers they looked at or saved, the subjects that keep those careers
open, and next steps. Built from career ids alone (no login, nothing about the student), so the chat and
the printable page (served by the web app) show the same plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from careers_catalog.careers.catalog import CareerProfile, Catalog
from careers_catalog.text import mid_sentence

MAX_PLAN_CAREERS = 8  # a plan is a shortlist; the most recent careers are kept


@dataclass(frozen=True)
class PlanCareer:
    id: str
    title: str
    saved: bool
    first_route: str  # the route in that needs no degree first, if there is one


@dataclass(frozen=True)
class PlanSubject:
    subject: str
    careers: tuple[str, ...]  # titles of the plan's careers that this subject helps


@dataclass(frozen=True)
class CareersPlan:
    careers: tuple[PlanCareer, ...]
    subjects: tuple[PlanSubject, ...]
    next_steps: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.careers


def build_plan(catalog: Catalog, viewed: Sequence[str], saved: Sequence[str]) -> CareersPlan:
    """The plan for careers ``saved`` (first) and ``viewed``; unknown ids are ignored."""
    profiles = [p for p in map(catalog.profile, _plan_order(viewed, saved)) if p is not None]
    careers = tuple(PlanCareer(p.id, p.title, p.id in saved, _first_route(p)) for p in profiles)
    helps: dict[str, list[str]] = {}
    for p in profiles:
        for link in p.subjects:
            helps.setdefault(link.subject, []).append(p.title)
    counts = Counter({subject: len(titles) for subject, titles in helps.items()})
    subjects = tuple(PlanSubject(s, tuple(helps[s])) for s, _ in counts.most_common(5))
    return CareersPlan(careers, subjects, tuple(_next_steps(profiles, saved)))


def _plan_order(viewed: Sequence[str], saved: Sequence[str]) -> list[str]:
    """Saved careers first, then the most recently viewed, each once, as many as a plan holds."""
    return list(dict.fromkeys([*saved, *reversed(viewed)]))[:MAX_PLAN_CAREERS]


def _first_route(p: CareerProfile) -> str:
    for kind in ("apprenticeship", "t_level", "degree_apprenticeship", "college"):
        for route in p.routes:
            if route.kind == kind:
                return route.qualification
    return p.routes[0].qualification if p.routes else ""


def _next_steps(profiles: list[CareerProfile], saved: Sequence[str]) -> list[str]:
    if not profiles:
        return []
    focus = next((p for p in profiles if p.id in saved), profiles[0])
    title = mid_sentence(focus.title)
    steps = [
        f"Look for work experience, an insight day or a talk about {title} work: ask your school's careers "
        "lead, or ask me about opportunities near you.",
        f"Ask your careers adviser: which of my GCSE or post-16 choices keep {title} open?",
    ]
    route = _first_route(focus)
    if route:
        steps.append(f"Find out about one route in: {route}.")
    return steps


def plan_path(viewed: Sequence[str], saved: Sequence[str]) -> str:
    """The printable plan's path and query on the web app: career ids only, nothing about the student."""
    query = {"careers": ",".join(_plan_order(viewed, saved))}
    if saved:
        query["saved"] = ",".join(dict.fromkeys(saved))
    return f"/plan?{urlencode(query)}"


def plan_from_link(catalog: Catalog, careers: Sequence[str], saved: Sequence[str]) -> CareersPlan:
    """The plan a printable link names (:func:`plan_path`): its careers are already in plan order."""
    return build_plan(catalog, list(reversed(careers)), [c for c in saved if c in careers])
