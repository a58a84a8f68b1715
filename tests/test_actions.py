"""The custom actions against the real catalogue, as the action server runs them."""

from __future__ import annotations

import pytest

from bot.actions.careers import ActionCareerInfo
from bot.actions.fallback import ASK_A_PERSON, ActionFallback
from bot.actions.handover import NO_ADVISERS, ActionHandover
from careers_catalog import Catalog
from tests.chat import career, run, tracker

pytestmark = pytest.mark.usefixtures("actions_catalog")


def test_overview_describes_the_job_and_offers_next_questions():
    messages, slots = run(
        ActionCareerInfo(),
        tracker("wat does a sofware enginer do", "ask_career_overview", career("sofware enginer")),
    )
    assert messages[0]["text"].startswith("Software developer:")
    assert {b["title"] for b in messages[0]["buttons"]} >= {"Pay", "How to get in"}
    assert slots["career"] == "software-developer" and slots["pending_facet"] is None
    assert slots["careers_viewed"] == ["software-developer"]


def test_pay_gives_the_middle_half_and_median_with_source_and_year(catalog: Catalog):
    messages, _ = run(
        ActionCareerInfo(), tracker("how much does a web developer earn", "ask_pay", career("web developer"))
    )
    text = messages[0]["text"]
    pay = catalog.profile("web-developer").pay
    assert pay.measure == "middle-half"
    assert f"earn between £{pay.low:,} and £{pay.high:,}" in text and f"£{pay.median:,}" in text
    assert "Annual Survey of Hours and Earnings" in text and "2025" in text
    assert "New starters usually start near the lower end" in text


def test_pay_on_a_national_scale_says_where_people_start(catalog: Catalog):
    messages, _ = run(ActionCareerInfo(), tracker("what do nurses get paid", "ask_pay", career("nurse")))
    text = messages[0]["text"]
    assert "start on about £31,049 a year, and can rise to £37,796" in text
    assert "NHS Agenda for Change pay scales 2025/26" in text


def test_pay_says_so_when_no_reliable_figure_is_published(catalog: Catalog):
    messages, _ = run(
        ActionCareerInfo(), tracker("how much do footballers earn", "ask_pay", career("footballer"))
    )
    assert catalog.profile("professional-footballer").pay is None
    assert "I don't have a reliable pay figure" in messages[0]["text"]


def test_the_whole_name_typed_wins_over_the_part_the_nlu_tagged():
    text = "what does a landscape architect do"
    part = [{"entity": "career", "value": "architect", "start": 22, "end": 31}]  # "architect" alone
    _, slots = run(ActionCareerInfo(), tracker(text, "ask_career_overview", part))
    assert slots["career"] == "landscape-architect"
    # A synonym may have turned the part into another career's id: the typed words still decide.
    text = "how much does a visual merchandiser earn"
    part = [{"entity": "career", "value": "retail-merchandiser", "start": 23, "end": 35}]
    _, slots = run(ActionCareerInfo(), tracker(text, "ask_pay", part))
    assert slots["career"] == "visual-merchandiser"
    # Two careers named: each entity is its own career, not the longer name of the other.
    text = "nurse or paramedic"
    messages, _ = run(ActionCareerInfo(), tracker(text, "ask_career_overview", career("nurse")))
    assert messages[0]["careers"] == ["nurse", "paramedic"]


def test_follow_up_question_keeps_the_career_in_context():
    messages, slots = run(
        ActionCareerInfo(),
        tracker("what subjects would help with that?", "ask_subjects", career="data-scientist"),
    )
    assert "data scientist" in messages[0]["text"]
    assert "Maths" in messages[0]["text"]
    assert slots["career"] == "data-scientist"


@pytest.mark.parametrize(
    ("text", "intent", "replies"),
    [
        ("whats the pay like and do i need a degree", "ask_pay", ["pay", "routes_without_degree"]),
        (
            "whats the pay like and do i need a degree",
            "ask_routes_without_degree",
            ["routes_without_degree", "pay"],
        ),
        ("how much do they earn and what hours do they work?", "ask_pay", ["pay", "hours"]),
        ("what a levels do i need to become one", "ask_subjects", ["subjects"]),
        ("can i do an apprenticeship instead of uni", "ask_routes_without_degree", ["routes_without_degree"]),
    ],
)
def test_every_question_in_one_message_is_answered_in_turn(text: str, intent: str, replies: list[str]):
    messages, slots = run(ActionCareerInfo(), tracker(text, intent, career="electrician"))
    assert [m["reply"] for m in messages] == replies
    assert all(m["careers"] == ["electrician"] for m in messages)
    assert slots["career"] == "electrician"


