"""Database models of the catalogue (SQLAlchemy 2.0-style queries on SQLAlchemy 1.4, which Rasa pins).

Careers and their facts: aliases, subjects that help, routes in, skills, pay and hours (each with a named
source and year), related careers, RIASEC interest codes, and role models (real people whose stories show
a career). Employers and opportunities (issue C) get
their own module beside this one and share ``Base``.

A career's shape is declared once, in ``schema.py``: the lengths here are its limits, the loader copies
a record's fields into the columns of the same name (``schema.stored``) and the catalogue reads rows back
into its dataclasses by name (``catalog.read``); ``tests/test_loader.py`` checks that a career reads back
as it was written.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declarative_base, relationship

from careers_catalog.data_rules import NAME_MAX, TEXT_MAX

Base = declarative_base()

# Bump when a table changes shape: the loader then rebuilds the catalogue tables from the data files.
SCHEMA_VERSION = "5"


def _career_fk() -> Column:
    return Column(String(80), ForeignKey("careers.id", ondelete="CASCADE"), nullable=False, index=True)


class Career(Base):
    __tablename__ = "careers"

    id: Mapped[str] = Column(String(80), primary_key=True)
    title: Mapped[str] = Column(String(NAME_MAX), nullable=False)
    sector: Mapped[str] = Column(String(40), nullable=False, index=True)
    summary: Mapped[str] = Column(Text, nullable=False)
    day_to_day: Mapped[str] = Column(Text, nullable=False)
    tasks: Mapped[list] = Column(JSON, nullable=False, default=list)
    outlook: Mapped[str] = Column(Text, nullable=False)
    soc2020: Mapped[str] = Column(String(4), nullable=False)
    onet: Mapped[str | None] = Column(String(12))
    routes_source: Mapped[str] = Column(String(TEXT_MAX), nullable=False)
    routes_year: Mapped[int] = Column(Integer, nullable=False)

    aliases: Mapped[list[CareerAlias]] = relationship(
        "CareerAlias", cascade="all, delete-orphan", order_by="CareerAlias.id"
    )
    subjects: Mapped[list[CareerSubject]] = relationship(
        "CareerSubject", cascade="all, delete-orphan", order_by="CareerSubject.position"
    )
    routes: Mapped[list[EntryRoute]] = relationship(
        "EntryRoute", cascade="all, delete-orphan", order_by="EntryRoute.position"
    )
    skills: Mapped[list[CareerSkill]] = relationship(
        "CareerSkill", cascade="all, delete-orphan", order_by="CareerSkill.position"
    )
    pay: Mapped[PayFigure | None] = relationship("PayFigure", uselist=False, cascade="all, delete-orphan")
    hours: Mapped[HoursFigure | None] = relationship(
        "HoursFigure", uselist=False, cascade="all, delete-orphan"
    )
    related: Mapped[list[RelatedCareer]] = relationship(
        "RelatedCareer",
        cascade="all, delete-orphan",
        foreign_keys="RelatedCareer.career_id",
        order_by="RelatedCareer.position",
    )
    interests: Mapped[list[CareerInterest]] = relationship(
        "CareerInterest", cascade="all, delete-orphan", order_by="CareerInterest.rank"
    )


class CareerAlias(Base):
    """Another name for a career: what students call it, slang, short forms."""

    __tablename__ = "career_aliases"

    id: Mapped[int] = Column(Integer, primary_key=True)
    career_id: Mapped[str] = _career_fk()
    alias: Mapped[str] = Column(String(NAME_MAX), nullable=False)


class Subject(Base):
    """A school subject, with whether it is commonly taken at GCSE and A level in England."""

    __tablename__ = "subjects"

    id: Mapped[int] = Column(Integer, primary_key=True)
    name: Mapped[str] = Column(String(80), nullable=False, unique=True)
    gcse: Mapped[bool] = Column(Boolean, nullable=False)
    a_level: Mapped[bool] = Column(Boolean, nullable=False)
    aliases: Mapped[list[SubjectAlias]] = relationship(
        "SubjectAlias", cascade="all, delete-orphan", order_by="SubjectAlias.id"
    )


class SubjectAlias(Base):
    __tablename__ = "subject_aliases"

    id: Mapped[int] = Column(Integer, primary_key=True)
    subject_id: Mapped[int] = Column(
        Integer, ForeignKey("subjects.id", ondelete="CASCADE"), nullable=False, index=True
    )
    alias: Mapped[str] = Column(String(80), nullable=False)


class CareerSubject(Base):
    """A subject that helps with a career, at which levels, and why."""

    __tablename__ = "career_subjects"

    career_id: Mapped[str] = Column(
        String(80), ForeignKey("careers.id", ondelete="CASCADE"), primary_key=True
    )
    subject_id: Mapped[int] = Column(Integer, ForeignKey("subjects.id"), primary_key=True, index=True)
    position: Mapped[int] = Column(Integer, nullable=False)
    gcse: Mapped[bool] = Column(Boolean, nullable=False)
    a_level: Mapped[bool] = Column(Boolean, nullable=False)
    vocational: Mapped[bool] = Column(Boolean, nullable=False, default=False)  # a BTEC, Cambridge National...
    why: Mapped[str] = Column(Text, nullable=False)
    subject: Mapped[Subject] = relationship("Subject", lazy="joined")


class EntryRoute(Base):
    """One way into a career: an apprenticeship, a T Level, a college course, a degree and so on."""

    __tablename__ = "entry_routes"

    id: Mapped[int] = Column(Integer, primary_key=True)
    career_id: Mapped[str] = _career_fk()
    position: Mapped[int] = Column(Integer, nullable=False)
    kind: Mapped[str] = Column(String(30), nullable=False)
    level: Mapped[int | None] = Column(Integer)
    qualification: Mapped[str] = Column(String(TEXT_MAX), nullable=False)
    note: Mapped[str | None] = Column(Text)


class Skill(Base):
    __tablename__ = "skills"

    id: Mapped[int] = Column(Integer, primary_key=True)
    name: Mapped[str] = Column(String(TEXT_MAX), nullable=False, unique=True)


class CareerSkill(Base):
    __tablename__ = "career_skills"

    career_id: Mapped[str] = Column(
        String(80), ForeignKey("careers.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = Column(Integer, ForeignKey("skills.id"), primary_key=True, index=True)
    position: Mapped[int] = Column(Integer, nullable=False)
    skill: Mapped[Skill] = relationship("Skill", lazy="joined")


class PayFigure(Base):
    """Yearly pay in pounds from a named public source; ``measure`` says how to read the figures
    (careers_catalog/careers/pay.py)."""

    __tablename__ = "pay_figures"

    id: Mapped[int] = Column(Integer, primary_key=True)
    career_id: Mapped[str] = Column(
        String(80), ForeignKey("careers.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    measure: Mapped[str] = Column(String(20), nullable=False)
    low: Mapped[int | None] = Column(Integer)
    median: Mapped[int | None] = Column(Integer)
    high: Mapped[int | None] = Column(Integer)
    source: Mapped[str] = Column(String(TEXT_MAX), nullable=False)
    year: Mapped[int] = Column(Integer, nullable=False)
    url: Mapped[str | None] = Column(String(500))
    basis: Mapped[str | None] = Column(Text)  # how the figures were read from the source
    note: Mapped[str | None] = Column(Text)  # a caveat a student should hear with the figures


class HoursFigure(Base):
    """Typical weekly hours and working pattern, from a named public source."""

    __tablename__ = "hours_figures"

    id: Mapped[int] = Column(Integer, primary_key=True)
    career_id: Mapped[str] = Column(
        String(80), ForeignKey("careers.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    # None where the source publishes no figure (the armed forces); the pattern is always known.
    weekly: Mapped[float | None] = Column(Float)
    pattern: Mapped[str | None] = Column(Text)
    source: Mapped[str | None] = Column(String(TEXT_MAX))
    year: Mapped[int | None] = Column(Integer)
    basis: Mapped[str | None] = Column(Text)


class RelatedCareer(Base):
    __tablename__ = "related_careers"

    career_id: Mapped[str] = Column(
        String(80), ForeignKey("careers.id", ondelete="CASCADE"), primary_key=True
    )
    related_id: Mapped[str] = Column(
        String(80), ForeignKey("careers.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = Column(Integer, nullable=False)
    other: Mapped[Career] = relationship("Career", foreign_keys=[related_id], lazy="joined")


class CareerInterest(Base):
    """A Holland (RIASEC) interest letter for a career; rank 1 is the strongest."""

    __tablename__ = "career_interests"
    __table_args__ = (UniqueConstraint("career_id", "rank"),)

    career_id: Mapped[str] = Column(
        String(80), ForeignKey("careers.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = Column(String(1), primary_key=True)
    rank: Mapped[int] = Column(Integer, nullable=False)


class RoleModel(Base):
    """A real person whose true story shows students that a career is open to people like them."""

    __tablename__ = "role_models"

    id: Mapped[int] = Column(Integer, primary_key=True)
    position: Mapped[int] = Column(Integer, nullable=False)
    name: Mapped[str] = Column(String(NAME_MAX), nullable=False, unique=True)
    lived: Mapped[str] = Column(String(40), nullable=False)  # "1815-1852" or "born 1969"
    origin: Mapped[str] = Column(String(NAME_MAX), nullable=False)
    career_id: Mapped[str] = _career_fk()
    story: Mapped[str] = Column(Text, nullable=False)
    tags: Mapped[list] = Column(JSON, nullable=False, default=list)
    source: Mapped[str] = Column(String(TEXT_MAX), nullable=False)
    source_year: Mapped[int] = Column(Integer, nullable=False)
    career: Mapped[Career] = relationship("Career", lazy="joined")


class CatalogMeta(Base):
    """Key-value facts about the loaded catalogue, such as the hash of the data files it came from."""

    __tablename__ = "catalog_meta"

    key: Mapped[str] = Column(String(60), primary_key=True)
    value: Mapped[str] = Column(Text, nullable=False)
