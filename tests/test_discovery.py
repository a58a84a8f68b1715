"""Discovery over the real catalogue: subjects found in what students type, careers ranked for subjects
and interests, interest scores from the quiz and from free text, and the careers plan."""

from __future__ import annotations

import pytest

from careers_catalog import Catalog
from careers_catalog.careers.discovery import DIGITAL, SubjectIndex, asks_for_tech, suggest_careers
from careers_catalog.careers.interests import LOVE, NOT_FOR_ME, OK, load_interests
from careers_catalog.careers.plan import build_plan, plan_path

INTERESTS = load_interests()


@pytest.fixture(scope="module")
def subjects(catalog: Catalog) -> SubjectIndex:
    return SubjectIndex(catalog.subject_names())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what jobs can I get with maths", ["Maths"]),
        (
            "i do comp sci, DT and further maths",
            ["Computer Science", "Design and Technology", "Further Maths"],
        ),
        ("I like biology and computers", ["Biology", "Computer Science"]),
        ("im good at eng lit and bilogy", ["English Literature", "Biology"]),
        ("we're doing RE and IT this year", ["Religious Studies", "Computer Science"]),
        ("is it any good, we're not sure", []),
        ("PE and geog", ["Physical Education", "Geography"]),
    ],
)
def test_subjects_are_found_as_students_type_them(subjects: SubjectIndex, text: str, expected: list[str]):
    assert subjects.find_in_text(text) == expected


def test_every_subject_leads_to_careers(catalog: Catalog):
    careers = catalog.summaries()
    for subject in catalog.subject_names():
        found = suggest_careers(careers, INTERESTS, [subject], limit=6)
        assert len(found) >= 2, f"{subject} leads to {len(found)} careers"
        assert all(subject in s.subjects_matched for s in found[:2])
        assert all(s.reasons and subject in s.reasons[0] for s in found[:2])


def test_careers_using_every_named_subject_come_first(catalog: Catalog):
    found = suggest_careers(catalog.summaries(), INTERESTS, ["Biology", "Computer Science"], limit=6)
    assert found[0].career.id == "bioinformatician"
    assert set(found[0].subjects_matched) == {"Biology", "Computer Science"}
    scores = [s.score for s in found]
    assert scores == sorted(scores, reverse=True)


def test_a_subject_list_always_shows_some_tech_and_a_mix_of_sectors(catalog: Catalog):
    found = suggest_careers(catalog.summaries(), INTERESTS, ["English Language"], limit=6)
    sectors = [s.career.sector for s in found]
    assert sectors.count(DIGITAL) >= 2
    assert max(sectors.count(x) for x in sectors) <= 3


def test_tech_only_keeps_to_digital_careers(catalog: Catalog):
    assert asks_for_tech("I'm into art, are there tech jobs for creative people?")
    assert not asks_for_tech("what jobs can I get with maths")
    found = suggest_careers(catalog.summaries(), INTERESTS, ["Art and Design"], sector=DIGITAL, limit=6)
    assert found and {s.career.sector for s in found} == {DIGITAL}
    assert {"game-artist", "ui-designer"} & {s.career.id for s in found}


def test_free_text_likes_score_interests_and_dislikes_count_against():
    scores = INTERESTS.from_text("I like solving puzzles and building things")
    assert scores["I"] == 1.0 and scores["R"] == 1.0 and scores["S"] == 0.0
    scores = INTERESTS.from_text("i love drawing but i hate maths")
    assert scores["A"] == 1.0 and scores["I"] == 0.0
    assert INTERESTS.from_text("hello there") is None


def test_quiz_answers_score_interests_and_skips_do_not_count():
    love_hands_on = {i: (LOVE if q.code == "R" else NOT_FOR_ME) for i, q in enumerate(INTERESTS.quiz)}
    scores = INTERESTS.from_quiz(love_hands_on)
    assert scores["R"] == 1.0 and scores["A"] == 0.0
    assert [t.code for t in INTERESTS.strongest(scores)] == ["R"]
    assert INTERESTS.from_quiz(dict.fromkeys(range(len(INTERESTS.quiz)))) is None
    assert INTERESTS.from_quiz({0: OK})["R"] == 0.5


def test_interest_matches_come_with_the_reason(catalog: Catalog):
    scores = INTERESTS.from_text("I like fixing things and building stuff with my hands")
    found = suggest_careers(catalog.summaries(), INTERESTS, (), scores, limit=5)
    assert all(s.career.riasec[0] == "R" for s in found[:3])
    assert all("hands-on" in s.reasons[0] for s in found[:3])


def test_the_quiz_has_about_a_dozen_questions_covering_all_six_types():
    assert 10 <= len(INTERESTS.quiz) <= 12
    assert {q.code for q in INTERESTS.quiz} == set("RIASEC")


def test_a_plan_lists_saved_careers_first_with_shared_subjects_and_next_steps(catalog: Catalog):
    plan = build_plan(catalog, viewed=["nurse", "web-developer", "data-analyst"], saved=["data-analyst"])
    assert [c.id for c in plan.careers] == ["data-analyst", "web-developer", "nurse"]
    assert plan.careers[0].saved and not plan.careers[1].saved
    assert plan.subjects[0].subject == "Maths" and len(plan.subjects[0].careers) >= 2
    assert any("careers adviser" in step for step in plan.next_steps)
    assert build_plan(catalog, ["no-such-career"], []).empty


def test_the_printable_plan_link_holds_career_ids_only():
    assert (
        plan_path(["nurse", "web-developer"], ["nurse"]) == "/plan?careers=nurse%2Cweb-developer&saved=nurse"
    )


def test_role_models_filter_by_group_and_career(catalog: Catalog):
    everyone = catalog.role_models()
    assert len(everyone) >= 30
    women = catalog.role_models({"woman"})
    assert women and all("woman" in p.tags for p in women)
    assert len(women) >= len(everyone) / 2
    tech = catalog.role_models(career_ids={s.id for s in catalog.summaries() if s.sector == DIGITAL})
    assert len(tech) >= 15
    assert all(p.story and p.source and p.source_year for p in everyone)
