"""A career's pay and hours, worked out from the reference tables rather than typed into each career.

A career paid on a national scale (``pay_scale``: NHS Agenda for Change, teachers, armed forces) gets that
scale; any other gets the ONS survey (ASHE) figures of its SOC 2020 unit group: the middle half of
full-time pay (25th to 75th percentile) and the median, or the median alone where ONS publishes no
percentiles, from the newest edition that has them. Where ONS publishes nothing reliable there is no
figure, and the assistant says so rather than guess. A lower figure below what the National Living Wage
now pays a full-time adult always comes with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from careers_catalog.careers.reference import FULL_TIME_HOURS, Reference


@dataclass(frozen=True)
class PayFacts:
    # How the figures are to be read: "middle-half" (low = 25th, high = 75th percentile, and the median),
    # "median" (the median only), "scale" (low = where people start, high = the top), "entry" (a start).
    measure: str
    low: int | None
    median: int | None
    high: int | None
    source: str
    year: int
    basis: str
    note: str | None


@dataclass(frozen=True)
class HoursFacts:
    weekly: float
    source: str
    year: int
    basis: str


# Quoted to students after the figures, with the edition's year: "(Source: ONS Annual Survey ..., 2025.)"
ASHE_SOURCE = "ONS Annual Survey of Hours and Earnings (provisional)"


def career_pay(soc2020: str, pay_scale: str | None, pay_note: str | None, ref: Reference) -> PayFacts | None:
    """The pay to tell students for a career: see the module's docstring. ``pay_scale`` must be one of
    ``ref.pay_scales`` (the loader checks)."""
    if pay_scale:
        scale = ref.pay_scales[pay_scale]
        facts = PayFacts(
            measure="scale" if scale.high else "entry",
            low=scale.low,
            median=None,
            high=scale.high,
            source=scale.source,
            year=scale.year,
            basis=f"national pay scale {pay_scale}",
            note=scale.note,
        )
    else:
        group = ref.unit_group_pay(soc2020)
        if group is None:
            return None
        both = group.p25 is not None and group.p75 is not None
        facts = PayFacts(
            measure="middle-half" if both else "median",
            low=group.p25,
            median=group.median,
            high=group.p75 if both else None,
            source=ASHE_SOURCE,
            year=group.year,
            basis=f"SOC 2020 unit group {soc2020} {group.title}: full-time employees, gross yearly pay",
            note=None,
        )
    notes = [n for n in (facts.note, pay_note, _below_living_wage(facts, ref)) if n]
    return replace(facts, note=" ".join(notes) or None)


def _below_living_wage(facts: PayFacts, ref: Reference) -> str | None:
    floor = ref.living_wage_full_time
    lowest = min(x for x in (facts.low, facts.median) if x is not None)
    if lowest >= floor:
        return None
    rate, since = ref.living_wage
    return (
        f"From {since} everyone aged 21 or over must be paid at least £{rate:.2f} an hour (the National "
        f"Living Wage), about £{floor:,} a year for {FULL_TIME_HOURS:g} hours a week; these {facts.year} "
        "figures are from before that rise, and many people in the job work fewer hours."
    )


def career_hours(soc2020: str, ref: Reference) -> HoursFacts | None:
    """Median weekly paid hours of full-time employees in the career's unit group."""
    found = ref.weekly_hours(soc2020)
    if found is None:
        return None
    weekly, year = found
    return HoursFacts(
        weekly=weekly,
        source=ASHE_SOURCE,
        year=year,
        basis=f"SOC 2020 unit group {soc2020}: median weekly paid hours (basic and overtime), full-time",
    )
