"""The catalogue's read API: find careers by name, read a career's whole profile, list the short
summaries that discovery ranks, and find role models.

The bot's actions (and later the web app) use :class:`Catalog`; it returns plain dataclasses, so callers
never hold database sessions or build SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import selectinload

from careers_catalog.careers.models import (
    Career,
    CareerAlias,
    CareerSubject,
    CatalogMeta,
    RelatedCareer,
    RoleModel,
    Subject,
)
from careers_catalog.careers.search import CareerMatch, NameIndex
from careers_catalog.db import make_engine, session_factory


@dataclass(frozen=True)
class Figure:
    """A sourced fact: a value with the public source and year it comes from."""

    source: str
    year: int
    url: str | None = None
    basis: str | None = None


@dataclass(frozen=True)
class Pay(Figure):
    """Yearly pounds; ``measure`` says how to read them (see careers_catalog/careers/pay.py)."""

    measure: str = "middle-half"
    low: int | None = None
    median: int | None = None
    high: int | None = None
    note: str | None = None

    def short(self) -> str:
        """The figures in a few words, for a card, a comparison or a printed plan."""
        if self.measure == "middle-half":
            return f"£{self.low:,} to £{self.high:,} (the middle half of full-time pay)"
        if self.measure == "median":
            return f"about £{self.median:,} (median full-time pay)"
        if self.measure == "scale":
            return f"£{self.low:,} at the start, up to £{self.high:,}"
        return f"from £{self.low:,} at the start"


@dataclass(frozen=True)
class Hours:
    """Usual paid hours a week of full-time staff (None: no published figure) and the working pattern."""

    weekly: float | None
    pattern: str | None
    source: str | None
    year: int | None
    basis: str | None = None


@dataclass(frozen=True)
class SubjectLink:
    subject: str
    gcse: bool
    a_level: bool
    why: str
    vocational: bool = False  # taken as a vocational course (BTEC, Cambridge National), not a GCSE


@dataclass(frozen=True)
class Route:
    kind: str
    level: int | None
    qualification: str
    note: str | None


@dataclass(frozen=True)
class CareerRef:
    id: str
    title: str


@dataclass(frozen=True)
class CareerProfile:
    """Everything the catalogue knows about one career."""

    id: str
    title: str
    sector: str
    summary: str
    day_to_day: str
    tasks: list[str]
    skills: list[str]
    aliases: list[str]
    subjects: list[SubjectLink]
    routes: list[Route]
    routes_source: Figure
    pay: Pay | None  # None: no reliable public figure for this job
    hours: Hours
    outlook: str
    riasec: str
    soc2020: str
    related: list[CareerRef]


@dataclass(frozen=True)
class CareerSummary:
    """What discovery needs to rank a career: its interest code and the subjects that help, in order."""

    id: str
    title: str
    sector: str
    riasec: str
    subjects: tuple[SubjectLink, ...]
    names: tuple[str, ...] = ()  # title and aliases
    about: str = ""  # summary, day to day, tasks and skills: what free-text likes are matched against


@dataclass(frozen=True)
class RolePerson:
    """A role model: a real person, the career their story shows, and where the facts come from."""

    name: str
    lived: str
    origin: str
    career: CareerRef
    story: str
    tags: tuple[str, ...]
    source: str
    source_year: int


Shown = TypeVar("Shown")


def read(row: Any, shape: type[Shown], **more: Any) -> Shown:
    """A row as the dataclass ``shape``, each field from the row's attribute of the same name unless
    ``more`` gives it: the way out of the database, as ``schema.stored`` is the way in."""
    values = {f.name: getattr(row, f.name) for f in fields(shape) if f.name not in more}  # type: ignore[arg-type]
    return shape(**values, **more)


class Catalog:
    """Read access to the careers catalogue database."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine or make_engine()
        self._sessions = session_factory(self.engine)
        # Profiles and summaries are read often and change only when the loader runs: cache them until
        # the loaded data's hash changes.
        self._profiles: dict[str, CareerProfile] = {}
        self._summaries: tuple[CareerSummary, ...] | None = None
        self._cached_hash: str | None = None

    @cached_property
    def names(self) -> NameIndex:
        """The fuzzy name index, built on first use from every title and alias."""
        with self._sessions() as session:
            titles = session.execute(select(Career.id, Career.title)).all()
            aliases = session.execute(
                select(CareerAlias.career_id, Career.title, CareerAlias.alias).join(
                    Career, Career.id == CareerAlias.career_id
                )
            ).all()
        return NameIndex([(cid, title, title) for cid, title in titles] + [tuple(row) for row in aliases])

    def search(self, query: str, limit: int = 5) -> list[CareerMatch]:
        """Careers that ``query`` names, best first; misspellings and aliases included."""
        return self.names.search(query, limit=limit)

    def find_in_text(self, text: str) -> CareerMatch | None:
        """The career mentioned in a whole sentence, if any."""
        return self.names.find_in_text(text)

    def resolve(self, mention: str | None) -> CareerMatch | None:
        """The one career a mention (an id, a title, an alias or a close misspelling) clearly means."""
        if not mention:
            return None
        ref = self.ref(mention)
        if ref is not None:
            return CareerMatch(ref.id, ref.title, mention, 100.0)
        matches = self.search(mention, limit=2)
        if matches and matches[0].strong and (len(matches) == 1 or matches[0].score > matches[1].score):
            return matches[0]
        return None

    def ref(self, career_id: str) -> CareerRef | None:
        with self._sessions() as session:
            row = session.execute(select(Career.id, Career.title).where(Career.id == career_id)).first()
        return CareerRef(*row) if row else None

    def profile(self, career_id: str) -> CareerProfile | None:
        """The whole profile of a career, or None if there is no such id."""
        self._drop_stale_cache()
        if career_id in self._profiles:
            return self._profiles[career_id]
        profile = self._read_profile(career_id)
        if profile is not None:
            self._profiles[career_id] = profile
        return profile

    def _drop_stale_cache(self) -> None:
        with self._sessions() as session:
            loaded = session.get(CatalogMeta, "data_hash")
            digest = loaded.value if loaded else None
        if digest != self._cached_hash:
            self._profiles, self._summaries, self._cached_hash = {}, None, digest

    def summaries(self) -> tuple[CareerSummary, ...]:
        """Every career's title, sector, interest code and subject links, by title."""
        self._drop_stale_cache()
        if self._summaries is None:
            query = (
                select(Career)
                .order_by(Career.title)
                .options(
                    selectinload(Career.aliases),
                    selectinload(Career.skills),
                    selectinload(Career.subjects).joinedload(CareerSubject.subject),
                    selectinload(Career.interests),
                )
            )
            with self._sessions() as session:
                self._summaries = tuple(
                    CareerSummary(
                        id=c.id,
                        title=c.title,
                        sector=c.sector,
                        riasec="".join(i.code for i in sorted(c.interests, key=lambda i: i.rank)),
                        subjects=tuple(
                            SubjectLink(s.subject.name, s.gcse, s.a_level, s.why, s.vocational)
                            for s in sorted(c.subjects, key=lambda s: s.position)
                        ),
                        names=(c.title, *(a.alias for a in c.aliases)),
                        about=" ".join(
                            [c.summary, c.day_to_day, *c.tasks, *(s.skill.name for s in c.skills)]
                        ),
                    )
                    for c in session.execute(query).scalars()
                )
        return self._summaries

    def role_models(
        self, tags: set[str] | None = None, career_ids: set[str] | None = None
    ) -> list[RolePerson]:
        """Role models in the data files' order; only those with all ``tags`` or showing one of
        ``career_ids``, when given."""
        query = select(RoleModel).order_by(RoleModel.position)
        if career_ids:
            query = query.where(RoleModel.career_id.in_(sorted(career_ids)))
        with self._sessions() as session:
            people = [
                read(r, RolePerson, career=CareerRef(r.career.id, r.career.title), tags=tuple(r.tags))
                for r in session.execute(query).unique().scalars()
            ]
        return [p for p in people if not tags or tags <= set(p.tags)]

    def _read_profile(self, career_id: str) -> CareerProfile | None:
        query = (
            select(Career)
            .where(Career.id == career_id)
            .options(
                selectinload(Career.aliases),
                selectinload(Career.subjects).joinedload(CareerSubject.subject),
                selectinload(Career.routes),
                selectinload(Career.skills),
                selectinload(Career.pay),
                selectinload(Career.hours),
                selectinload(Career.related).joinedload(RelatedCareer.other),
                selectinload(Career.interests),
            )
        )
        with self._sessions() as session:
            c = session.execute(query).scalars().first()
            if c is None:
                return None
            return CareerProfile(
                id=c.id,
                title=c.title,
                sector=c.sector,
                summary=c.summary,
                day_to_day=c.day_to_day,
                tasks=list(c.tasks),
                skills=[s.skill.name for s in c.skills],
                aliases=[a.alias for a in c.aliases],
                subjects=[
                    SubjectLink(s.subject.name, s.gcse, s.a_level, s.why, s.vocational) for s in c.subjects
                ],
                routes=[read(r, Route) for r in c.routes],
                routes_source=Figure(c.routes_source, c.routes_year),
                pay=None if c.pay is None else read(c.pay, Pay),
                hours=read(c.hours, Hours),
                outlook=c.outlook,
                riasec="".join(i.code for i in c.interests),
                soc2020=c.soc2020,
                related=[CareerRef(r.other.id, r.other.title) for r in c.related],
            )

    def careers(self, sector: str | None = None) -> list[CareerRef]:
        """All careers (or one sector's), by title."""
        query = select(Career.id, Career.title).order_by(Career.title)
        if sector:
            query = query.where(Career.sector == sector)
        with self._sessions() as session:
            return [CareerRef(*row) for row in session.execute(query)]

    def count(self) -> int:
        with self._sessions() as session:
            return session.execute(select(func.count()).select_from(Career)).scalar_one()

    def subject_names(self) -> dict[str, list[str]]:
        """Each subject's canonical name with the loose names students use for it."""
        with self._sessions() as session:
            subjects = session.execute(select(Subject).options(selectinload(Subject.aliases))).scalars()
            return {s.name: [a.alias for a in s.aliases] for s in subjects}

    def career_names(self) -> dict[str, list[str]]:
        """Each career id with its title and aliases (for generating NLU lookup tables)."""
        out: dict[str, list[str]] = {}
        with self._sessions() as session:
            for cid, title in session.execute(select(Career.id, Career.title).order_by(Career.id)):
                out[cid] = [title]
            for cid, alias in session.execute(select(CareerAlias.career_id, CareerAlias.alias)):
                out[cid].append(alias)
        return out
