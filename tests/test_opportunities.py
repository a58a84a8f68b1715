"""Opportunities: the shipped samples and national programmes, advisers' CSV imports (whole files or
nothing), search by distance with widening and national fallback, and Find an apprenticeship's API
through a real local HTTP server (including errors, slowness and rate limits)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from careers_catalog import Catalog
from careers_catalog.careers.loader import load_catalog
from careers_catalog.data_rules import CatalogDataError
from careers_catalog.db import make_engine
from careers_catalog.geo import Locator, Place
from careers_catalog.opportunities.importer import CSV_COLUMNS, import_opportunities_csv
from careers_catalog.opportunities.search import OpportunityFinder, areas_in, kinds_in
from careers_catalog.opportunities.vacancies import FindAnApprenticeshipClient, VacancySourceError
from tests.fake_apis import serve_fake_apis

TODAY = dt.date(2026, 11, 23)
LIVERPOOL = Locator().locate("L3")
HEADER = ",".join(CSV_COLUMNS)
GOOD_ROW = (
    "Test Robotics,Robot building taster,taster,digital;engineering,L1,Liverpool,2027-02-01,2027-02-01,"
    "2027-02-02,9-11,Ask your school's careers lead,,Build and program a small robot.,no"
)


def finder(catalog: Catalog, today: dt.date = TODAY, remote: object = None) -> OpportunityFinder:
    return OpportunityFinder(catalog.engine, remote, today=lambda: today)  # type: ignore[arg-type]


def test_samples_near_liverpool_come_nearest_first_and_are_labelled(catalog: Catalog):
    result = finder(catalog).search(LIVERPOOL, areas={"digital"})
    distances = [f.distance_km for f in result.found]
    assert len(result.found) == 5 and distances == sorted(distances) and distances[-1] <= 10
    assert all("digital" in f.listing.career_areas and f.listing.sample for f in result.found)
    assert not result.widened and result.total > 5


def test_filters_by_kind_and_pages_through(catalog: Catalog):
    search = finder(catalog)
    first = search.search(LIVERPOOL, kinds={"apprenticeship"}, limit=2)
    second = search.search(LIVERPOOL, kinds={"apprenticeship"}, limit=2, offset=2)
    assert {f.listing.kind for f in first.found + second.found} == {"apprenticeship"}
    assert not {f.listing.title for f in first.found} & {f.listing.title for f in second.found}


def test_expired_listings_are_never_shown(catalog: Catalog):
    later = dt.date(2027, 10, 1)  # every sample listing has expired by then
    assert finder(catalog, later).search(LIVERPOOL).found == []


def test_nothing_close_widens_the_search_and_says_so(catalog: Catalog):
    result = finder(catalog).search(Locator().locate("Manchester"))
    assert result.found and result.widened and result.radius_km > 10


def test_nothing_within_reach_offers_national_programmes(catalog: Catalog):
    result = finder(catalog).search(Locator().locate("Inverness"), kinds={"talk"})
    assert result.found == [] and result.national
    assert result.national[0].url.startswith("https://") and "talk" in result.national[0].kinds


@pytest.mark.parametrize(
    ("text", "kinds", "areas"),
    [
        ("is there any work experience in tech near me", {"work_experience"}, {"digital"}),
        ("only apprenticeships", {"apprenticeship"}, set()),
        ("something in games", set(), {"digital"}),
        ("virtual work experience in coding", {"virtual_placement"}, {"digital"}),
        ("what is it like", set(), set()),
    ],
)
def test_what_is_asked_for_is_read_from_the_message(text: str, kinds: set, areas: set):
    assert (kinds_in(text), areas_in(text)) == (kinds, areas)


def _csv(tmp_path: Path, *rows: str, name: str = "our_employers.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_an_advisers_csv_is_imported_and_reimporting_replaces_it(database_url: str, tmp_path: Path):
    engine = make_engine(database_url)
    load_catalog(engine)
    catalog = Catalog(engine)
    before = len(finder(catalog).listings())
    result = import_opportunities_csv(
        engine, _csv(tmp_path, GOOD_ROW, GOOD_ROW.replace("Robot building", "Drone"))
    )
    assert result.opportunities == 2
    assert len(finder(catalog).listings()) == before + 2
    import_opportunities_csv(engine, _csv(tmp_path, GOOD_ROW))
    titles = [x.title for x in finder(catalog).listings() if x.employer == "Test Robotics"]
    assert titles == ["Robot building taster"]
    load_catalog(engine, force=True)  # reloading the catalogue keeps advisers' imports
    assert any(x.employer == "Test Robotics" for x in finder(catalog).listings())


def test_a_bad_csv_names_each_bad_line_and_loads_nothing(database_url: str, tmp_path: Path):
    engine = make_engine(database_url)
    load_catalog(engine)
    bad = _csv(
        tmp_path,
        GOOD_ROW,
        GOOD_ROW.replace(",taster,", ",party,"),
        GOOD_ROW.replace(",L1,", ",L3 4AF,"),
        GOOD_ROW.replace("Build and program", "<script>alert(1)</script>"),
        GOOD_ROW.replace("2027-02-02", "next week"),
        GOOD_ROW.replace(",9-11,", ",3-5,"),
    )
    before = len(finder(Catalog(engine)).listings())
    with pytest.raises(CatalogDataError) as err:
        import_opportunities_csv(engine, bad)
    problems = "\n".join(err.value.problems)
    assert "line 3: kind 'party'" in problems
    assert "line 4: outward_code must be the first part of a postcode only" in problems
    assert "line 5: description contains < or >" in problems
    assert "line 6: expires 'next week' is not a date" in problems
    assert "line 7: year_groups '3-5'" in problems
    assert "line 2" not in problems
    assert len(finder(Catalog(engine)).listings()) == before


def test_a_csv_without_the_columns_is_refused(tmp_path: Path):
    path = tmp_path / "wrong.csv"
    path.write_text("name,town\nAcme,Leeds\n")
    with pytest.raises(CatalogDataError, match="line 1: missing column"):
        import_opportunities_csv(make_engine(f"sqlite:///{tmp_path / 'x.db'}"), path)


def test_find_an_apprenticeship_answers_are_read_as_listings():
    with serve_fake_apis() as apis:
        client = FindAnApprenticeshipClient(apis.url, apis.api_key)
        [listing] = client.search(53.4, -2.98, 25)
        assert (listing.employer, listing.kind, listing.career_areas) == (
            "Fake Test Systems",
            "apprenticeship",
            ("digital",),
        )
        assert listing.outward_code == "L3" and listing.expires == dt.date(2027, 3, 31)
        assert "Lat=53.40000" in apis.requests[0] and "DistanceInMiles=16" in apis.requests[0]


@pytest.mark.parametrize("plan", [["500"], ["429"]])
def test_find_an_apprenticeship_is_retried_after_a_server_error_or_a_rate_limit(plan: list[str]):
    with serve_fake_apis() as apis:
        apis.plan["/vacancy"] = list(plan)
        assert len(FindAnApprenticeshipClient(apis.url, apis.api_key).search(53.4, -2.98, 25)) == 1
        assert len(apis.requests) == 2


@pytest.mark.parametrize("plan", [["500", "500"], ["slow", "slow"], ["401"], ["429", "429"]])
def test_find_an_apprenticeship_failures_are_reported(plan: list[str]):
    with serve_fake_apis() as apis:
        apis.plan["/vacancy"] = list(plan)
        with pytest.raises(VacancySourceError):
            FindAnApprenticeshipClient(apis.url, apis.api_key, timeout=0.5).search(53.4, -2.98, 25)


def test_when_the_remote_source_fails_local_results_still_come_back(catalog: Catalog):
    with serve_fake_apis() as apis:
        remote = FindAnApprenticeshipClient(apis.url, apis.api_key, timeout=0.5)
        ok = finder(catalog, remote=remote).search(LIVERPOOL, kinds={"apprenticeship"}, limit=20)
        assert any(f.listing.origin == "Find an apprenticeship" for f in ok.found)
        apis.plan["/vacancy"] = ["500", "500"]
        failed = finder(catalog, remote=remote).search(LIVERPOOL, kinds={"apprenticeship"}, limit=20)
        assert failed.remote_failed and failed.found
        assert all(f.listing.origin == "local" for f in failed.found)


def test_a_place_far_from_everything_still_gets_national_programmes(catalog: Catalog):
    shetland = Place("ZE1", 60.15, -1.15)
    assert finder(catalog).search(shetland).national
