"""Building the catalogue database from data files, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
import sqlalchemy as sa

from careers_catalog import Catalog
from careers_catalog.careers.loader import CatalogDataError, load_catalog, read_data
from careers_catalog.db import make_engine
from careers_catalog.paths import DATA_DIR
from tests.conftest import FIXTURE_DATA


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Two made-up careers beside the real subjects file and reference tables, in a folder the test may
    edit."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    shutil.copy(DATA_DIR / "subjects.yml", target / "subjects.yml")
    shutil.copytree(DATA_DIR / "reference", target / "reference")
    return target


def _count(engine: sa.engine.Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"select count(*) from {table}")).scalar_one()


def test_load_builds_profiles_with_sourced_facts(database_url: str, data_dir: Path):
    engine = make_engine(database_url)
    result = load_catalog(engine, data_dir)
    assert (result.careers, result.changed) == (2, True)
    profile = Catalog(engine).profile("test-pilot")
    # Pay and hours come from ONS ASHE 2025 for SOC 3511 (which publishes a median, not both quartiles).
    assert (profile.pay.measure, profile.pay.median, profile.pay.year) == ("median", 82746, 2025)
    assert profile.pay.source.startswith("ONS Annual Survey of Hours and Earnings")
    assert (profile.hours.weekly, profile.hours.year, profile.hours.pattern) == (40, 2025, "Shifts")
    assert [r.kind for r in profile.routes] == ["degree", "apprenticeship", "t_level"]
    assert profile.routes[1].level == 3
    assert profile.subjects[0].subject == "Maths" and profile.subjects[0].a_level
    assert [r.id for r in profile.related] == ["kite-maker"]
    assert profile.riasec == "RIC"
    assert profile.skills == ["calm under pressure", "teamwork", "clear reports"]


def test_loading_twice_changes_nothing(database_url: str, data_dir: Path):
    engine = make_engine(database_url)
    load_catalog(engine, data_dir)
    rows = {t: _count(engine, t) for t in ("careers", "career_aliases", "entry_routes", "skills", "subjects")}
    assert load_catalog(engine, data_dir).changed is False
    assert load_catalog(engine, data_dir, force=True).changed is True
    assert {t: _count(engine, t) for t in rows} == rows


def _career(career_id: str, title: str, related: str, **lines: str) -> str:
    """A valid career record as YAML text; ``lines`` replace or add top-level fields."""
    fields = {
        "id": career_id,
        "title": title,
        "aliases": "[]",
        "sector": "engineering",
        "summary": "Checks that machines work.",
        "day_to_day": "Tests machines and writes down what happened.",
        "tasks": "[test machines, write reports, fix faults]",
        "skills": "[patience, care, teamwork]",
        "subjects": "[{subject: Maths, levels: [gcse], why: Measuring things.}]",
        "routes": "[{type: degree, level: 6, qualification: Degree in engineering}, "
        "{type: direct, qualification: Apply to an engineering firm}]",
        "routes_source": "{name: Fixture source, year: 2026}",
        "hours_pattern": "Office hours",
        "outlook": "Steady.",
        "riasec": "RI",
        "soc2020": '"2129"',
        "related": f"[{related}]",
        **lines,
    }
    return "- " + "\n  ".join(f"{k}: {v}" for k, v in fields.items()) + "\n"


def test_edited_files_update_in_place_and_removed_careers_go(database_url: str, data_dir: Path):
    engine = make_engine(database_url)
    load_catalog(engine, data_dir)
    catalog = Catalog(engine)  # a running action server's catalogue, opened before the reload
    assert catalog.profile("test-pilot").pay.median == 82746
    path = data_dir / "careers" / "sample.yml"
    text = path.read_text().replace('soc2020: "3511"', 'soc2020: "2134"')  # now paid as a programmer
    # Drop the kite maker (the second record) and point the pilot at a new career instead.
    text = text[: text.index("- id: kite-maker")].replace(
        "related: [kite-maker]", "related: [flight-engineer]"
    )
    path.write_text(text + _career("flight-engineer", "Flight engineer", related="test-pilot"))
    assert load_catalog(engine, data_dir).changed
    pay = catalog.profile("test-pilot").pay
    assert (pay.measure, pay.low, pay.median, pay.high) == ("middle-half", 42289, 56914, 75794)
    assert catalog.profile("kite-maker") is None
    assert _count(engine, "careers") == 2


def test_a_bad_file_reports_every_problem_with_its_line_and_loads_nothing(database_url: str, data_dir: Path):
    engine = make_engine(database_url)
    path = data_dir / "careers" / "sample.yml"
    text = path.read_text().replace("subject: Physics", "subject: Wizardry")
    text = text.replace("related: [test-pilot]", "related: [astronaut]")
    path.write_text(text + "- id: Not A Slug\n")
    with pytest.raises(CatalogDataError) as err:
        load_catalog(engine, data_dir)
    problems = err.value.problems
    assert "sample.yml:13: test-pilot: unknown subject 'Wizardry' (see subjects.yml)" in problems
    assert "sample.yml:28: kite-maker: related career 'astronaut' is not in the catalogue" in problems
    assert any(p.startswith("sample.yml:48: id: an id is lower-case words") for p in problems), problems
    assert any(p.startswith("sample.yml:48: title: field required") for p in problems), problems
    assert _count(engine, "careers") == 0


# Each rule that keeps the catalogue current, shown refusing bad data with its file and line: (what the
# test pilot's record is changed to, the problem reported, the line it is reported on).
RULES = [
    pytest.param(
        (
            "routes_source: {name: Fixture source, year: 2026}",
            "routes_source: {name: NCS job profile, year: 2019}",
        ),
        "routes_source.year: a source must be dated 2023 or later",
        22,
        id="routes source older than 2023",
    ),
    pytest.param(
        ("{subject: Maths, levels: [gcse, a_level]", "{subject: Statistics, levels: [gcse, a_level]"),
        "test-pilot: Statistics is not offered as an A level in England",
        12,
        id="subject at a level not offered",
    ),
    pytest.param(
        ("{subject: Physics, levels: [a_level]", "{subject: Health and Social Care, levels: [gcse]"),
        "test-pilot: Health and Social Care is not offered as a GCSE in England",
        13,
        id="no GCSE in health and social care",
    ),
    pytest.param(
        ("Design and Development for Engineering and Manufacturing", "Onsite Construction"),
        "test-pilot: the Onsite Construction T Level is closed to new students",
        21,
        id="T Level closed to new students",
    ),
    pytest.param(
        ("Design and Development for Engineering and Manufacturing", "Digital Widget Services"),
        "test-pilot: 'T Level in Digital Widget Services' is not a T Level: write 'T Level in <name>', "
        "a name from reference/t_levels.csv",
        21,
        id="T Level not in force",
    ),
    pytest.param(
        ("standard: ST1315", "standard: ST0397"),
        "test-pilot: ST0397 Animal care and welfare assistant is retired: not open to new starts",
        16,
        id="retired apprenticeship standard",
    ),
    pytest.param(
        ("      level: 3\n      qualification: Aircraft", "      level: 4\n      qualification: Aircraft"),
        "test-pilot: ST1315 Aircraft maintenance technician is level 3, not 4",
        16,
        id="apprenticeship at the wrong level",
    ),
    pytest.param(
        ("qualification: Aircraft maintenance technician", "qualification: Aircraft mechanic"),
        "test-pilot: the qualification must start with the standard's name, 'Aircraft maintenance tech",
        16,
        id="apprenticeship under a made-up name",
    ),
    pytest.param(
        ('soc2020: "3511"', 'soc2020: "3599"'),
        "test-pilot: 3599 is not a SOC 2020 unit group",
        3,
        id="SOC code that does not exist",
    ),
    pytest.param(
        ("aliases: [flight tester]", "aliases: [flight tester, kite builder]"),
        "kite-maker: 'kite builder' is already a name of test-pilot",
        28,
        id="alias used twice",
    ),
    pytest.param(
        ("hours_pattern: Shifts", "hours_pattern: Shifts\n  pay_scale: nhs-afc-band-12"),
        "test-pilot: unknown pay scale 'nhs-afc-band-12' (see reference/pay_scales.yml)",
        3,
        id="pay scale that does not exist",
    ),
    pytest.param(
        ("hours_pattern: Shifts", "hours_pattern: Shifts\n  pay: {starter: 14000, source: NCS, year: 2019}"),
        "pay: extra fields not permitted",
        24,
        id="pay typed in by hand",
    ),
]


@pytest.mark.parametrize(("edit", "problem", "line"), RULES)
def test_each_rule_refuses_bad_data_by_file_and_line(
    tmp_path: Path, data_dir: Path, edit: tuple[str, str], problem: str, line: int
):
    path = data_dir / "careers" / "sample.yml"
    old, new = edit
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(CatalogDataError) as err:
        load_catalog(make_engine(f"sqlite:///{tmp_path / 'x.db'}"), data_dir)
    assert any(p.startswith(f"sample.yml:{line}: ") and problem in p for p in err.value.problems), (
        err.value.problems
    )


def test_pay_below_the_living_wage_comes_with_the_reason(database_url: str, data_dir: Path):
    engine = make_engine(database_url)
    load_catalog(engine, data_dir)
    pay = Catalog(engine).profile("kite-maker").pay  # SOC 9263: a quarter earn under £18,811 (ASHE 2025)
    assert (pay.measure, pay.low, pay.high) == ("middle-half", 18811, 26766)
    assert pay.note.startswith("Many kite makers work for themselves")  # the career's own caveat first
    assert "at least £12.71 an hour (the National Living Wage)" in pay.note
    assert "about £24,785 a year for 37.5 hours a week" in pay.note
    assert Catalog(engine).profile("test-pilot").pay.note is None  # a pilot's pay needs no such reason


def test_unreadable_yaml_is_reported_with_its_file(tmp_path: Path, data_dir: Path):
    (data_dir / "careers" / "broken.yml").write_text("- id: [unclosed\n")
    with pytest.raises(CatalogDataError, match="broken.yml: cannot read"):
        load_catalog(make_engine(f"sqlite:///{tmp_path / 'x.db'}"), data_dir)


def test_role_models_are_loaded_and_checked(database_url: str, data_dir: Path):
    person = (
        "- name: Test Person\n  lived: born 1990\n  from: Leeds\n  career: test-pilot\n"
        "  story: Flew a kite across the Pennines.\n  tags: [woman, uk, living]\n"
        "  source: {name: Fixture source, year: 2024}\n"
    )
    (data_dir / "role_models.yml").write_text(person)
    engine = make_engine(database_url)
    load_catalog(engine, data_dir)
    [loaded] = Catalog(engine).role_models({"woman", "uk"})
    assert (loaded.name, loaded.career.id, loaded.source_year) == ("Test Person", "test-pilot", 2024)
    (data_dir / "role_models.yml").write_text(
        person.replace("career: test-pilot", "career: astronaut").replace(
            "[woman, uk, living]", "[uk, famous]"
        )
    )
    with pytest.raises(CatalogDataError) as err:
        load_catalog(engine, data_dir)
    problems = "\n".join(err.value.problems)
    assert "Test Person: career 'astronaut' is not in the catalogue" in problems
    assert "tags must come from" in problems and "exactly one of woman and man" in problems
    assert Catalog(engine).role_models()[0].career.id == "test-pilot"  # the bad file changed nothing


def test_the_audit_reports_sources_coverage_and_what_the_last_load_changed(tmp_path: Path, data_dir: Path):
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    load_catalog(make_engine(url), data_dir)
    path = data_dir / "careers" / "sample.yml"
    path.write_text(path.read_text().replace('soc2020: "3511"', 'soc2020: "2134"'))
    load_catalog(make_engine(url), data_dir)
    command = [
        sys.executable,
        "-m",
        "careers_catalog",
        "--database-url",
        url,
        "audit",
        "--data-dir",
        str(data_dir),
    ]
    out = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    report = out.stdout
    assert "Catalogue audit: 2 careers" in report
    assert "   2  ONS Annual Survey of Hours and Earnings (provisional), 2025" in report
    assert "Routes sources dated 2023 or later: 2 of 2" in report
    assert "National Careers Service titles answered: 0 of 856 (0.0%)" in report  # made-up careers
    assert "  Kitchen porter\n" in report  # among the titles still unmatched
    assert "pay changed: Test pilot (test-pilot): ['median', 61511, 82746, None" in report
    assert "-> ['middle-half', 42289, 56914, 75794" in report


def test_every_shipped_career_and_role_model_reads_back_as_written(catalog: Catalog):
    """The shape is declared once (schema.py) and copied in and out by field name: a field that the
    database or the profile drops, or that comes back changed, fails here for the career it is in."""
    data = read_data(DATA_DIR)
    for record in data.careers:
        profile = catalog.profile(record.id)
        written = record.dict()
        read = asdict(profile)
        same = {
            k: read[k]
            for k in written.keys() & read.keys()
            if k not in ("aliases", "routes", "subjects", "routes_source", "related")
        }
        assert same == {k: written[k] for k in same}, record.id
        assert read["aliases"] == list(dict.fromkeys(record.aliases)), record.id
        assert [(r.kind, r.level, r.qualification, r.note) for r in profile.routes] == [
            (r.kind, r.level, r.qualification, r.note) for r in record.routes
        ], record.id
        assert [(s.subject, s.gcse, s.a_level, s.vocational, s.why) for s in profile.subjects] == [
            (s.subject, "gcse" in s.levels, "a_level" in s.levels, "vocational" in s.levels, s.why)
            for s in {s.subject: s for s in record.subjects}.values()
        ], record.id
        assert (profile.routes_source.source, profile.routes_source.year) == (
            record.routes_source.name,
            record.routes_source.year,
        )
        assert [r.id for r in profile.related] == list(dict.fromkeys(record.related)), record.id
        assert profile.hours.pattern == record.hours_pattern
    people = {p.name: p for p in catalog.role_models()}
    assert list(people) == [p.name for p in data.role_models]
    for person in data.role_models:
        shown = people[person.name]
        assert (shown.lived, shown.origin, shown.career.id, shown.story, list(shown.tags)) == (
            person.lived,
            person.origin,
            person.career,
            person.story,
            person.tags,
        )
        assert (shown.source, shown.source_year) == (person.source.name, person.source.year)
