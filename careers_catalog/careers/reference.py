"""The reference tables the catalogue is checked against and takes its pay and hours from.

They live in ``data/reference/`` (derived from public data by scripts/derive_reference.py, each with its
source in a header): SOC 2020 unit groups with ONS pay and hours (ASHE), national pay scales (NHS Agenda
for Change, teachers, armed forces), apprenticeship standards, T Levels, minimum wage rates and the
National Careers Service titles the catalogue's breadth is measured against.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

FULL_TIME_HOURS = 37.5  # a week, for turning an hourly minimum into a yearly one
_WEEKS = 52
_ASHE_FILE = re.compile(r"ashe_(\d{4})\.csv")


@dataclass(frozen=True)
class UnitGroupPay:
    """ONS ASHE full-time figures for one SOC 2020 unit group and year (None: not published)."""

    soc2020: str
    title: str
    year: int
    median: int | None
    p25: int | None
    p75: int | None
    weekly_hours: float | None


@dataclass(frozen=True)
class Standard:
    """An apprenticeship standard; ``open``: a student can start on it now (scripts/derive_reference.py)."""

    reference: str
    name: str
    level: int | None
    status: str
    open: bool


@dataclass(frozen=True)
class PayScale:
    """A national pay scale: ``low`` where people start, ``high`` the top (None: only a start is set)."""

    name: str
    source: str
    year: int
    note: str
    low: int
    high: int | None


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _int(value: str) -> int | None:
    return int(value) if value.strip() else None


class Reference:
    """The tables in ``directory`` (``data/reference``), each read when first used."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @cached_property
    def ashe(self) -> dict[int, dict[str, UnitGroupPay]]:
        """ASHE editions by year, each by SOC 2020 code."""
        editions: dict[int, dict[str, UnitGroupPay]] = {}
        for path in sorted(self.directory.glob("ashe_*.csv")):
            match = _ASHE_FILE.fullmatch(path.name)
            if not match:
                continue
            year = int(match.group(1))
            editions[year] = {
                r["soc2020"]: UnitGroupPay(
                    r["soc2020"],
                    r["title"],
                    year,
                    _int(r["median"]),
                    _int(r["p25"]),
                    _int(r["p75"]),
                    float(r["weekly_hours"]) if r["weekly_hours"] else None,
                )
                for r in _rows(path)
            }
        return editions

    @cached_property
    def soc_titles(self) -> dict[str, str]:
        """Every SOC 2020 unit group: code -> ONS title (from the newest ASHE edition)."""
        newest = max(self.ashe)
        return {code: group.title for code, group in self.ashe[newest].items()}

    def unit_group_pay(self, soc2020: str) -> UnitGroupPay | None:
        """The newest ASHE figures with a median for this unit group, if any edition has one."""
        return self._newest(soc2020, "median")

    def weekly_hours(self, soc2020: str) -> tuple[float, int] | None:
        """Median weekly paid hours of full-time employees in the unit group, and the edition's year."""
        group = self._newest(soc2020, "weekly_hours")
        return None if group is None else (group.weekly_hours, group.year)

    def _newest(self, soc2020: str, figure: str) -> UnitGroupPay | None:
        """The unit group in the newest ASHE edition that publishes ``figure`` for it."""
        for year in sorted(self.ashe, reverse=True):
            group = self.ashe[year].get(soc2020)
            if group is not None and getattr(group, figure) is not None:
                return group
        return None

    @cached_property
    def pay_scales(self) -> dict[str, PayScale]:
        """Scales by the name careers use: ``nhs-afc-band-5``, ``teachers-england``, ..."""
        data: dict[str, Any] = yaml.safe_load((self.directory / "pay_scales.yml").read_text(encoding="utf-8"))
        scales: dict[str, PayScale] = {}
        for name, scale in data.items():
            common = {
                "source": scale["source"],
                "year": scale["year"],
                "note": " ".join(scale["note"].split()),
            }
            if "bands" in scale:
                for band, (low, high) in scale["bands"].items():
                    scales[f"{name}-band-{band}"] = PayScale(
                        f"{name}-band-{band}", low=low, high=high, **common
                    )
            else:
                scales[name] = PayScale(name, low=scale["low"], high=scale.get("high"), **common)
        return scales

    @cached_property
    def standards(self) -> dict[str, Standard]:
        return {
            r["reference"]: Standard(
                r["reference"], r["name"], _int(r["level"]), r["status"], r["open"] == "yes"
            )
            for r in _rows(self.directory / "apprenticeship_standards.csv")
        }

    @cached_property
    def t_levels(self) -> dict[str, str]:
        """T Level name -> its status for new students ("open", "closed to new students", ...)."""
        return {r["name"]: r["status"] for r in _rows(self.directory / "t_levels.csv")}

    def t_level_open(self, name: str) -> bool:
        return self.t_levels.get(name, "").startswith("open")

    def minimum_rate(self, rate: str) -> tuple[float, str]:
        """The newest of a minimum wage rate (a ``rate`` of minimum_wage.csv) in pounds an hour, and the
        date it applies from ("1 April 2026")."""
        row = next(r for r in _rows(self.directory / "minimum_wage.csv") if r["rate"] == rate)
        newest = max(k for k in row if k.startswith("from_"))
        year = newest.split("_")[1]
        return float(row[newest]), f"1 April {year}"

    @cached_property
    def living_wage(self) -> tuple[float, str]:
        """The newest National Living Wage an hour and the date it applies from ("1 April 2026")."""
        return self.minimum_rate("National Living Wage")

    @cached_property
    def apprentice_rate(self) -> tuple[float, str]:
        """The newest apprentice rate of the National Minimum Wage an hour, and the date it applies from."""
        return self.minimum_rate("Apprentice rate")

    @property
    def living_wage_full_time(self) -> int:
        """What the newest National Living Wage pays a year for a 37.5-hour week."""
        return round(self.living_wage[0] * FULL_TIME_HOURS * _WEEKS)

    @cached_property
    def ncs_titles(self) -> list[tuple[str, str]]:
        """The National Careers Service job profile titles (2019) with their categories."""
        return [(r["title"], r["category"]) for r in _rows(self.directory / "ncs_titles_2019.csv")]
