"""Reading employer opportunities from CSV (the shipped samples and advisers' own files) and the
national programmes from YAML, with validation that names every bad row by its line and loads
nothing from a bad file.

CSV columns (header row required, UTF-8): ``employer, title, kind, career_areas, outward_code, town,
start_date, end_date, expires, year_groups, how_to_apply, url, description, sample``. ``kind`` is one
of :data:`KINDS`; ``career_areas`` are catalogue sectors separated by ``;``; ``outward_code`` is the
first part of a postcode (never a full postcode); dates are ``YYYY-MM-DD`` (start and end may be
empty, ``expires`` may not); ``year_groups`` is ``10-11`` style (years 7 to 13); ``sample`` is yes/no.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from careers_catalog.careers.models import CatalogMeta
from careers_catalog.data_rules import MAX_SOURCE_LENGTH, SECTORS, CatalogDataError
from careers_catalog.db import session_factory
from careers_catalog.geo import FULL_POSTCODE, Districts
from careers_catalog.opportunities.models import KINDS, Employer, NationalProgramme, Opportunity

CSV_COLUMNS = (
    "employer title kind career_areas outward_code town start_date end_date expires year_groups "
    "how_to_apply url description sample"
).split()
MAX_IMPORT_BYTES = 5_000_000
_YEARS = re.compile(r"([0-9]{1,2})\s*-\s*([0-9]{1,2})")
_MARKUP = re.compile(r"[<>]")
_LIMITS = {"employer": 200, "title": 200, "town": 80, "url": 500, "description": 300, "how_to_apply": 300}


@dataclass(frozen=True)
class ImportResult:
    source: str
    opportunities: int


def read_opportunities_csv(
    data: bytes | str, name: str, districts: Districts | None = None
) -> list[dict[str, Any]]:
    """Validated rows of an opportunities CSV; raises :class:`CatalogDataError` listing each bad line."""
    districts = districts or Districts.load()
    if isinstance(data, bytes):
        if len(data) > MAX_IMPORT_BYTES:
            raise CatalogDataError([f"{name}: the file is over {MAX_IMPORT_BYTES // 1_000_000} MB"])
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CatalogDataError([f"{name}: not UTF-8 text; save the file as CSV UTF-8"]) from None
    if "\x00" in data:
        line = data.count("\n", 0, data.index("\x00")) + 1
        raise CatalogDataError([f"{name} line {line}: a NUL byte: this is not a text CSV file"])
    reader = csv.DictReader(io.StringIO(data))
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    try:
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            raise CatalogDataError([f"{name} line 1: missing column(s): {', '.join(missing)}"])
        for record in reader:
            line = reader.line_num
            values = {(k or "").strip(): (v or "").strip() for k, v in record.items() if isinstance(k, str)}
            row, bad = _check_row(values, districts)
            problems.extend(f"{name} line {line}: {p}" for p in bad)
            if not bad:
                rows.append(row)
    except csv.Error as error:  # a field over csv's limit, a broken quote: the file cannot be read on
        raise CatalogDataError(
            [f"{name} line {reader.line_num or 1}: not readable as CSV ({error})"]
        ) from None
    if not rows and not problems:
        problems.append(f"{name}: no opportunities in the file")
    if problems:
        raise CatalogDataError(problems)
    return rows


def _check_row(v: dict[str, str], districts: Districts) -> tuple[dict[str, Any], list[str]]:
    bad: list[str] = []
    for key in (
        "employer",
        "title",
        "kind",
        "career_areas",
        "outward_code",
        "town",
        "expires",
        "year_groups",
        "how_to_apply",
        "description",
    ):
        if not v.get(key):
            bad.append(f"{key} is empty")
    for key, limit in _LIMITS.items():
        if len(v.get(key, "")) > limit:
            bad.append(f"{key} is over {limit} characters")
        if _MARKUP.search(v.get(key, "")) and key != "url":
            bad.append(f"{key} contains < or >: plain text only")
    if bad:
        return {}, bad
    if v["kind"] not in KINDS:
        bad.append(f"kind {v['kind']!r} is not one of {', '.join(KINDS)}")
    areas = [a.strip() for a in v["career_areas"].split(";") if a.strip()]
    unknown = [a for a in areas if a not in SECTORS]
    if unknown or not areas:
        bad.append(f"career_areas {', '.join(unknown) or '(none)'} not in: {', '.join(sorted(SECTORS))}")
    code = v["outward_code"].upper().replace(" ", "")
    district = None
    if FULL_POSTCODE.search(v["outward_code"]):
        bad.append("outward_code must be the first part of a postcode only (like L3), not a full postcode")
    else:
        district = districts.district(code)
        if district is None:
            bad.append(f"outward_code {v['outward_code']!r} is not a UK postcode district")
    dates: dict[str, dt.date | None] = {}
    for key in ("start_date", "end_date", "expires"):
        try:
            dates[key] = dt.date.fromisoformat(v[key]) if v.get(key) else None
        except ValueError:
            bad.append(f"{key} {v[key]!r} is not a date like 2027-03-15")
    if dates.get("start_date") and dates.get("end_date") and dates["start_date"] > dates["end_date"]:
        bad.append("start_date is after end_date")
    if dates.get("end_date") and dates.get("expires") and dates["expires"] < dates["end_date"]:
        bad.append("expires is before end_date")
    years = _YEARS.fullmatch(v["year_groups"])
    if not years or not 7 <= int(years.group(1)) <= int(years.group(2)) <= 13:
        bad.append(f"year_groups {v['year_groups']!r} must be like 10-11, years 7 to 13")
    if v.get("url") and not re.fullmatch(r"https?://\S+", v["url"]):
        bad.append("url must start with http:// or https://")
    sample = v.get("sample", "").lower()
    if sample not in ("", "yes", "no", "true", "false"):
        bad.append("sample must be yes or no")
    if bad:
        return {}, bad
    assert district is not None and years is not None
    return {
        "employer": v["employer"],
        "title": v["title"],
        "kind": v["kind"],
        "career_areas": list(dict.fromkeys(areas)),
        "outward_code": district.code,
        "town": v["town"],
        "latitude": district.latitude,
        "longitude": district.longitude,
        "start_date": dates["start_date"],
        "end_date": dates["end_date"],
        "expires": dates["expires"],
        "year_min": int(years.group(1)),
        "year_max": int(years.group(2)),
        "how_to_apply": v["how_to_apply"],
        "url": v.get("url") or None,
        "description": v["description"],
        "sample": sample in ("yes", "true"),
    }, []


def replace_opportunities(session: Session, rows: list[dict[str, Any]], source: str) -> int:
    """Replace every opportunity from ``source`` with ``rows`` (employers are shared by name)."""
    session.execute(
        delete(Opportunity).where(Opportunity.source == source).execution_options(synchronize_session=False)
    )
    employers = {e.name: e for e in session.execute(select(Employer)).unique().scalars()}
    for row in rows:
        employer = employers.get(row["employer"])
        if employer is None:
            employer = employers[row["employer"]] = Employer(name=row["employer"])
            session.add(employer)
        fields = {k: v for k, v in row.items() if k != "employer"}
        session.add(Opportunity(employer=employer, source=source, **fields))
    session.flush()
    # Employers left with nothing to offer go too, in one statement.
    offers = select(Opportunity.id).where(Opportunity.employer_id == Employer.id).exists()
    session.execute(delete(Employer).where(~offers).execution_options(synchronize_session=False))
    bump_opportunities_version(session)
    return len(rows)


def bump_opportunities_version(session: Session) -> None:
    """Mark the opportunities as changed, so that searches reload them."""
    meta = session.get(CatalogMeta, "opportunities_version")
    version = int(meta.value) + 1 if meta else 1
    session.merge(CatalogMeta(key="opportunities_version", value=str(version)))


def import_opportunities_csv(engine: Engine, path: Path) -> ImportResult:
    """An adviser's CSV file (see :func:`import_opportunities_data`)."""
    return import_opportunities_data(engine, path.read_bytes(), path.name)


