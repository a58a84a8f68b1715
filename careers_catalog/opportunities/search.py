"""Finding opportunities near a place, nearest first: local listings from the catalogue (and a remote
vacancy source when one is configured), widening the radius when nothing is close, and national or
virtual programmes when nothing local fits. Expired listings are never shown.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Engine

from careers_catalog.careers.models import CatalogMeta
from careers_catalog.data_rules import SECTORS
from careers_catalog.db import session_factory
from careers_catalog.geo import Place, haversine_km
from careers_catalog.opportunities.models import NationalProgramme, Opportunity
from careers_catalog.opportunities.vacancies import Listing, VacancySource, VacancySourceError
from careers_catalog.text import normalize

log = logging.getLogger(__name__)
RADII_KM = (10.0, 25.0, 50.0, 100.0)
# The words students use for each kind of opportunity and each area of work (catalogue sectors).
KIND_WORDS = {
    "work_experience": "work experience|work experiance|work exp|placements?|internships?|job shadowing",
    "insight_day": "insight days?|open days?|insight",
    "talk": "talks?|assembl(?:y|ies)|workshops?|speakers?",
    "mentoring": "mentoring|mentors?",
    "taster": "tasters?|taster days?|summer schools?|have a go",
    "apprenticeship": "apprenticeships?|apprentice",
    "virtual_placement": "virtual|online|remote|from home",
}
AREA_WORDS = {
    "digital": (
        "tech|ict|it jobs|coding|code|computing|computers?|games?|gaming|cyber|data|digital|software|web|ai"
    ),
    "engineering": "engineering|engineers?|robotics|manufacturing",
    "health": "health|nhs|medicine|medical|nursing|doctors?|hospitals?",
    "care": "care|caring|social care",
    "construction": "construction|building|architecture",
    "creative": "creative|art|design|fashion|music",
    "media": "media|film|tv|journalism",
    "business": "business|finance|money|banking|marketing",
    "law": "law|legal",
    "science": "science|lab|laboratory|research",
    "sport": "sports?|fitness",
    "environment": "environment|animals?|outdoors|farming|nature",
    "education": "teaching|education|schools?",
    "hospitality": "hospitality|cooking|chef|food",
    "transport": "transport|driving|aviation|railways?",
    "trades": "trades?|plumbing|electrician|mechanic",
    "public-service": "police|army|military|public service|fire service",
}
_KINDS = {kind: re.compile(rf"\b(?:{words})\b") for kind, words in KIND_WORDS.items()}
_AREAS = {area: re.compile(rf"\b(?:{words})\b") for area, words in AREA_WORDS.items()}


def kinds_in(text: str) -> set[str]:
    """The kinds of opportunity a message asks for ("only apprenticeships" -> {"apprenticeship"})."""
    said = normalize(text)
    kinds = {kind for kind, pattern in _KINDS.items() if pattern.search(said)}
    if "virtual_placement" in kinds:  # "virtual work experience" is one thing, not two
        kinds.discard("work_experience")
    return kinds


def areas_in(text: str) -> set[str]:
    """The areas of work a message asks about ("something in games" -> {"digital"})."""
    said = normalize(text)
    return {area for area, pattern in _AREAS.items() if pattern.search(said)}


def sectors_named(value: str | None) -> set[str]:
    """The catalogue sectors a ``sector`` entity stands for: a sector's own name (from a button) or a
    student's words for one ("tech", "the nhs")."""
    if not value:
        return set()
    return {value} if value in SECTORS else areas_in(value)


@dataclass(frozen=True)
class Found:
    listing: Listing
    distance_km: float


@dataclass(frozen=True)
class Programme:
    name: str
    organisation: str
    url: str
    kinds: tuple[str, ...]
    career_areas: tuple[str, ...]
    year_groups: str
    how_to_apply: str
    description: str
    source: str
    source_year: int


@dataclass(frozen=True)
class SearchResult:
    found: list[Found]  # this page, nearest first
    total: int  # how many match within the radius
    radius_km: float
    widened: bool  # nothing within the first radius, so it looked further
    national: list[Programme] = field(default_factory=list)  # offered when nothing local fits
    remote_failed: bool = False


