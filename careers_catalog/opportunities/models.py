"""Database models of employers, their opportunities for students, and national programmes.

These tables hold what advisers import as well as the shipped sample and national data, so the
catalogue loader never drops them when the careers tables change shape (see ``OPPORTUNITY_TABLES``).
Locations are postcode districts (outward codes) with their centroid: never a full address.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Column, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, relationship

from careers_catalog.careers.models import Base

# What an opportunity can be, as stored, with the words students use for each.
KINDS: dict[str, str] = {
    "work_experience": "Work experience",
    "insight_day": "Insight day",
    "talk": "Talk or assembly",
    "mentoring": "Mentoring",
    "taster": "Taster",
    "apprenticeship": "Apprenticeship",
    "virtual_placement": "Virtual placement",
}


class Employer(Base):
    __tablename__ = "employers"

    id: Mapped[int] = Column(Integer, primary_key=True)
    name: Mapped[str] = Column(String(200), nullable=False, unique=True)
    opportunities: Mapped[list[Opportunity]] = relationship(
        "Opportunity", back_populates="employer", cascade="all, delete-orphan"
    )


class Opportunity(Base):
    """Something a student can do with an employer near them, shown until ``expires``."""

    __tablename__ = "opportunities"

    id: Mapped[int] = Column(Integer, primary_key=True)
    employer_id: Mapped[int] = Column(Integer, ForeignKey("employers.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str] = Column(String(200), nullable=False)
    kind: Mapped[str] = Column(String(30), nullable=False, index=True)
    career_areas: Mapped[list] = Column(JSON, nullable=False, default=list)  # catalogue sectors
    outward_code: Mapped[str] = Column(String(4), nullable=False)
    town: Mapped[str] = Column(String(80), nullable=False)
    latitude: Mapped[float] = Column(Float, nullable=False)
    longitude: Mapped[float] = Column(Float, nullable=False, index=True)
    start_date: Mapped[dt.date | None] = Column(Date)
    end_date: Mapped[dt.date | None] = Column(Date)
    expires: Mapped[dt.date] = Column(Date, nullable=False, index=True)
    year_min: Mapped[int] = Column(Integer, nullable=False)
    year_max: Mapped[int] = Column(Integer, nullable=False)
    how_to_apply: Mapped[str] = Column(Text, nullable=False)
    url: Mapped[str | None] = Column(String(500))
    description: Mapped[str] = Column(Text, nullable=False)
    sample: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    # Where the row came from: "data:<file>" for shipped files, "import:<file>" for an adviser's CSV.
    source: Mapped[str] = Column(String(200), nullable=False, index=True)
    employer: Mapped[Employer] = relationship("Employer", back_populates="opportunities", lazy="joined")


class NationalProgramme(Base):
    """A real national or virtual programme, offered when nothing local fits."""

    __tablename__ = "national_programmes"

    id: Mapped[int] = Column(Integer, primary_key=True)
    position: Mapped[int] = Column(Integer, nullable=False)
    name: Mapped[str] = Column(String(200), nullable=False, unique=True)
    organisation: Mapped[str] = Column(String(200), nullable=False)
    url: Mapped[str] = Column(String(500), nullable=False)
    kinds: Mapped[list] = Column(JSON, nullable=False)
    career_areas: Mapped[list] = Column(JSON, nullable=False)
    year_groups: Mapped[str] = Column(String(20), nullable=False)
    how_to_apply: Mapped[str] = Column(Text, nullable=False)
    description: Mapped[str] = Column(Text, nullable=False)
    source: Mapped[str] = Column(String(300), nullable=False)
    source_year: Mapped[int] = Column(Integer, nullable=False)


OPPORTUNITY_TABLES = frozenset({"employers", "opportunities", "national_programmes"})
