"""Where a student is: UK postcodes and place names to coordinates, and distances.

Offline first: ``data/geo/postcode_districts.csv`` gives the centroid of every postcode district
(outward code) and the towns, areas and boroughs that point to it, so a postcode, an outward code or a
town resolves with no network. A full postcode can be sharpened by a postcodes.io-compatible API
(``POSTCODES_API_URL``), with timeouts, retries and a cache; when it fails, the district centroid is
used. Only the outward code ("L3") or the place name is ever kept: never a full postcode.
"""

from __future__ import annotations

import csv
import math
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import requests
from rapidfuzz import fuzz, process

import settings
from careers_catalog.paths import DATA_DIR
from careers_catalog.text import normalize

DISTRICTS_FILE = DATA_DIR / "geo" / "postcode_districts.csv"
EARTH_RADIUS_KM = 6371.0088
# A UK postcode: outward code (area letters, district digits, optional letter) and inward code.
_OUTWARD = r"[A-Z]{1,2}\d[A-Z\d]?"
FULL_POSTCODE = re.compile(rf"\b({_OUTWARD})\s*(\d[A-Z]{{2}})\b", re.IGNORECASE)
OUTWARD_CODE = re.compile(rf"\b({_OUTWARD})\b", re.IGNORECASE)


def is_postcode(text: str) -> bool:
    """Whether a message is a postcode, or the first part of one with its digit ("L3 4AF", "M14", "ls6")."""
    text = text.strip()
    return bool(FULL_POSTCODE.search(text)) or (
        bool(OUTWARD_CODE.fullmatch(text)) and any(c.isdigit() for c in text)
    )


# Words around a place name that are not part of it ("near", "in", "my school is in").
_PLACE_FILLER = frozenset(
    "i im i'm live living in near around at by from the my our school is its it's pls please postcode town "
    "area city borough".split()
)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class Place:
    """A resolved location: what to call it, the outward code or town kept for it, and coordinates."""

    label: str  # "L3" or "Hackney": safe to store and show
    latitude: float
    longitude: float
    precise: bool = False  # True when a full postcode was located by the API


