"""Building the catalogue database from data files, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from careers_catalog import Catalog
from careers_catalog.db import make_engine
from careers_catalog.loader import CatalogDataError, load_catalog
from careers_catalog.settings import DATA_DIR
from tests.conftest import FIXTURE_DATA


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Two made-up careers beside the real subjects file, in a folder the test may edit."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    shutil.copy(DATA_DIR / "subjects.yml", target / "subjects.yml")
    return target


def _count(engine: sa.engine.Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"select count(*) from {table}")).scalar_one()


def test_load_builds_profiles_with_sourced_facts(database_url: str, data_dir: Path):
    engine = make_engine(database_url)
    result = load_catalog(engine, data_dir)
    assert (result.careers, result.changed) == (2, True)
    profile = Catalog(engine).profile("test-pilot")
    assert (
        profile.pay.starter == 30000 and profile.pay.source == "Fixture source" and profile.pay.year == 2024
    )
    assert [r.kind for r in profile.routes] == ["degree", "apprenticeship"]
    assert profile.routes[1].level == 3
    assert profile.subjects[0].subject == "Maths" and profile.subjects[0].a_level
    assert [r.id for r in profile.related] == ["kite-maker"]
    assert profile.riasec == "RIC"
    assert profile.skills == ["calm under pressure", "teamwork"]


def test_loading_twice_changes_nothing(database_url: str, data_dir: Path):
    engine = make_engine(database_url)
    load_catalog(engine, data_dir)
    rows = {t: _count(engine, t) for t in ("careers", "career_aliases", "entry_routes", "skills", "subjects")}
    assert load_catalog(engine, data_dir).changed is False
    assert load_catalog(engine, data_dir, force=True).changed is True
    assert {t: _count(engine, t) for t in rows} == rows


def test_edited_files_update_in_place_and_removed_careers_go(database_url: str, data_dir: Path):
    engine = make_engine(database_url)
    load_catalog(engine, data_dir)
    catalog = Catalog(engine)  # a running action server's catalogue, opened before the reload
    assert catalog.profile("test-pilot").pay.starter == 30000
    path = data_dir / "careers" / "sample.yml"
    text = path.read_text().replace("starter: 30000", "starter: 32000")
    # Drop the kite maker (the second record) and the link to it.
    text = text[: text.index("- id: kite-maker")].replace("related: [kite-maker]", "related: []")
    path.write_text(text)
    assert load_catalog(engine, data_dir).changed
    assert catalog.profile("test-pilot").pay.starter == 32000
    assert catalog.profile("kite-maker") is None
    assert _count(engine, "careers") == 1


def test_a_bad_file_reports_every_problem_and_loads_nothing(database_url: str, data_dir: Path):
    engine = make_engine(database_url)
    path = data_dir / "careers" / "sample.yml"
    text = path.read_text()
    text = text.replace("subject: Physics", "subject: Wizardry").replace(
        "source: Fixture source, year: 2024}", "}", 1
    )
    text = text.replace("related: [test-pilot]", "related: [astronaut]")
    path.write_text(text)
    with pytest.raises(CatalogDataError) as err:
        load_catalog(engine, data_dir)
    problems = "\n".join(err.value.problems)
    assert "unknown subject 'Wizardry'" in problems
    assert "test-pilot: pay needs a source and a year" in problems
    assert "kite-maker: related career 'astronaut' is not in the catalogue" in problems
    assert _count(engine, "careers") == 0


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
