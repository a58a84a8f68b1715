"""Property-based tests (hypothesis) of everything that reads what a student types: postcodes and
places, subjects, quiz answers, opportunity kinds and areas, the chat API's cleaning and lesson fields,
and the redaction of personal data. Whatever arrives, each answers within its contract and never raises
anything else."""

from __future__ import annotations

import json
import string
import unicodedata
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from bot.actions.quiz import CHOICES, answer_value
from careers_catalog import Catalog
from careers_catalog.careers.discovery import SubjectIndex
from careers_catalog.careers.interests import ANSWER_VALUES
from careers_catalog.data_rules import CatalogDataError
from careers_catalog.geo import Districts, LocationError, Locator
from careers_catalog.opportunities.importer import CSV_COLUMNS, read_opportunities_csv
from careers_catalog.opportunities.search import areas_in, kinds_in
from privacy.redaction import redact
from settings import Config
from settings.schools import origin_of
from web.app import create_app
from web.chat import clean_message, lesson_metadata
from web.lessons import lesson_activity, lesson_topics

DISTRICTS = Districts.load()
LOCATOR = Locator(DISTRICTS, client=None)  # offline: the district table only
words = st.text(alphabet=string.ascii_lowercase + " ", max_size=40)
anything = st.text(max_size=300)
inward = st.from_regex(r"\A[0-9][ABD-HJLNP-UW-Z]{2}\Z")


@settings(max_examples=400, deadline=None)
@given(anything)
def test_any_text_is_a_place_or_a_reason_to_show(text: str):
    try:
        place = LOCATOR.locate(text)
    except LocationError as problem:
        assert str(problem).endswith("?")
    else:
        assert place.label and -90 <= place.latitude <= 90 and -180 <= place.longitude <= 180


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["L3", "E8", "M13", "B1", "CF10", "EH1", "BT1", "LS6", "SW1A", "N16"]),
    inward,
    words,
    words,
)
def test_a_full_postcode_anywhere_in_a_message_is_found_by_its_area(area, inward_code, before, after):
    for written in (f"{area} {inward_code}", f"{area}{inward_code}".lower()):
        place = LOCATOR.locate(f"{before} {written} {after}")
        assert place.label == area


@pytest.fixture(scope="module")
def subjects(catalog: Catalog) -> SubjectIndex:
    return SubjectIndex(catalog.subject_names())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["Biology", "Chemistry", "Geography", "History", "Music", "Drama"]), words, words)
def test_a_subject_named_in_any_sentence_is_found(subjects: SubjectIndex, name, before, after):
    assume(not before.rstrip().endswith(("further", "a", "as", "gcse")))
    found = subjects.find_in_text(f"{before} {name.lower()} {after}")
    assert name in found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(anything)
def test_subjects_found_in_any_text_are_always_real_subjects(subjects: SubjectIndex, text: str):
    found = subjects.find_in_text(text)
    assert all(subjects.resolve(name) == name for name in found)


@settings(max_examples=400, deadline=None)
@given(anything, st.one_of(st.none(), st.sampled_from(sorted(CHOICES)), st.text(max_size=10)))
def test_a_quiz_answer_is_understood_or_not_never_an_error(text, choice):
    understood, value = answer_value(text, choice)
    assert value in (*ANSWER_VALUES, None)
    if choice in CHOICES:
        assert understood and value == CHOICES[choice]


@settings(max_examples=300, deadline=None)
@given(anything)
def test_opportunity_kinds_and_areas_come_from_their_lists(text):
    assert isinstance(kinds_in(text), set) and isinstance(areas_in(text), set)
    assert kinds_in(text) == kinds_in(text.upper().lower())


@settings(max_examples=500, deadline=None)
@given(st.one_of(anything, st.integers(), st.none(), st.lists(st.text(max_size=5))))
def test_cleaning_leaves_no_control_characters_and_never_adds_anything(sent):
    cleaned = clean_message(sent)
    if cleaned is None:
        return
    assert cleaned == cleaned.strip() and len(cleaned) <= len(sent)
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in cleaned)
    assert "  " not in cleaned


@settings(max_examples=500, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["class_code", "topic", "year_group", "preview", "name", "email"]),
        st.one_of(st.text(max_size=30), st.integers(-5, 20), st.booleans(), st.none()),
    )
)
def test_only_well_formed_lesson_fields_are_passed_on(lesson):
    topics = lesson_topics(["Maths", "Biology"])
    kept = lesson_metadata(lesson, topics)
    assert set(kept) <= {"class_code", "topic", "year_group", "preview"}
    if "year_group" in kept:
        assert 7 <= kept["year_group"] <= 13
    if "topic" in kept:
        assert kept["topic"] in topics
    if "preview" in kept:
        assert kept["preview"] is True


