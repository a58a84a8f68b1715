"""The yearly check an adviser or maintainer runs on the catalogue: ``python -m careers_catalog audit``.

It reports, from the data files and the reference tables:

- how current the facts are: careers by the source and year of their pay, hours and routes;
- whose pay moved most between the two newest ONS pay tables (when a new edition arrives, the careers to
  read again first);
- how much of the National Careers Service's breadth the catalogue answers (each job profile title asked
  as a student would, answered when the catalogue's search finds a career by that exact name), and the
  titles still unmatched;
- what the most recent load changed: careers added and removed, pay and routes that changed.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from careers_catalog.careers.pay import career_hours, career_pay
from careers_catalog.careers.search import NameIndex

if TYPE_CHECKING:  # the loader keeps this module's snapshots at each load
    from careers_catalog.careers.loader import CatalogData

SNAPSHOT_KEY = "snapshot"  # CatalogMeta keys: what the newest load held, and the load before it
PREVIOUS_SNAPSHOT_KEY = "previous_snapshot"


@dataclass(frozen=True)
class Coverage:
    """NCS job profile titles answered by a career of the catalogue (title -> career id), and not."""

    matched: dict[str, str]
    unmatched: list[str]

    @property
    def share(self) -> float:
        total = len(self.matched) + len(self.unmatched)
        return len(self.matched) / total if total else 0.0


def ncs_coverage(data: CatalogData) -> Coverage:
    """Which NCS titles the catalogue answers by a title or alias (see the module's docstring)."""
    index = NameIndex((c.id, c.title, name) for c in data.careers for name in (c.title, *c.aliases))
    matched, unmatched = {}, []
    for title, _category in data.reference.ncs_titles:
        found = index.search(title, limit=1)
        if found and found[0].score == 100.0:
            matched[title] = found[0].career_id
        else:
            unmatched.append(title)
    return Coverage(matched, unmatched)


def snapshot(data: CatalogData) -> dict[str, Any]:
    """What an adviser would notice changing between loads, by career id."""
    out = {}
    for c in data.careers:
        pay = career_pay(c.soc2020, c.pay_scale, c.pay_note, data.reference)
        out[c.id] = {
            "title": c.title,
            "pay": None
            if pay is None
            else [pay.measure, pay.low, pay.median, pay.high, pay.source, pay.year],
            "routes": [r.qualification for r in c.routes],
        }
    return out


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """Lines saying what changed from one snapshot to the next."""
    if before is None:
        return ["first load: nothing to compare with"]
    lines = [f"added: {after[i]['title']} ({i})" for i in sorted(after.keys() - before.keys())]
    lines += [f"removed: {before[i]['title']} ({i})" for i in sorted(before.keys() - after.keys())]
    for i in sorted(after.keys() & before.keys()):
        for field in ("pay", "routes"):
            if after[i][field] != before[i][field]:
                lines.append(
                    f"{field} changed: {after[i]['title']} ({i}): {before[i][field]} -> {after[i][field]}"
                )
    return lines or ["no changes"]


def pay_moves(data: CatalogData, limit: int = 15) -> list[tuple[str, int, int, float]]:
    """Careers on ONS pay whose unit group's median moved most between the two newest editions:
    (title, older median, newer median, change as a fraction), largest moves first."""
    editions = sorted(data.reference.ashe)
    if len(editions) < 2:
        return []
    older, newer = data.reference.ashe[editions[-2]], data.reference.ashe[editions[-1]]
    moves = []
    for c in data.careers:
        if c.pay_scale:
            continue
        a, b = older.get(c.soc2020), newer.get(c.soc2020)
        if a and b and a.median and b.median:
            moves.append((c.title, a.median, b.median, b.median / a.median - 1))
    return sorted(moves, key=lambda m: -abs(m[3]))[:limit]


def report(data: CatalogData, before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """The whole audit as text: see the module's docstring."""
    ref = data.reference
    pay_sources: Counter[str] = Counter()
    hours_sources: Counter[str] = Counter()
    for c in data.careers:
        pay = career_pay(c.soc2020, c.pay_scale, c.pay_note, ref)
        pay_sources[f"{pay.source}, {pay.year}" if pay else "no reliable figure published"] += 1
        hours = career_hours(c.soc2020, ref)
        hours_sources[f"{hours.source}, {hours.year}" if hours else "no figure published"] += 1
    routes_years = Counter(c.routes_source.year for c in data.careers)
    current = sum(n for year, n in routes_years.items() if year >= 2023)
    coverage = ncs_coverage(data)
    lines = [f"Catalogue audit: {len(data.careers)} careers", "", "Pay, by source and year:"]
    lines += [f"  {n:4}  {source}" for source, n in pay_sources.most_common()]
    lines += ["", "Hours, by source and year:"]
    lines += [f"  {n:4}  {source}" for source, n in hours_sources.most_common()]
    lines += ["", f"Routes sources dated 2023 or later: {current} of {len(data.careers)}"]
    lines += [f"  {n:4}  {year}" for year, n in sorted(routes_years.items())]
    editions = sorted(ref.ashe)
    lines += ["", f"Pay that moved most from ONS ASHE {editions[0]} to {editions[-1]} (unit group medians):"]
    lines += [
        f"  {change:+6.1%}  {title}: £{old:,} -> £{new:,}" for title, old, new, change in pay_moves(data)
    ]
    lines += [
        "",
        f"National Careers Service titles answered: {len(coverage.matched)} of "
        f"{len(coverage.matched) + len(coverage.unmatched)} ({coverage.share:.1%}); still unmatched:",
    ]
    lines += [f"  {title}" for title in coverage.unmatched] or ["  none"]
    lines += ["", "What the last load changed:"]
    lines += [f"  {line}" for line in changes(before, after)] if after else ["  not loaded yet"]
    return "\n".join(lines)


def dumps(snap: dict[str, Any]) -> str:
    return json.dumps(snap, sort_keys=True, separators=(",", ":"))
