"""Remote vacancy sources. One today: Find an apprenticeship's vacancy API (GOV.UK), which needs a key.

A source turns a place and a radius into :class:`Listing` rows like the local ones. It uses
``requests`` with a timeout, retries server errors once, waits out a short ``Retry-After`` when rate
limited, and raises :class:`VacancySourceError` when it cannot answer, so that the caller can still
show local results.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, Protocol

import requests

from careers_catalog.geo import OUTWARD_CODE

KM_PER_MILE = 1.609344
# The API's apprenticeship routes and the catalogue sectors they belong to.
ROUTE_SECTORS = {
    "agriculture, environmental and animal care": "environment",
    "business and administration": "business",
    "care services": "care",
    "catering and hospitality": "hospitality",
    "construction and the built environment": "construction",
    "creative and design": "creative",
    "digital": "digital",
    "education and early years": "education",
    "engineering and manufacturing": "engineering",
    "hair and beauty": "trades",
    "health and science": "health",
    "legal, finance and accounting": "law",
    "protective services": "public-service",
    "sales, marketing and procurement": "business",
    "transport and logistics": "transport",
}


@dataclass(frozen=True)
class Listing:
    """One opportunity as a student sees it, wherever it came from."""

    employer: str
    title: str
    kind: str
    career_areas: tuple[str, ...]
    town: str
    outward_code: str
    latitude: float
    longitude: float
    start_date: dt.date | None
    end_date: dt.date | None
    expires: dt.date
    year_min: int
    year_max: int
    how_to_apply: str
    url: str | None
    description: str
    sample: bool
    origin: str = "local"  # "local" (the catalogue) or the remote source's name


class VacancySourceError(RuntimeError):
    """A remote source could not answer (down, slow, rate limited, or refused the key)."""


class VacancySource(Protocol):
    name: str

    def search(
        self, latitude: float, longitude: float, radius_km: float, limit: int = 10
    ) -> list[Listing]: ...


class FindAnApprenticeshipClient:
    """Find an apprenticeship's vacancy search: ``GET {base}/vacancy`` with the subscription key header."""

    name = "Find an apprenticeship"

    def __init__(
        self,
        base_url: str,
        api_key: str,
        timeout: float = 3.0,
        retries: int = 1,
        max_retry_after: float = 2.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.retries = retries
        self.max_retry_after = max_retry_after
        self.session = session or requests.Session()

    def search(self, latitude: float, longitude: float, radius_km: float, limit: int = 10) -> list[Listing]:
        params = {
            "Lat": f"{latitude:.5f}",
            "Lon": f"{longitude:.5f}",
            "DistanceInMiles": max(1, round(radius_km / KM_PER_MILE)),
            "Sort": "DistanceAsc",
            "PageNumber": 1,
            "PageSize": limit,
        }
        headers = {"Ocp-Apim-Subscription-Key": self.api_key, "X-Version": "1"}
        for attempt in range(self.retries + 1):
            try:
                reply = self.session.get(
                    f"{self.base_url}/vacancy", params=params, headers=headers, timeout=self.timeout
                )
            except requests.RequestException as exc:
                if attempt < self.retries:
                    continue
                raise VacancySourceError(f"{self.name}: {type(exc).__name__}") from exc
            if reply.status_code in (401, 403):
                raise VacancySourceError(f"{self.name}: the API key was refused ({reply.status_code})")
            if reply.status_code == 429:
                wait = _retry_after(reply)
                if attempt < self.retries and wait is not None and wait <= self.max_retry_after:
                    time.sleep(wait)
                    continue
                raise VacancySourceError(f"{self.name}: rate limited")
            if reply.status_code >= 500:
                if attempt < self.retries:
                    continue
                raise VacancySourceError(f"{self.name}: server error {reply.status_code}")
            if not reply.ok:
                raise VacancySourceError(f"{self.name}: unexpected answer {reply.status_code}")
            try:
                return [v for v in map(_listing, reply.json().get("vacancies", [])) if v is not None][:limit]
            except (ValueError, AttributeError) as exc:
                raise VacancySourceError(f"{self.name}: unreadable answer") from exc
        raise VacancySourceError(f"{self.name}: no answer")


def _retry_after(reply: requests.Response) -> float | None:
    try:
        return float(reply.headers.get("Retry-After", ""))
    except ValueError:
        return None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _listing(v: dict[str, Any]) -> Listing | None:
    """A vacancy as a listing; None if it lacks what a student needs (a place, a closing date)."""
    location = v.get("location") or {}
    closing = _date(v.get("closingDate"))
    if closing is None or location.get("lat") is None or location.get("lon") is None:
        return None
    address = v.get("address") or {}
    postcode = str(address.get("postcode") or "")
    outward = OUTWARD_CODE.match(postcode.strip().upper())
    route = str((v.get("course") or {}).get("route") or "").lower()
    town = next(
        (str(address[k]) for k in ("addressLine4", "addressLine3", "addressLine2") if address.get(k)), ""
    )
    level = (v.get("course") or {}).get("level")
    return Listing(
        employer=str(v.get("employerName") or "Employer"),
        title=str(v.get("title") or "Apprenticeship"),
        kind="apprenticeship",
        career_areas=(ROUTE_SECTORS[route],) if route in ROUTE_SECTORS else (),
        town=town,
        outward_code=outward.group(1) if outward else "",
        latitude=float(location["lat"]),
        longitude=float(location["lon"]),
        start_date=_date(v.get("startDate")),
        end_date=None,
        expires=closing,
        year_min=11,
        year_max=13,
        how_to_apply=f"Apply on Find an apprenticeship (GOV.UK) by {closing:%-d %B %Y}.",
        url=str(v["vacancyUrl"]) if v.get("vacancyUrl") else None,
        description=f"Level {level} apprenticeship." if level else "Apprenticeship.",
        sample=False,
        origin="Find an apprenticeship",
    )
