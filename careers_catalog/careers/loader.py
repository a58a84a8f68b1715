"""Build the catalogue database from the data files, idempotently.

``load_catalog`` validates every record first and loads nothing if any is wrong; it then inserts or
updates careers in place (removing careers no longer in the files) and records a hash of the files,
so that running it again on unchanged data does no work.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from careers_catalog.careers import audit, schema
from careers_catalog.careers.models import (
    SCHEMA_VERSION,
    Career,
    CareerAlias,
    CareerInterest,
    CareerSkill,
    CareerSubject,
    CatalogMeta,
    EntryRoute,
    HoursFigure,
    PayFigure,
    RelatedCareer,
    RoleModel,
    Skill,
    Subject,
    SubjectAlias,
)
from careers_catalog.careers.pay import career_hours, career_pay
from careers_catalog.careers.reference import Reference
from careers_catalog.data_rules import SECTORS, CatalogDataError
from careers_catalog.db import drop_catalog_tables, session_factory
from careers_catalog.opportunities.importer import (
    read_national_programmes,
    read_opportunities_csv,
    replace_national_programmes,
    replace_opportunities,
)
from careers_catalog.opportunities.models import Opportunity
from careers_catalog.paths import DATA_DIR


@dataclass(frozen=True)
class LoadResult:
    careers: int
    subjects: int
    changed: bool


@dataclass(frozen=True)
class CatalogData:
    """The validated records of every data file."""

    subjects: list[dict[str, Any]]
    careers: list[schema.CareerRecord]
    role_models: list[schema.RoleModelRecord]
    opportunities: dict[str, list[dict[str, Any]]]  # shipped opportunities by file name
    national_programmes: list[dict[str, Any]]
    reference: Reference


def data_files(data_dir: Path) -> list[Path]:
    optional = [data_dir / "role_models.yml", data_dir / "opportunities" / "national_programmes.yml"]
    careers = sorted((data_dir / "careers").glob("*.yml"))
    opportunities = sorted((data_dir / "opportunities").glob("*.csv"))
    reference = sorted((data_dir / "reference").glob("*.*"))
    return [
        data_dir / "subjects.yml",
        *careers,
        *opportunities,
        *reference,
        *(p for p in optional if p.exists()),
    ]


def files_hash(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_data(data_dir: Path) -> CatalogData:
    """Read and validate every data file; raise :class:`CatalogDataError` on any problem."""
    problems: list[str] = []
    subjects = _read_list(data_dir / "subjects.yml", problems)
    for s in subjects:
        if not s.get("name") or not isinstance(s.get("aliases", []), list):
            problems.append(f"subjects.yml: subject {s!r} needs a name and a list of aliases")
    reference = Reference(data_dir / "reference")
    careers = _read_careers(
        data_dir / "careers", {str(s.get("name")): s for s in subjects}, reference, problems
    )
    ids = [c.id for c in careers]
    role_models = _read_role_models(data_dir / "role_models.yml", set(ids), problems)
    opportunities: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((data_dir / "opportunities").glob("*.csv")):
        try:
            opportunities[path.name] = read_opportunities_csv(path.read_bytes(), path.name)
        except CatalogDataError as exc:
            problems.extend(exc.problems)
    national_file = data_dir / "opportunities" / "national_programmes.yml"
    national: list[dict[str, Any]] = []
    if national_file.exists():
        try:
            national = read_national_programmes(national_file)
        except CatalogDataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CatalogDataError(problems)
    return CatalogData(subjects, careers, role_models, opportunities, national, reference)


def _read_list(path: Path, problems: list[str]) -> list[dict[str, Any]]:
    """A data file's list of records (without their line numbers); a problem reading it goes into
    ``problems``."""
    records, unreadable = schema.read_records(path)
    problems.extend(unreadable)
    return [schema.plain(record) for record in records]


def _read_careers(
    directory: Path, subjects: dict[str, dict[str, Any]], reference: Reference, problems: list[str]
) -> list[schema.CareerRecord]:
    """Every career record of ``careers/*.yml`` that passes the rules of ``schema.py``; each problem is
    added to ``problems`` as ``file:line: ...``."""
    careers: list[schema.CareerRecord] = []
    raw: dict[str, tuple[str, dict[str, Any]]] = {}  # id -> (file, record as read, with its lines)
    for path in sorted(directory.glob("*.yml")):
        records, unreadable = schema.read_records(path)
        problems.extend(unreadable)
        for record in records:
            career, shape = schema.check_shape(record, path.name)
            problems.extend(shape)
            if career is None:
                continue
            where = f"{path.name}:{record[schema.LINE]}"
            if career.id in raw:
                problems.append(f"{where}: id {career.id!r} is used twice (also in {raw[career.id][0]})")
                continue
            raw[career.id] = (path.name, record)
            careers.append(career)
            if path.stem in SECTORS and career.sector != path.stem:
                problems.append(
                    f"{where}: {career.id}: a {career.sector} career belongs in {career.sector}.yml"
                )
            for loc, problem in schema.check_facts(career, subjects, reference):
                problems.append(f"{path.name}:{schema.line_of(record, loc)}: {career.id}: {problem}")
    for career_id, found in schema.name_problems(careers).items():
        name, record = raw[career_id]
        problems.extend(f"{name}:{schema.line_of(record, loc)}: {career_id}: {p}" for loc, p in found)
    return careers


def _read_role_models(path: Path, ids: set[str], problems: list[str]) -> list[schema.RoleModelRecord]:
    """The role models of ``path`` (none if there is no such file), each checked by the rules of
    ``schema.RoleModelRecord`` and for a career that is in the catalogue."""
    if not path.exists():
        return []
    records, unreadable = schema.read_records(path)
    problems.extend(unreadable)
    people: list[schema.RoleModelRecord] = []
    for record in records:
        person, shape = schema.check_shape(record, path.name, schema.RoleModelRecord)
        problems.extend(shape)
        where = f"{path.name}:{record[schema.LINE]}: {record.get('name', '?')}"
        if record.get("career") not in ids:
            problems.append(f"{where}: career {record.get('career')!r} is not in the catalogue")
        if person is not None and person.name in {p.name for p in people}:
            problems.append(f"{where}: listed twice")
        elif person is not None:
            people.append(person)
    return people


def load_catalog(engine: Engine, data_dir: Path | None = None, force: bool = False) -> LoadResult:
    """Load the data files into the database at ``engine``; skip if they are unchanged since last time."""
    data_dir = data_dir or DATA_DIR
    digest = files_hash(data_dir) + f":schema{SCHEMA_VERSION}"
    _rebuild_if_schema_changed(engine)
    with session_factory(engine).begin() as session:
        meta = session.get(CatalogMeta, "data_hash")
        if meta is not None and meta.value == digest and not force:
            return LoadResult(
                careers=len(session.execute(select(Career.id)).all()),
                subjects=len(session.execute(select(Subject.id)).all()),
                changed=False,
            )
    data = read_data(data_dir)
    subjects, careers = data.subjects, data.careers
    with session_factory(engine).begin() as session:
        subject_ids = _upsert_subjects(session, subjects)
        skill_ids = _skill_ids(session, {s for c in careers for s in c.skills})
        wanted = {c.id for c in careers}
        # Children are rebuilt from the files on every load; careers themselves are updated in place
        # so that rows elsewhere (opportunities, analytics) that point at a career id stay valid.
        for child in (
            RelatedCareer,
            CareerAlias,
            CareerSubject,
            EntryRoute,
            CareerSkill,
            PayFigure,
            HoursFigure,
            CareerInterest,
            RoleModel,
        ):
            session.execute(delete(child))
        session.expire_all()
        stale = [cid for (cid,) in session.execute(select(Career.id)) if cid not in wanted]
        if stale:
            session.execute(delete(Career).where(Career.id.in_(stale)))
        for record in careers:
            _upsert_career(session, record, subject_ids, skill_ids, data.reference)
        session.flush()
        for record in careers:
            for position, other in enumerate(dict.fromkeys(record.related)):
                session.add(RelatedCareer(career_id=record.id, related_id=other, position=position))
        for position, person in enumerate(data.role_models):
            session.add(
                RoleModel(
                    **schema.stored(person, RoleModel),
                    position=position,
                    career_id=person.career,
                    source=person.source.name,
                    source_year=person.source.year,
                )
            )
        # Shipped opportunity files replace their own rows; advisers' imports are left alone.
        shipped = {f"data:{name}" for name in data.opportunities}
        session.execute(
            delete(Opportunity)
            .where(Opportunity.source.like("data:%"), Opportunity.source.not_in(shipped))
            .execution_options(synchronize_session=False)
        )
        for name, rows in data.opportunities.items():
            replace_opportunities(session, rows, f"data:{name}")
        replace_national_programmes(session, data.national_programmes)
        session.merge(CatalogMeta(key="data_hash", value=digest))
        _keep_snapshots(session, data)
    return LoadResult(careers=len(careers), subjects=len(subjects), changed=True)


def _keep_snapshots(session: Session, data: CatalogData) -> None:
    """Keep what this load holds and what the load before it held, for the audit's "what changed"."""
    current = session.get(CatalogMeta, audit.SNAPSHOT_KEY)
    if current is not None:
        session.merge(CatalogMeta(key=audit.PREVIOUS_SNAPSHOT_KEY, value=current.value))
    session.merge(CatalogMeta(key=audit.SNAPSHOT_KEY, value=audit.dumps(audit.snapshot(data))))


def _rebuild_if_schema_changed(engine: Engine) -> None:
    """The catalogue tables hold only what the data files say, so a new shape is made by rebuilding."""
    with session_factory(engine).begin() as session:
        meta = session.get(CatalogMeta, "schema_version")
        if meta is not None and meta.value == SCHEMA_VERSION:
            return
    drop_catalog_tables(engine)
    with session_factory(engine).begin() as session:
        session.add(CatalogMeta(key="schema_version", value=SCHEMA_VERSION))


def _upsert_subjects(session: Session, subjects: list[dict[str, Any]]) -> dict[str, int]:
    session.execute(delete(SubjectAlias))
    session.expire_all()
    existing = {s.name: s for s in session.execute(select(Subject)).unique().scalars()}
    for record in subjects:
        subject = existing.get(record["name"]) or Subject(name=record["name"])
        subject.gcse = bool(record.get("gcse"))
        subject.a_level = bool(record.get("a_level"))
        subject.aliases = [SubjectAlias(alias=a) for a in dict.fromkeys(record.get("aliases") or [])]
        session.add(subject)
        existing[record["name"]] = subject
    session.flush()
    return {name: subject.id for name, subject in existing.items()}


def _skill_ids(session: Session, names: set[str]) -> dict[str, int]:
    existing = {s.name: s.id for s in session.execute(select(Skill)).scalars()}
    for name in sorted(names - existing.keys()):
        skill = Skill(name=name)
        session.add(skill)
        session.flush()
        existing[name] = skill.id
    return existing


def _upsert_career(
    session: Session,
    r: schema.CareerRecord,
    subject_ids: dict[str, int],
    skill_ids: dict[str, int],
    reference: Reference,
) -> None:
    career = session.get(Career, r.id) or Career(id=r.id)
    for name, value in schema.stored(r, Career, routes_source=r.routes_source.name).items():
        setattr(career, name, value)
    career.routes_year = r.routes_source.year
    career.aliases = [CareerAlias(alias=a) for a in dict.fromkeys(r.aliases)]
    subjects = {s.subject: s for s in r.subjects}  # one row per subject
    career.subjects = [
        CareerSubject(
            subject_id=subject_ids[name],
            position=position,
            gcse="gcse" in s.levels,
            a_level="a_level" in s.levels,
            vocational="vocational" in s.levels,
            why=s.why,
        )
        for position, (name, s) in enumerate(subjects.items())
    ]
    career.routes = [
        EntryRoute(**schema.stored(route, EntryRoute, position=position))
        for position, route in enumerate(r.routes)
    ]
    career.skills = [
        CareerSkill(skill_id=skill_ids[name], position=position)
        for position, name in enumerate(dict.fromkeys(r.skills))
    ]
    pay = career_pay(r.soc2020, r.pay_scale, r.pay_note, reference)
    career.pay = None if pay is None else PayFigure(**asdict(pay))
    hours = career_hours(r.soc2020, reference)
    career.hours = HoursFigure(pattern=r.hours_pattern, **(asdict(hours) if hours else {}))
    career.interests = [CareerInterest(code=code, rank=rank) for rank, code in enumerate(r.riasec, 1)]
    session.add(career)