def test_a_place_of_work_gets_its_main_job_and_the_others_as_buttons():
    text = "i'd sell my soul to work at rockstar what would i actually do"
    messages, slots = run(ActionCareerInfo(), tracker(text, "ask_career_overview"))
    assert messages[0]["reply"] == "workplace" and "Rockstar Games" in messages[0]["text"]
    assert "Games designer" in [b["title"] for b in messages[0]["buttons"]]
    assert messages[1]["reply"] == "career_overview" and slots["career"] == "games-developer"
    # The NLU unsure what it was: the fallback still recognises the place.
    messages, slots = run(ActionFallback(), tracker(text, "nlu_fallback"))
    assert [m["reply"] for m in messages] == ["workplace", "career_overview"]


def test_which_one_compares_the_last_two_careers_looked_at():
    viewed = ["doctor", "nurse"]
    messages, _ = run(
        ActionCareerInfo(), tracker("which one has better hours", "ask_hours", careers_viewed=viewed)
    )
    assert messages[0]["reply"] == "compare" and messages[0]["careers"] == viewed


def test_two_careers_and_nothing_else_are_compared():
    t = tracker("nurse and paramedic", "ask_career_overview", career("nurse", "paramedic"))
    messages, _ = run(ActionCareerInfo(), t)
    assert messages[0]["reply"] == "compare" and messages[0]["careers"] == ["nurse", "paramedic"]
    messages, _ = run(
        ActionCareerInfo(), tracker("what do nurses and paramedics do all day", "ask_career_overview")
    )
    assert messages[0]["reply"] == "career_overview"


def test_what_about_asks_the_last_question_about_another_career():
    said = [{"event": "user"}, {"event": "bot", "metadata": {"reply": "pay", "careers": ["nurse"]}}]
    t = tracker("what about midwives", "ask_career_overview", career("midwife"), career="nurse")
    t.events = [*said, {"event": "user"}]
    messages, slots = run(ActionCareerInfo(), t)
    assert messages[0]["reply"] == "pay" and slots["career"] == "midwife"


def test_without_uni_lists_only_non_degree_routes():
    messages, _ = run(
        ActionCareerInfo(),
        tracker(
            "can I become a software developer without going to uni?",
            "ask_routes_without_degree",
            career("software developer"),
        ),
    )
    text = messages[0]["text"]
    assert text.startswith("Yes")
    assert "Apprenticeship (Level" in text
    assert "University degree:" not in text


def test_routes_hours_skills_outlook_and_related_each_answer():
    for intent, needle in [
        ("ask_routes", "Ways to become"),
        ("ask_hours", "hours a week"),
        ("ask_skills", "do well"),
        ("ask_outlook", "outlook"),
        ("ask_related", "might also"),
    ]:
        messages, _ = run(ActionCareerInfo(), tracker("", intent, career="nurse"))
        assert needle in messages[0]["text"], intent
        assert messages[0]["buttons"], intent


def test_question_without_a_career_asks_which_and_then_answers_it():
    messages, slots = run(ActionCareerInfo(), tracker("how much do they earn", "ask_pay"))
    assert "Which career" in messages[0]["text"] and messages[0]["buttons"]
    assert all(b["payload"].startswith("/ask_pay") for b in messages[0]["buttons"])
    assert slots["pending_facet"] == "pay"
    messages, slots = run(
        ActionCareerInfo(), tracker("plumber", "ask_career_overview", career("plumber"), pending_facet="pay")
    )
    assert messages[0]["text"].startswith("Pay for a plumber")
    assert slots["career"] == "plumber" and slots["pending_facet"] is None