@settings(max_examples=500, deadline=None)
@given(anything)
def test_redaction_is_stable_and_never_grows_a_message_much(text):
    once = redact(text)
    assert redact(once) == once
    assert len(once) <= len(text) + 20 * once.count("[")


phone = st.from_regex(r"\A07[0-9]{3} ?[0-9]{6}\Z")
email = st.from_regex(r"\A[a-z][a-z0-9.]{1,10}@[a-z]{2,10}\.(com|co\.uk|org)\Z")


@settings(max_examples=300, deadline=None)
@given(words, st.one_of(phone, email), words)
def test_a_phone_number_or_email_anywhere_is_taken_out(before, personal, after):
    stored = redact(f"{before} {personal} {after}")
    assert personal not in stored
    assert "[phone]" in stored or "[email]" in stored


@settings(max_examples=300, deadline=None)
@given(words, st.sampled_from(["L3", "E8", "M13", "SW1A"]), inward, words)
def test_a_full_postcode_keeps_only_its_area(before, area, inward_code, after):
    stored = redact(f"{before} {area} {inward_code} {after}")
    assert f"{area} [postcode]" in stored and inward_code not in stored.split()


# --- everything else that reads what arrives from outside (issue H): never an error but its own ------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
urlish = st.one_of(
    anything,
    st.builds(
        "{}://{}{}{}".format,
        st.sampled_from(["http", "https", "ftp", "javascript", ""]),
        st.text(alphabet=string.ascii_letters + string.digits + ".-[]:@%", max_size=25),
        st.one_of(
            st.just(""), st.integers(-5, 10**7).map(lambda p: f":{p}"), st.text(max_size=6).map(":".__add__)
        ),
        st.text(max_size=10),
    ),
)


@settings(max_examples=600, deadline=None)
@given(urlish)
def test_an_origin_is_normalised_or_refused_never_an_error(url):
    origin = origin_of(url)
    assert origin is None or (origin.startswith(("http://", "https://")) and origin == origin.lower())


@settings(max_examples=500, deadline=None)
@given(json_values)
def test_any_json_as_lesson_fields_is_kept_only_where_well_formed(lesson):
    kept = lesson_metadata(lesson, lesson_topics(["Maths"]))
    assert set(kept) <= {"class_code", "topic", "year_group", "preview"}
    assert all(isinstance(v, (str, int)) for v in kept.values())


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["topic", "activity", "sig"]), anything))
def test_a_lesson_link_shows_a_known_activity_or_none(query):
    topics = lesson_topics(["Maths"])
    shown_activity = lesson_activity(topics, "demo", query, b"k" * 32)
    every = {a for t in topics.values() for a in t.activities}
    assert shown_activity == "" or shown_activity in every


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000) | anything.map(lambda t: ",".join(CSV_COLUMNS) + "\n" + t))
def test_any_opportunities_file_loads_or_is_refused_with_reasons(content):
    try:
        rows = read_opportunities_csv(content, "upload.csv", DISTRICTS)
    except CatalogDataError as refused:
        assert refused.problems and all(p.startswith("upload.csv") for p in refused.problems)
    else:
        assert rows


@pytest.fixture(scope="module")
def chat_app(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[TestClient]:
    """The web app in this process, its Rasa an address where nothing answers."""
    folder = tmp_path_factory.mktemp("chat_app")
    config = Config(rasa_url="http://127.0.0.1:9", tracker_database_url=f"sqlite:///{folder / 't.db'}")
    app = create_app(config, catalog=catalog)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    json_values,
    json_values,
    st.sampled_from(
        [None, "https://evil.example", "http://[::1", "null", "http://localhost:8000.evil.example"]
    ),
)
def test_no_chat_request_gets_a_500(chat_app: TestClient, message, lesson, origin):
    body = {"sender": uuid.uuid4().hex, "message": message, "lesson": lesson}
    headers = {"Origin": origin} if origin else {}
    reply = chat_app.post("/api/chat/demo", content=json.dumps(body), headers=headers)
    assert reply.status_code != 500 and isinstance(reply.json(), dict)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_no_chat_body_whatever_its_bytes_gets_a_500(chat_app: TestClient, body: bytes):
    reply = chat_app.post("/api/chat/demo", content=body)
    assert reply.status_code in (400, 413, 429)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["topic", "activity", "class", "year", "preview", "sig"]), anything))
def test_no_lesson_link_gets_a_500(chat_app: TestClient, query):
    reply = chat_app.get("/lesson/demo", params=query)
    assert reply.status_code == 200 and reply.text.count("<script") == 1  # the widget's, nothing injected
