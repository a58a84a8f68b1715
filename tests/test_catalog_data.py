"""The real catalogue content: coverage, sources and shape."""

from __future__ import annotations

import re

from careers_catalog import Catalog
from careers_catalog.careers.audit import ncs_coverage
from careers_catalog.careers.loader import read_data
from careers_catalog.careers.pay import career_pay
from careers_catalog.careers.workplaces import all_workplaces
from careers_catalog.paths import DATA_DIR

REQUIRED_TECH_ROLES = """software-developer web-developer app-developer games-developer games-designer
game-artist
games-tester ux-designer ui-designer data-analyst data-scientist data-engineer machine-learning-engineer
cyber-security-analyst penetration-tester digital-forensics-analyst network-engineer it-support-technician
cloud-engineer devops-engineer site-reliability-engineer database-administrator systems-analyst
business-analyst it-project-manager product-manager software-tester technical-writer solutions-architect
embedded-systems-engineer robotics-engineer electronics-engineer telecoms-engineer bioinformatician
clinical-scientist digital-marketer social-media-manager graphic-designer animator vfx-artist""".split()


def test_catalogue_has_the_breadth_of_the_national_careers_service(catalog: Catalog):
    assert 650 <= catalog.count() <= 800
    sectors = {c.sector for c in read_data(DATA_DIR).careers}
    assert {"digital", "engineering", "science", "health", "trades", "creative", "public-service"} <= sectors


def test_all_forty_tech_roles_are_present(catalog: Catalog):
    assert len(REQUIRED_TECH_ROLES) == 40
    missing = [cid for cid in REQUIRED_TECH_ROLES if catalog.ref(cid) is None]
    assert missing == []


def test_every_fact_is_current_and_names_its_source(catalog: Catalog):
    living_wage_year = 24_785  # £12.71 an hour from April 2026, 37.5 hours a week
    for ref in catalog.careers():
        p = catalog.profile(ref.id)
        assert p is not None
        assert p.routes_source.source.strip() and 2023 <= p.routes_source.year <= 2026, (
            p.id,
            p.routes_source,
        )
        if p.hours.weekly is not None:
            assert p.hours.source and 2024 <= p.hours.year <= 2026 and 20 <= p.hours.weekly <= 60, (
                p.id,
                p.hours,
            )
        if p.pay is None:
            continue
        assert p.pay.source.strip() and 2024 <= p.pay.year <= 2026, (p.id, p.pay)
        figures = [x for x in (p.pay.low, p.pay.median, p.pay.high) if x is not None]
        assert figures == sorted(figures) and 10_000 <= figures[0] and figures[-1] <= 200_000, (p.id, p.pay)
        # A figure below what the National Living Wage now pays full time comes with the reason.
        if figures[0] < living_wage_year:
            assert "National Living Wage" in (p.pay.note or ""), (p.id, p.pay)


def test_profiles_are_complete_enough_to_answer_every_question(catalog: Catalog):
    for ref in catalog.careers():
        p = catalog.profile(ref.id)
        assert p.summary and p.day_to_day and p.outlook, p.id
        assert len(p.subjects) >= 2 and len(p.routes) >= 2 and len(p.skills) >= 3, p.id
        assert p.related, p.id
        assert re.fullmatch(r"[RIASEC]{2,3}", p.riasec), p.id
        assert "<" not in p.summary + p.day_to_day, f"{p.id}: markup in text"


def test_routes_name_real_kinds_and_levels(catalog: Catalog):
    kinds = set()
    for ref in catalog.careers():
        for r in catalog.profile(ref.id).routes:
            kinds.add(r.kind)
            if r.kind in ("apprenticeship", "degree_apprenticeship"):
                assert r.level is None or 2 <= r.level <= 7, (ref.id, r)
    assert {"apprenticeship", "degree_apprenticeship", "t_level", "degree", "college"} <= kinds


def test_summaries_are_short_and_titles_unique(catalog: Catalog):
    titles = [r.title.lower() for r in catalog.careers()]
    assert len(titles) == len(set(titles))
    for ref in catalog.careers():
        assert len(catalog.profile(ref.id).summary.split()) <= 30, ref.id


def test_the_catalogue_answers_nine_in_ten_national_careers_service_titles():
    coverage = ncs_coverage(read_data(DATA_DIR))
    assert len(coverage.matched) + len(coverage.unmatched) == 856
    assert coverage.share >= 0.9, coverage.unmatched
    assert coverage.matched["Kitchen porter"] == coverage.matched["Kitchen assistant"]  # one job, two titles


def test_every_career_has_pay_from_a_current_source_or_says_none_is_published():
    data = read_data(DATA_DIR)
    without = [
        c.id for c in data.careers if career_pay(c.soc2020, c.pay_scale, c.pay_note, data.reference) is None
    ]
    # ONS publishes no reliable figure for a few unit groups (sports players, actors...): those careers say
    # so rather than guess; they stay few.
    assert len(without) <= 0.05 * len(data.careers), without


def test_every_place_of_work_leads_to_careers_in_the_catalogue(catalog: Catalog):
    places = all_workplaces()
    assert len(places) >= 20
    for place in places:
        assert place.careers and all(catalog.ref(c) for c in place.careers), place.name