def import_opportunities_data(engine: Engine, data: bytes, name: str) -> ImportResult:
    """An adviser's CSV (from a file or the dashboard's upload): validated as a whole, then replaces
    what the same file name imported before."""
    rows = read_opportunities_csv(data, name)
    source = f"import:{name}"
    with session_factory(engine).begin() as session:
        count = replace_opportunities(session, rows, source)
    return ImportResult(source, count)


def read_national_programmes(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    problems: list[str] = []
    for p in data:
        where = f"{path.name}: {p.get('name', '?')}"
        for key in (
            "name",
            "organisation",
            "url",
            "kinds",
            "career_areas",
            "year_groups",
            "how_to_apply",
            "description",
            "source",
        ):
            if not p.get(key):
                problems.append(f"{where}: missing {key}")
        if set(p.get("kinds") or []) - set(KINDS):
            problems.append(f"{where}: unknown kind")
        if set(p.get("career_areas") or []) - SECTORS:
            problems.append(f"{where}: unknown career area")
        if not str(p.get("url", "")).startswith("https://"):
            problems.append(f"{where}: url must be https")
        source = p.get("source") or {}
        if (
            not source.get("name")
            or len(str(source.get("name"))) > MAX_SOURCE_LENGTH
            or not source.get("year")
        ):
            problems.append(f"{where}: source needs a short name and a year")
    if problems:
        raise CatalogDataError(problems)
    return data


def replace_national_programmes(session: Session, programmes: list[dict[str, Any]]) -> None:
    session.execute(delete(NationalProgramme))
    for position, p in enumerate(programmes):
        session.add(
            NationalProgramme(
                position=position,
                name=p["name"],
                organisation=p["organisation"],
                url=p["url"],
                kinds=list(p["kinds"]),
                career_areas=list(p["career_areas"]),
                year_groups=str(p["year_groups"]),
                how_to_apply=" ".join(str(p["how_to_apply"]).split()),
                description=" ".join(str(p["description"]).split()),
                source=p["source"]["name"],
                source_year=int(p["source"]["year"]),
            )
        )
