"""End to end over the REST channel: opportunities near the school, with no network (offline postcode
table, local listings only), and with a real local HTTP server standing in for postcodes.io and Find
an apprenticeship (answering, then failing)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from deploy.launcher import Assistant, running_assistant
from tests.conftest import e2e_catalog, require_model
from tests.fake_apis import FakeApis, serve_fake_apis

pytestmark = pytest.mark.e2e


def _text(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def _sender() -> str:
    return uuid.uuid4().hex


def test_asked_where_then_a_list_nearest_first(servers: Assistant):
    sender = _sender()
    assert "first part of its postcode" in _text(
        servers.say(sender, "is there any work experience in tech near me")
    )
    text = _text(servers.say(sender, "L3 4AF"))
    assert "near L3" in text and "E2E Test Games: Test games studio week" in text and "km away" in text
    narrowed = _text(servers.say(sender, "only apprenticeships"))
    assert "Apprenticeship" in narrowed and "Test games studio week" not in narrowed


def test_the_place_in_the_question_skips_asking(servers: Assistant):
    text = _text(servers.say(_sender(), "any tech apprenticeships in Liverpool?"))
    assert "near Liverpool" in text and "E2E Test Games: Test games apprentice" in text


def test_an_unknown_postcode_gets_another_try(servers: Assistant):
    sender = _sender()
    servers.say(sender, "any work experience near me")
    assert "couldn't find the postcode area ZZ9" in _text(servers.say(sender, "ZZ9 9ZZ"))
    assert "near Hackney" in _text(servers.say(sender, "Hackney"))


def test_only_the_outward_code_is_kept_in_the_conversation_state(servers: Assistant):
    sender = _sender()
    servers.say(sender, "work experience near L3 4AF")
    engine = sa.create_engine(servers.tracker_url, future=True)
    with engine.connect() as conn:
        slots = (
            conn.execute(
                sa.text("select data from events where sender_id = :s and type_name = 'slot'"), {"s": sender}
            )
            .scalars()
            .all()
        )
    assert any('"search_area"' in s and '"L3"' in s for s in slots)
    assert not any("4AF" in s for s in slots)


@pytest.fixture(scope="module")
def with_apis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Assistant, FakeApis]]:
    require_model()
    folder = tmp_path_factory.mktemp("servers_with_apis")
    with serve_fake_apis() as apis:
        env = {
            "DATABASE_URL": e2e_catalog(folder),
            "POSTCODES_API_URL": apis.url,
            "APPRENTICESHIPS_API_URL": apis.url,
            "APPRENTICESHIPS_API_KEY": apis.api_key,
        }
        with running_assistant(folder, env=env) as assistant:
            yield assistant, apis


def test_live_apprenticeships_join_the_list_and_a_failing_api_loses_nothing(
    with_apis: tuple[Assistant, FakeApis],
):
    assistant, apis = with_apis
    text = _text(assistant.say(_sender(), "any apprenticeships near L3 4AF"))
    assert "Fake Test Systems: Software developer apprentice" in text
    assert "E2E Test Games" in text
    assert any(r.startswith("/postcodes/L34AF") for r in apis.requests)
    apis.plan["/vacancy"] = ["500", "500"]
    text = _text(assistant.say(_sender(), "any apprenticeships near L3 4AF"))
    assert "isn't answering right now" in text and "Apprenticeship" in text