def test_an_unclear_career_gets_suggestions_as_buttons():
    messages, slots = run(
        ActionCareerInfo(), tracker("tell me about engineering", "ask_career_overview", career("engineering"))
    )
    assert "Did you mean" in messages[0]["text"]
    assert len(messages[0]["buttons"]) >= 2
    assert all("engineer" in b["title"].lower() for b in messages[0]["buttons"])


def test_markup_in_a_career_name_is_not_echoed():
    messages, _ = run(
        ActionCareerInfo(),
        tracker("<script>alert(1)</script>", "ask_career_overview", career("<script>alert(1)</script>")),
    )
    assert messages and all("<" not in m["text"] for m in messages)
    assert messages[0]["buttons"]


def test_fallback_shows_a_career_it_recognises_in_the_text():
    messages, slots = run(ActionFallback(), tracker("netwrk engineer", "nlu_fallback"))
    assert messages[0]["text"].startswith("Network engineer:")
    assert slots["career"] == "network-engineer"


def test_fallback_otherwise_says_what_it_can_do_with_buttons():
    messages, _ = run(ActionFallback(), tracker("purple monkey dishwasher", "nlu_fallback"))
    assert "careers helper" in messages[0]["text"]
    assert len(messages[0]["buttons"]) == 3


def test_an_off_topic_message_is_told_kindly_what_the_assistant_is_for():
    messages, _ = run(ActionFallback(), tracker("can u do my history homework", "out_of_scope"))
    assert messages[0]["text"].startswith("That's not something I can help with")
    assert messages[0]["reply"] == "out_of_scope"


def test_a_full_question_after_which_career_is_answered_as_asked():
    messages, _ = run(
        ActionCareerInfo(),
        tracker("what does a plumber do", "ask_career_overview", career("plumber"), pending_facet="pay"),
    )
    assert messages[0]["text"].startswith("Plumber:")


def test_the_web_widget_gets_the_overview_as_a_career_card_with_pay_and_buttons():
    t = tracker("what does a plumber do", "ask_career_overview", career("plumber"))
    t.events.append({"event": "user", "text": "what does a plumber do", "input_channel": "widget"})
    messages, slots = run(ActionCareerInfo(), t)
    card = messages[0]["custom"]["card"]
    assert card["title"] == "Plumber" and card["id"] == "plumber"
    assert card["summary"].endswith(".") and "\n" not in card["summary"]
    assert card["pay"].startswith("Pay: £31,656 to £45,451 (the middle half") and "(Source:" in card["pay"]
    assert messages[0]["custom"]["text"]  # what the job is like day to day, under the card
    assert [b["title"] for b in messages[0]["custom"]["buttons"]][0] == "Pay"
    assert slots["career"] == "plumber"
    other = tracker("what does a plumber do", "ask_career_overview", career("plumber"))
    other.events.append({"event": "user", "text": "what does a plumber do", "input_channel": "rest"})
    assert run(ActionCareerInfo(), other)[0][0]["text"].startswith("Plumber: ")


def test_and_uni_after_the_ways_in_without_a_degree_gives_the_ways_in_with_one():
    messages, _ = run(ActionCareerInfo(), tracker("and uni?", "ask_routes_without_degree", career="nurse"))
    assert messages[0]["reply"] == "routes" and "university" in messages[0]["text"].lower()


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("whats the age limit for cabin crew", "routes"),
        ("what options for forensics", "subjects"),
        ("can i do an apprenticeship instead", "routes_without_degree"),
    ],
)
def test_the_words_say_which_question_when_the_intent_is_only_about_the_job(text: str, reply: str):
    messages, _ = run(ActionCareerInfo(), tracker(text, "ask_career_overview", career="architect"))
    assert messages[0]["reply"] == reply


def test_a_student_choosing_between_two_careers_gets_them_side_by_side_whatever_else_they_say():
    text = "im stuck between being an electrician and a plumber, my uncle says plumbing pays better"
    messages, _ = run(ActionCareerInfo(), tracker(text, "ask_pay"))
    assert messages[0]["reply"] == "compare" and set(messages[0]["careers"]) == {"electrician", "plumber"}


def test_jobs_for_what_a_student_likes_are_suggested_not_asked_which_career():
    text = "ok what jobs are there if i like working with animals"
    messages, _ = run(ActionCareerInfo(), tracker(text, "ask_related"))
    assert messages[0]["reply"] == "careers_for_interests"
    messages, _ = run(ActionFallback(), tracker("i like gaming", "nlu_fallback"))
    assert messages[0]["reply"] == "careers_for_interests"
    assert any("game" in b["title"].lower() for b in messages[0]["buttons"])