class LocationError(ValueError):
    """A location the student gave cannot be used; ``reason`` is what to tell them."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class District:
    code: str
    latitude: float
    longitude: float
    places: tuple[str, ...]


class Districts:
    """The offline table of postcode districts and the place names that point to them."""

    def __init__(self, districts: Iterable[District]) -> None:
        self.by_code = {d.code: d for d in districts}
        spots: dict[str, list[District]] = {}
        for d in self.by_code.values():
            for place in d.places:
                spots.setdefault(normalize(place), []).append(d)
        # A place named by several districts ("Liverpool") sits at their mean centroid; where one name
        # belongs to places far apart (Bootle in Merseyside and in Cumbria), the bigger one wins.
        self._places: dict[str, tuple[str, float, float]] = {}
        for key, ds in spots.items():
            group = _largest_cluster(ds)
            label = next(p for p in group[0].places if normalize(p) == key)
            lat = sum(d.latitude for d in group) / len(group)
            lon = sum(d.longitude for d in group) / len(group)
            self._places[key] = (label, lat, lon)
        self._fuzzy_keys = [k for k in self._places if len(k) >= 5]

    @classmethod
    @lru_cache(maxsize=2)
    def load(cls, path: Path = DISTRICTS_FILE) -> Districts:
        with path.open(encoding="utf-8") as f:
            rows = csv.DictReader(line for line in f if not line.startswith("#"))
            return cls(
                District(
                    r["outward_code"],
                    float(r["latitude"]),
                    float(r["longitude"]),
                    tuple(r["places"].split(";")),
                )
                for r in rows
            )

    def district(self, code: str) -> District | None:
        return self.by_code.get(code.upper())

    def place(self, name: str, fuzzy: bool = True) -> Place | None:
        """A town, area or borough by name ("Hackney", "st helens", and with ``fuzzy`` "birkenhed")."""
        words = [w for w in normalize(name).split() if w not in _PLACE_FILLER]
        if not words:
            return None
        # Longest run of words that names a place: "my school is in west kirby" -> "west kirby".
        for size in range(min(4, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                key = " ".join(words[start : start + size])
                if key in self._places:
                    label, lat, lon = self._places[key]
                    return Place(label, lat, lon)
        key = " ".join(words)
        if fuzzy and len(key) >= 5:
            hit = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=88)
            if hit:
                label, lat, lon = self._places[hit[0]]
                return Place(label, lat, lon)
        return None


def _largest_cluster(districts: list[District], within_km: float = 30.0) -> list[District]:
    """The districts near the one with the most neighbours: one town, not its namesakes elsewhere."""
    if len(districts) == 1:
        return districts

    def near(a: District) -> list[District]:
        return [
            b
            for b in districts
            if haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= within_km
        ]

    return max((near(d) for d in districts), key=len)


class PostcodeClient:
    """Locates a full postcode with a postcodes.io-compatible API (``GET {base}/postcodes/{postcode}``).

    Answers are cached in memory; network errors and 5xx answers are retried, then reported as None so
    that the caller falls back to the district centroid. A 404 means the postcode does not exist.
    """

    def __init__(
        self,
        base_url: str,
        timeout: float = 2.0,
        retries: int = 1,
        session: requests.Session | None = None,
        cache_size: int = 4096,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.session = session or requests.Session()
        self._cache: dict[str, tuple[float, float] | bool] = {}
        self._cache_size = cache_size

    def locate(self, postcode: str) -> tuple[float, float] | bool | None:
        """(lat, lon); False if the API says there is no such postcode; None if it could not answer."""
        key = postcode.replace(" ", "").upper()
        if key in self._cache:
            return self._cache[key]
        for attempt in range(self.retries + 1):
            try:
                reply = self.session.get(f"{self.base_url}/postcodes/{key}", timeout=self.timeout)
            except requests.RequestException:
                reply = None
            if reply is not None and reply.status_code == 404:
                return self._remember(key, False)
            if reply is not None and reply.ok:
                try:
                    result = reply.json()["result"]
                    return self._remember(key, (float(result["latitude"]), float(result["longitude"])))
                except (ValueError, KeyError, TypeError):
                    return None
            if attempt < self.retries:
                time.sleep(0.1 * (attempt + 1))
        return None

    def _remember(self, key: str, value: tuple[float, float] | bool) -> tuple[float, float] | bool:
        if len(self._cache) >= self._cache_size:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = value
        return value


class Locator:
    """Turns what a student types ("L3 4AF", "E8", "near Hackney", "wirral") into a :class:`Place`."""

    def __init__(self, districts: Districts | None = None, client: PostcodeClient | None = None) -> None:
        self.districts = districts or Districts.load()
        self.client = client

    @classmethod
    def from_settings(cls) -> Locator:
        url = settings.current().postcodes_api_url
        return cls(client=PostcodeClient(url) if url else None)

    def locate(self, text: str, fuzzy: bool = True) -> Place:
        """The place a message names; raises :class:`LocationError` with a reason to show otherwise.
        ``fuzzy`` allows misspelt place names: for replies to "where are you?", not for whole sentences."""
        text = text[:200]
        full = FULL_POSTCODE.search(text)
        if full:
            outward, inward = full.group(1).upper(), full.group(2).upper()
            district = self.districts.district(outward)
            located = self.client.locate(f"{outward}{inward}") if self.client else None
            if located is False or (district is None and located is None):
                raise LocationError(f"I couldn't find the postcode area {outward}. Could you check it?")
            if isinstance(located, tuple):
                return Place(outward, located[0], located[1], precise=True)
            return Place(outward, district.latitude, district.longitude)
        place = self.districts.place(text, fuzzy)
        if place is not None:
            return place
        for match in OUTWARD_CODE.finditer(text):
            district = self.districts.district(match.group(1))
            if district is not None and any(ch.isdigit() for ch in match.group(1)):
                return Place(district.code, district.latitude, district.longitude)
        if OUTWARD_CODE.search(text) and any(ch.isdigit() for ch in text):
            raise LocationError("That doesn't look like a UK postcode I know. Could you check it?")
        raise LocationError(
            "I couldn't find that place. Could you give your town or the first part of your postcode?"
        )
