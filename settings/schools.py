"""The schools that embed the chat: who they are, which web origins may use the chat for them, and how
the chat looks on their site, whom a student is told to talk to when something is wrong, and when its
careers advisers answer chats handed over to them (settings/hours.py). Read from
``settings/data/schools.yml`` (or the file ``SCHOOLS_FILE`` names) by the web app and the actions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from careers_catalog.data_rules import CatalogDataError
from careers_catalog.geo import OUTWARD_CODE
from settings.hours import AdviserHours

SCHOOL_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
CLASS_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")  # a class's code: never a name
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_GREETING = (
    "Hi! I'm the careers helper. Ask me what a job is like, what it pays, which subjects help, or how to "
    "get in. Not sure yet? Tell me what you enjoy."
)

DEFAULT_SAFEGUARDING_CONTACT = (
    "your school's designated safeguarding lead (any teacher can tell you who that is, or take you to them)"
)
MAX_CONTACT_CHARS = 300


@dataclass(frozen=True)
class School:
    id: str
    name: str
    allowed_origins: frozenset[str]
    colour: str = "#1d4e89"
    greeting: str = DEFAULT_GREETING
    area: str | None = None  # outward code of the school's postcode
    # Who a student can talk to in school when something is wrong (the safeguarding reply names them).
    safeguarding_contact: str = DEFAULT_SAFEGUARDING_CONTACT
    # When the school's careers advisers answer chats handed over to them; None: the school has not set
    # up handovers, and a student who asks for a person is told whom to ask in school instead.
    adviser_hours: AdviserHours | None = None


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL, lower-cased; None for anything but http(s), and for anything
    that is not a well-formed URL (a port out of range or with letters in it, an unclosed ``[``)."""
    try:
        parts = urlsplit(url.strip())
        hostname, port = parts.hostname, parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not hostname:
        return None
    return f"{parts.scheme}://{hostname.lower()}{f':{port}' if port else ''}"


def load_schools(path: Path) -> dict[str, School]:
    """The schools in ``path`` by id; raises :class:`CatalogDataError` naming every bad entry."""
    records = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("schools") or []
    schools: dict[str, School] = {}
    problems: list[str] = []
    for n, record in enumerate(records, start=1):
        where = f"{path.name}: school {n}"
        school_id = str(record.get("id", ""))
        if not SCHOOL_ID.match(school_id):
            problems.append(f"{where}: id {school_id!r} must be lowercase letters, digits and hyphens")
            continue
        if school_id in schools:
            problems.append(f"{where}: id {school_id!r} is used twice")
        origins = []
        for url in record.get("allowed_origins") or []:
            origin = origin_of(str(url))
            if origin is None or origin != str(url).rstrip("/").lower():
                problems.append(f"{where}: {url!r} is not an origin like https://www.example.sch.uk")
            else:
                origins.append(origin)
        colour = str(record.get("colour") or School.colour)
        if not COLOUR.match(colour):
            problems.append(f"{where}: colour {colour!r} must look like #1d4e89")
        area = record.get("area")
        if area is not None and not OUTWARD_CODE.fullmatch(str(area).upper()):
            problems.append(f"{where}: area {area!r} must be the first part of a postcode, like L3")
        name = str(record.get("name") or "").strip()
        if not name:
            problems.append(f"{where}: a name is needed")
        greeting = " ".join(str(record.get("greeting") or DEFAULT_GREETING).split())
        contact = " ".join(str(record.get("safeguarding_contact") or DEFAULT_SAFEGUARDING_CONTACT).split())
        if len(contact) > MAX_CONTACT_CHARS:
            problems.append(f"{where}: safeguarding_contact must be under {MAX_CONTACT_CHARS} characters")
        hours = None
        if record.get("adviser_hours"):
            try:
                hours = AdviserHours.parse(str(record["adviser_hours"]))
            except ValueError as e:
                problems.append(f"{where}: adviser_hours {e}")
        schools[school_id] = School(
            school_id,
            name,
            frozenset(origins),
            colour,
            greeting,
            str(area).upper() if area else None,
            contact,
            hours,
        )
    if problems:
        raise CatalogDataError(problems)
    return schools