def test_an_unclear_question_about_the_career_in_focus_is_answered_for_it():
    messages, _ = run(
        ActionFallback(), tracker("can i do an apprenticeship instead", "nlu_fallback", career="architect")
    )
    assert messages[0]["reply"] == "routes_without_degree" and messages[0]["careers"] == ["architect"]
    # Without a career in focus, the same words get the assistant's usual help.
    messages, _ = run(ActionFallback(), tracker("can i do an apprenticeship instead", "nlu_fallback"))
    assert messages[0]["reply"] in {"fallback", "did_you_mean"}


def test_a_career_named_in_a_message_answered_as_something_else_stays_in_focus():
    t = tracker("how do i become one then", "ask_routes")
    named = {"entities": [{"entity": "career", "value": "electrician"}]}
    t.events = [{"event": "user", "parse_data": named}, {"event": "bot"}, {"event": "user"}]
    messages, slots = run(ActionCareerInfo(), t)
    assert messages[0]["reply"] == "routes" and slots["career"] == "electrician"


def test_pay_on_an_apprenticeship_gives_the_apprentice_rate_in_force_with_its_source():
    messages, _ = run(ActionCareerInfo(), tracker("how much do apprentice electricians get paid", "ask_pay"))
    assert [m["reply"] for m in messages] == ["pay", "pay"]
    assert "£8.00 an hour from 1 April 2026" in messages[1]["text"] and "GOV.UK" in messages[1]["text"]
    # "On an apprenticeship tho" after the pay: the pay again, for the same career, with the rate.
    said = [{"event": "user"}, {"event": "bot", "metadata": {"reply": "pay", "careers": ["electrician"]}}]
    t = tracker("on an apprenticeship tho", "education", career="electrician")
    t.events = [*said, {"event": "user"}]
    messages, _ = run(ActionCareerInfo(), t)
    assert [m["reply"] for m in messages] == ["pay", "pay"] and "apprentice rate" in messages[1]["text"]


def _at_school(t, school: str, *earlier_replies: str):
    """The tracker's message sent from ``school``'s chat, after the assistant's ``earlier_replies``."""
    t.latest_message["metadata"] = {"school": school}
    t.events = [{"event": "bot", "text": "...", "metadata": {"reply": r}} for r in earlier_replies]
    return t


def test_asking_for_a_person_signals_the_web_app_or_says_whom_to_ask_in_school():
    messages, _ = run(
        ActionHandover(), _at_school(tracker("can i talk to a human", "ask_for_person"), "demo")
    )
    assert messages == [{**messages[0], "custom": {"signal": "handover"}}] and not messages[0].get(
        "text"
    )  # the web app says what happens next
    messages, _ = run(
        ActionHandover(), _at_school(tracker("can i talk to a human", "ask_for_person"), "nowhere")
    )
    assert messages[0]["text"] == NO_ADVISERS and not messages[0].get("custom")


def test_the_second_time_the_assistant_cannot_help_it_offers_a_person_where_the_school_has_advisers():
    def titles(t) -> list[str]:
        return [b["title"] for b in run(ActionFallback(), t)[0][0]["buttons"]]

    nonsense = "purple monkey dishwasher"
    assert ASK_A_PERSON not in titles(_at_school(tracker(nonsense, "nlu_fallback"), "demo"))
    assert ASK_A_PERSON in titles(_at_school(tracker(nonsense, "nlu_fallback"), "demo", "fallback"))
    # An off-topic question it could not help with counts too.
    assert ASK_A_PERSON in titles(
        _at_school(tracker("who won the match", "out_of_scope"), "demo", "out_of_scope")
    )
    # Not again straight after the offer, nor where nobody takes chats.
    assert ASK_A_PERSON not in titles(
        _at_school(tracker(nonsense, "nlu_fallback"), "demo", "fallback", "fallback_offer")
    )
    assert ASK_A_PERSON not in titles(_at_school(tracker(nonsense, "nlu_fallback"), "nowhere", "fallback"))