class OpportunityFinder:
    """Searches the catalogue's opportunities (held in memory, reloaded when an import changes them)."""

    def __init__(
        self,
        engine: Engine,
        remote: VacancySource | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._sessions = session_factory(engine)
        self.remote = remote
        self.today = today
        self._cache_key: tuple[str | None, dt.date] | None = None
        self._listings: list[Listing] = []  # by latitude, so a search reads only a band of them
        self._latitudes: list[float] = []

    def listings(self) -> list[Listing]:
        """Every listing not yet expired."""
        with self._sessions() as session:
            meta = session.get(CatalogMeta, "opportunities_version")
            key = (meta.value if meta else None, self.today())
            if key != self._cache_key:
                rows = (
                    session.execute(select(Opportunity).where(Opportunity.expires >= key[1]))
                    .unique()
                    .scalars()
                )
                self._listings = sorted((_listing(o) for o in rows), key=lambda x: x.latitude)
                self._latitudes = [x.latitude for x in self._listings]
                self._cache_key = key
        return self._listings

    def search(
        self,
        place: Place,
        kinds: Iterable[str] = (),
        areas: Iterable[str] = (),
        limit: int = 5,
        offset: int = 0,
    ) -> SearchResult:
        kinds, areas = set(kinds), set(areas)
        remote: list[Listing] = []
        remote_failed = False
        if self.remote is not None and (not kinds or "apprenticeship" in kinds):
            try:
                fetched = self.remote.search(place.latitude, place.longitude, RADII_KM[-1], limit=20)
                remote = [x for x in fetched if x.expires >= self.today() and _fits(x, kinds, areas)]
            except VacancySourceError as exc:
                log.warning("remote vacancies unavailable: %s", exc)
                remote_failed = True
        # The smallest radius with anything in it; each step reads only its own band of latitudes.
        within: list[Found] = []
        for radius in RADII_KM:
            local = [x for x in self._band(place.latitude, radius) if _fits(x, kinds, areas)]
            within = sorted(
                _near(local, place, radius) + _near(remote, place, radius), key=lambda f: f.distance_km
            )
            if within:
                break
        national = [] if within else self.national(kinds, areas)
        return SearchResult(
            within[offset : offset + limit],
            len(within),
            radius,
            radius > RADII_KM[0],
            national,
            remote_failed,
        )

    def _band(self, latitude: float, radius_km: float) -> list[Listing]:
        listings = self.listings()
        band = radius_km / 111.0
        lo = bisect.bisect_left(self._latitudes, latitude - band)
        hi = bisect.bisect_right(self._latitudes, latitude + band)
        return listings[lo:hi]

    def national(self, kinds: set[str] = frozenset(), areas: set[str] = frozenset()) -> list[Programme]:
        """National and virtual programmes, those fitting the kinds and areas asked for first."""
        with self._sessions() as session:
            rows = session.execute(select(NationalProgramme).order_by(NationalProgramme.position)).scalars()
            programmes = [
                Programme(
                    p.name,
                    p.organisation,
                    p.url,
                    tuple(p.kinds),
                    tuple(p.career_areas),
                    p.year_groups,
                    p.how_to_apply,
                    p.description,
                    p.source,
                    p.source_year,
                )
                for p in rows
            ]

        def fit(p: Programme) -> int:
            return (not kinds or bool(kinds & set(p.kinds))) + (
                not areas or bool(areas & set(p.career_areas))
            )

        return sorted(programmes, key=lambda p: -fit(p))


def _fits(x: Listing, kinds: set[str], areas: set[str]) -> bool:
    return (not kinds or x.kind in kinds) and (not areas or not areas.isdisjoint(x.career_areas))


def _near(listings: list[Listing], place: Place, radius_km: float) -> list[Found]:
    """Listings within ``radius_km``, nearest first (a cheap box test before the great-circle distance)."""
    dlat = radius_km / 111.0
    dlon = radius_km / (111.0 * max(0.1, math.cos(math.radians(place.latitude))))
    out = []
    for x in listings:
        if abs(x.latitude - place.latitude) <= dlat and abs(x.longitude - place.longitude) <= dlon:
            distance = haversine_km(place.latitude, place.longitude, x.latitude, x.longitude)
            if distance <= radius_km:
                out.append(Found(x, round(distance, 1)))
    out.sort(key=lambda f: (f.distance_km, f.listing.title))
    return out


def _listing(o: Opportunity) -> Listing:
    return Listing(
        employer=o.employer.name,
        title=o.title,
        kind=o.kind,
        career_areas=tuple(o.career_areas),
        town=o.town,
        outward_code=o.outward_code,
        latitude=o.latitude,
        longitude=o.longitude,
        start_date=o.start_date,
        end_date=o.end_date,
        expires=o.expires,
        year_min=o.year_min,
        year_max=o.year_max,
        how_to_apply=o.how_to_apply,
        url=o.url,
        description=o.description,
        sample=o.sample,
    )
