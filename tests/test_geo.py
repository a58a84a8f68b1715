"""Postcodes and places to coordinates: offline from the district table, and through a real local HTTP
server that answers like postcodes.io (including its failures)."""

from __future__ import annotations

import pytest

from careers_catalog.geo import Districts, LocationError, Locator, PostcodeClient, haversine_km
from tests.fake_apis import serve_fake_apis

OFFLINE = Locator()


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("L3 4AF", "L3"),
        ("near l34af", "L3"),
        ("E8", "E8"),
        ("CH41", "CH41"),
        ("placements in Hackney", "Hackney"),
        ("wirral", "Wirral"),
        ("my school is in st helens", "St. Helens"),
        ("Liverpool", "Liverpool"),
    ],
)
def test_postcodes_outward_codes_and_towns_resolve_offline(text: str, label: str):
    place = OFFLINE.locate(text)
    assert place.label == label
    assert 49 < place.latitude < 61 and -9 < place.longitude < 2


def test_only_the_outward_code_is_kept_from_a_full_postcode():
    place = OFFLINE.locate("my postcode is L3 4AF")
    assert place.label == "L3" and "4AF" not in repr(place)


def test_a_town_named_twice_in_the_uk_means_the_bigger_one():
    bootle = OFFLINE.locate("bootle")
    assert haversine_km(bootle.latitude, bootle.longitude, 53.4466, -2.9885) < 10  # Merseyside, not Cumbria


def test_misspelt_towns_resolve_only_when_fuzzy_matching_is_allowed():
    assert OFFLINE.locate("birkenhed").label == "Birkenhead"
    with pytest.raises(LocationError):
        OFFLINE.locate("health", fuzzy=False)


@pytest.mark.parametrize("text", ["ZZ9 9ZZ", "QQ1", "nowhere-ville", "", "<script>alert(1)</script>"])
def test_unknown_or_invalid_places_get_a_reason_to_show(text: str):
    with pytest.raises(LocationError) as err:
        OFFLINE.locate(text)
    assert "postcode" in err.value.reason or "place" in err.value.reason


def test_distances_are_great_circle_kilometres():
    assert round(haversine_km(0, 0, 1, 0), 1) == 111.2  # one degree along a meridian
    assert round(haversine_km(0, 0, 0, 180)) == round(3.14159265 * 6371.0088)  # half way round
    assert haversine_km(53.4, -3.0, 51.5, -0.1) == haversine_km(51.5, -0.1, 53.4, -3.0)


def test_the_district_table_covers_the_uk():
    districts = Districts.load()
    assert len(districts.by_code) > 2800
    assert {"L3", "E8", "CH41", "WA10", "G2", "CF10", "BT1"} <= set(districts.by_code)


def test_a_postcode_api_sharpens_a_full_postcode_and_caches_it():
    with serve_fake_apis() as apis:
        locator = Locator(client=PostcodeClient(apis.url))
        place = locator.locate("L3 4AF")
        assert place.precise and (place.latitude, place.longitude) == (53.40781, -2.97964)
        assert place.label == "L3"
        locator.locate("l3 4af")
        assert len(apis.requests) == 1  # the second answer came from the cache


def test_a_postcode_the_api_does_not_know_is_refused():
    with serve_fake_apis() as apis, pytest.raises(LocationError):
        Locator(client=PostcodeClient(apis.url)).locate("L3 9QQ")


@pytest.mark.parametrize("failure", [["500", "500"], ["slow", "slow"]])
def test_when_the_postcode_api_fails_the_district_centroid_is_used(failure: list[str]):
    with serve_fake_apis() as apis:
        apis.plan["/postcodes"] = list(failure)
        place = Locator(client=PostcodeClient(apis.url, timeout=0.5, retries=1)).locate("L3 4AF")
        assert not place.precise and place.label == "L3"
        assert len(apis.requests) == 2  # one retry


def test_a_postcode_api_that_is_down_falls_back_too():
    client = PostcodeClient("http://127.0.0.1:9", timeout=0.5, retries=0)
    assert Locator(client=client).locate("E8 1DY").label == "E8"
