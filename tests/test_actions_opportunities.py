"""The opportunities action against the real catalogue's sample listings (on a fixed date)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.actions import opportunities
from bot.actions.fallback import ActionFallback
from bot.actions.opportunities import ActionFindOpportunities
from careers_catalog import Catalog
from careers_catalog.opportunities.search import OpportunityFinder
from tests.chat import entity, run, tracker


@pytest.fixture(autouse=True)
def fixed_date_finder(actions_catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    finder = OpportunityFinder(actions_catalog.engine, today=lambda: dt.date(2026, 11, 23))
    monkeypatch.setattr(opportunities, "finder", lambda: finder)


def _bullets(message: dict) -> list[str]:
    return [line for line in message["text"].splitlines() if line.startswith("•")]


def test_asks_where_then_lists_nearest_first_and_keeps_only_the_outward_code():
    messages, slots = run(
        ActionFindOpportunities(),
        tracker("is there any work experience in tech near me", "find_opportunities"),
    )
    assert "town or the first part of its postcode" in messages[0]["text"]
    assert slots["awaiting_location"] is True and slots["opportunity_kinds"] == ["work_experience"]
    messages, slots = run(
        ActionFindOpportunities(),
        tracker(
            "L3 4AF",
            "give_location",
            entity("location", "L3 4AF"),
            awaiting_location=True,
            **{"opportunity_kinds": ["work_experience"], "opportunity_areas": ["digital"]},
        ),
    )
    text = messages[0]["text"]
    assert text.startswith("Work experience in tech near L3")
    lines = _bullets(messages[0])
    assert lines and all("Work experience" in line and "km away" in line for line in lines)
    distances = [float(line.split(" km away")[0].rsplit(", ", 1)[1]) for line in lines]
    assert distances == sorted(distances)
    assert "(Sample listing.)" in text and "careers lead" in text
    assert slots["search_area"] == "L3" and slots["awaiting_location"] is False


def test_the_place_in_the_first_message_skips_the_question():
    messages, slots = run(
        ActionFindOpportunities(), tracker("any tech apprenticeships in Liverpool?", "find_opportunities")
    )
    assert messages[0]["text"].startswith("Apprenticeship in tech near Liverpool")
    assert all("Apprenticeship" in line for line in _bullets(messages[0]))
    assert slots["search_area"] == "Liverpool"


def test_a_home_address_is_never_where_to_search():
    text = "i live at 12 elm road, where can i get work experience"
    located = [{"entity": "location", "value": "elm", "start": 13, "end": 16}]
    messages, slots = run(ActionFindOpportunities(), tracker(text, "find_opportunities", located))
    assert messages[0]["reply"] == "ask_location" and slots["awaiting_location"] is True


def test_filters_and_more_work_on_the_last_search():
    area = {"search_area": "Hackney"}
    messages, slots = run(
        ActionFindOpportunities(), tracker("only apprenticeships", "filter_opportunities", **area)
    )
    assert all("Apprenticeship" in line for line in _bullets(messages[0]))
    first = run(ActionFindOpportunities(), tracker("placements in Hackney", "find_opportunities"))[0][0]
    more, slots = run(
        ActionFindOpportunities(),
        tracker("/filter_opportunities", "filter_opportunities", entity("page", "next"), **area),
    )
    assert slots["opportunity_offset"] == 5
    assert set(_bullets(first)).isdisjoint(_bullets(more[0]))


def test_an_unknown_postcode_gets_a_clear_answer_and_another_try():
    messages, slots = run(
        ActionFindOpportunities(),
        tracker("ZZ9 9ZZ", "give_location", entity("location", "ZZ9 9ZZ"), awaiting_location=True),
    )
    assert "couldn't find the postcode area ZZ9" in messages[0]["text"]
    assert "town or the first part" in messages[0]["text"] and slots["awaiting_location"] is True


def test_far_from_any_listing_the_search_widens_or_offers_national_programmes():
    messages, _ = run(
        ActionFindOpportunities(), tracker("work experience in Manchester", "find_opportunities")
    )
    assert messages[0]["text"].startswith("Nothing within 10 km of Manchester, so I looked up to")
    messages, _ = run(ActionFindOpportunities(), tracker("any talks near Inverness", "find_opportunities"))
    assert "national and online programmes" in messages[0]["text"] and "https://" in messages[0]["text"]


def test_a_place_the_nlu_missed_is_still_taken_as_the_answer():
    messages, slots = run(ActionFallback(), tracker("CH41 4DQ", "nlu_fallback", awaiting_location=True))
    assert "near CH41" in messages[0]["text"] and slots["search_area"] == "CH41"


def test_markup_in_a_place_is_not_echoed():
    messages, _ = run(
        ActionFindOpportunities(),
        tracker(
            "<b>Liverpool</b>",
            "give_location",
            entity("location", "<script>x</script>"),
            awaiting_location=True,
        ),
    )
    assert "<" not in messages[0]["text"]


def test_an_unknown_postcode_the_nlu_missed_gets_the_precise_answer():
    messages, slots = run(ActionFallback(), tracker("ZZ9 9ZZ", "nlu_fallback", awaiting_location=True))
    assert "couldn't find the postcode area ZZ9" in messages[0]["text"] and slots["awaiting_location"] is True
