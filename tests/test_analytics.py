"""The analytics behind the dashboard, on SQLite and PostgreSQL: turns derived from Rasa's events (once,
incrementally), the figures advisers see, what each role may see, and dashboard accounts."""

from __future__ import annotations

import io
import time

import pytest
import sqlalchemy as sa
import yaml

from analytics import accounts, evidence, handover, queries, readiness, retention
from analytics.__main__ import main as analytics_command
from analytics.accounts import AccountError, Scope
from analytics.models import Conversation, Fact, Review, SyncState, Turn
from analytics.sync import VERSION_ROW, conversations_engine, sync_turns
from tests.conversations import DAY, Ask, History

ADMIN = Scope(None, None)
OCTOBER = queries.Filters("2026-10-01", "2026-10-31")


@pytest.fixture
def engine(database_url):
    engine = conversations_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def school_history(engine) -> History:
    """Two schools; at Demo, class 9X in a maths lesson and a student on her own; a teacher's preview."""
    h = History(engine)
    lesson = {"school": "demo", "class_code": "9X", "topic": "subject:Maths", "year_group": 9}
    h.add(
        "student-a",
        [
            Ask(
                "what jobs use maths",
                "ask_careers_for_subjects",
                "action_suggest_careers",
                subjects=("maths", "computer sceince", "nurse"),  # as tagged: a misspelling, a career
            ),
            Ask("what does a data scientist do", "ask_career_overview", career="data-scientist"),
            Ask("how much do they earn", "ask_pay", career="data-scientist"),
        ],
        **lesson,
    )
    h.add(
        "student-b",
        [Ask("can i get paid to play minecraft", "nlu_fallback", "action_fallback", confidence=0.2)],
        **lesson,
    )
    h.add("student-b", [Ask("how do i become a vet", "ask_routes", career="vet")], at=DAY + 86400, **lesson)
    h.add(
        "student-c",
        [Ask("any work experience near L3", "find_opportunities", "action_find_opportunities")],
        school="demo",
    )
    h.add(
        "teacher-preview",
        [Ask("what does a vet do", "ask_career_overview", career="vet")],
        preview=True,
        **lesson,
    )
    h.add(
        "student-d",
        [Ask("i have no idea", "start_quiz", "interest_quiz_form", riasec="IA")],
        school="riverside",
    )
    h.write()
    sync_turns(engine)
    return h


def test_turns_are_derived_once_and_later_events_add_to_them(engine):
    h = History(engine)
    h.add(
        "s1", [Ask("what does a vet do", "ask_career_overview", career="vet")], school="demo", class_code="9X"
    )
    h.write()
    assert sync_turns(engine) == 1
    assert sync_turns(engine) == 0  # nothing new: nothing changes
    h.add("s1", [Ask("blah blah wibble", "nlu_fallback", "action_fallback", confidence=0.1)], school="demo")
    h.write()
    assert sync_turns(engine) == 1
    with engine.connect() as conn:
        turns = conn.execute(sa.select(Turn).order_by(Turn.id)).all()
        conversations = conn.execute(sa.select(Conversation).order_by(Conversation.id)).all()
        facts = set(conn.execute(sa.select(Fact.kind, Fact.value)).all())
    first, second = turns
    assert (first.school, first.class_code, first.career, first.action) == (
        "demo",
        "9X",
        "vet",
        "action_career_info",
    )
    assert first.answered and not first.needs_review and first.topic == "what a job is like"
    assert not second.answered and second.needs_review and second.topic == "not understood"
    assert [(c.messages, c.unanswered) for c in conversations] == [(1, 0), (1, 1)]
    assert {("career", "vet"), ("topic", "what a job is like"), ("intent", "nlu_fallback")} <= facts


def test_a_turn_whose_events_span_two_batches_still_gets_its_answer_and_career(engine):
    h = History(engine)
    h.add(
        "s1",
        [
            Ask("what does a nurse do", "ask_career_overview", career="nurse"),
            Ask("pay?", "ask_pay", career="nurse"),
        ],
    )
    h.write()
    sync_turns(engine, batch_size=3)  # every turn's events are cut across batches
    with engine.connect() as conn:
        turns = conn.execute(sa.select(Turn.action, Turn.career).order_by(Turn.id)).all()
        conversation = conn.execute(sa.select(Conversation.messages)).scalar_one()
    assert turns == [("action_career_info", "nurse"), ("action_career_info", "nurse")]
    assert conversation == 2


def test_overview_counts_conversations_students_and_answers_and_leaves_out_previews(engine, school_history):
    figures = queries.overview(engine, OCTOBER, ADMIN)
    assert figures["conversations"] == 5 and figures["students"] == 4 and figures["messages"] == 7
    assert figures["returning_students"] == 1  # student b came back the next day
    assert figures["answered_share"] == round(6 / 7, 3)
    # Every day of the month is a bar, so that two days of chats read as two days, not as the whole month.
    by_day = figures["by_day"]
    assert len(by_day) == 31 and (by_day[0]["day"], by_day[-1]["day"]) == ("2026-10-01", "2026-10-31")
    assert [d["day"] for d in by_day if d["conversations"]] == ["2026-10-05", "2026-10-06"]
    assert by_day[6] == {"day": "2026-10-07", "conversations": 0, "students": 0, "messages": 0}
    outside = queries.overview(engine, queries.Filters("2026-11-01", "2026-11-30"), ADMIN)
    assert outside["messages"] == 0 and outside["answered_share"] is None


def test_each_role_sees_only_its_schools_or_classes(engine, school_history):
    adviser = Scope(frozenset({"riverside"}), None)
    teacher = Scope(frozenset({"demo"}), frozenset({"9X"}))
    assert queries.overview(engine, OCTOBER, adviser)["students"] == 1
    assert queries.overview(engine, OCTOBER, teacher)["students"] == 2  # a and b, in class 9X
    assert {r["class_code"] for r in queries.conversations(engine, OCTOBER, teacher)} == {"9X"}
    student_c = next(
        r
        for r in queries.conversations(engine, OCTOBER, ADMIN)
        if r["class_code"] is None and r["school"] == "demo"
    )
    assert queries.conversation(engine, student_c["conversation_id"], teacher) is None
    assert queries.conversation(engine, student_c["conversation_id"], adviser) is None
    assert queries.conversation(engine, student_c["conversation_id"], ADMIN) is not None


def test_what_students_ask_about_counts_students_per_career_subject_topic_and_quiz(engine, school_history):
    asked = queries.asks(engine, OCTOBER, ADMIN)
    assert asked["careers"] == [("data-scientist", 1), ("vet", 1)]  # the teacher's preview is not counted
    # Subjects by the catalogue's names ("computer sceince" is Computer Science), and only school subjects.
    assert asked["subjects"] == [("Computer Science", 1), ("Maths", 1)]
    assert ("pay", 1) in asked["topics"] and ("not understood", 1) in asked["topics"]
    assert asked["riasec"] == [("I", 1)]
    assert asked["opportunity_students"] == 1 and asked["opportunity_searches"] == 1


def test_unanswered_messages_are_grouped_and_export_as_nlu_training_data(engine):
    h = History(engine)
    for n, text in enumerate(["how do i become a youtuber", "How do I become a YouTuber??", "asdfghjkl"]):
        h.add(f"s{n}", [Ask(text, "nlu_fallback", "action_fallback", confidence=0.2)], school="demo")
    h.add("s9", [Ask("/ask_pay", "ask_pay", confidence=0.3)], school="demo")  # a button, never listed
    h.add("s8", [Ask("wat r apprenticeships", "education", "utter_education", confidence=0.5)], school="demo")
    h.write()
    sync_turns(engine)
    groups = queries.unanswered(engine, OCTOBER, ADMIN)
    assert [g.count for g in groups] == [2, 1, 1]
    assert {g.example for g in groups[1:]} == {"asdfghjkl", "wat r apprenticeships"}  # unsure counts too
    exported = yaml.safe_load(queries.nlu_training_data(groups))
    assert exported["version"] == "3.1"
    assert exported["nlu"][0]["intent"] == "review_001"
    assert "How do I become a YouTuber??" in exported["nlu"][0]["examples"]


def test_a_conversation_reads_in_order_and_keeps_its_review(engine, school_history):
    row = next(r for r in queries.conversations(engine, OCTOBER, ADMIN) if r["messages"] == 3)
    found = queries.conversation(engine, row["conversation_id"], ADMIN)
    assert [m["from"] for m in found["messages"]] == ["student", "assistant"] * 3
    assert found["messages"][0]["text"] == "what jobs use maths"
    assert row["student"] == found["student"] and len(found["student"]) == 8 and "student-a" not in str(found)
    queries.save_review(engine, row["conversation_id"], True, "Asked good follow-ups.", "adviser1")
    again = queries.conversation(engine, row["conversation_id"], ADMIN)
    assert again["reviewed"] and again["note"] == "Asked good follow-ups."
    assert [r["conversation_id"] for r in queries.conversations(engine, OCTOBER, ADMIN, flag="reviewed")] == [
        row["conversation_id"]
    ]
    assert len(queries.conversations(engine, OCTOBER, ADMIN, flag="unanswered")) == 1
    # The teacher's preview is listed too, marked as one: only counts of use leave it out.
    vet = queries.conversations(engine, OCTOBER, ADMIN, career="vet")
    assert sorted(r["preview"] for r in vet) == [False, True]
    # Each row says how it began and which careers it looked at; topics go by their plain names.
    assert (row["first_message"], row["careers"]) == ("what jobs use maths", ["data-scientist"])
    assert [r["conversation_id"] for r in queries.conversations(engine, OCTOBER, ADMIN, topic="pay")] == [
        row["conversation_id"]
    ]
    assert row["started"] == "2026-10-05 11:00"  # 10:00 UTC is 11:00 in British Summer Time


def test_the_conversation_list_flags_a_risk_only_for_those_who_may_see_it(engine):
    h = History(engine)
    risky = Ask("someone keeps asking me to meet up", "safeguarding_concern", "action_safeguarding")
    risky.risk = "adult_contact"
    h.add("student-r", [risky, Ask("what does a vet do", "ask_career_overview", career="vet")], school="demo")
    h.write()
    sync_turns(engine)
    (adviser_row,) = queries.conversations(engine, OCTOBER, ADMIN)
    (lead_row,) = queries.conversations(engine, OCTOBER, ADMIN, show_risk=True)
    assert (adviser_row["risk"], adviser_row["first_message"]) == (False, queries.WITHHELD)
    assert (lead_row["risk"], lead_row["first_message"]) == (True, "someone keeps asking me to meet up")


def test_gatsby_evidence_per_class(engine, school_history):
    (row,) = queries.gatsby(engine, OCTOBER, ADMIN)  # only class 9X had lessons
    assert (row["school"], row["class_code"], row["students"]) == ("demo", "9X", 2)
    assert (row["b2_students"], row["b2_questions"], row["b2_careers"]) == (2, 3, 2)
    assert (row["b4_students"], row["b4_questions"]) == (1, 1)
    assert row["b5_students"] == 0


def test_accounts_hash_passwords_check_them_and_expire_sessions(engine):
    adviser = accounts.create_user(engine, "adviser1", "a long enough password", "adviser", ["demo"])
    with engine.connect() as conn:
        stored = conn.execute(sa.text("select password_hash from analytics_users")).scalar_one()
    assert stored.startswith("$argon2") and "a long enough password" not in stored
    assert accounts.authenticate(engine, "adviser1", "a long enough password") == adviser
    assert accounts.authenticate(engine, "adviser1", "wrong password!!") is None
    assert accounts.authenticate(engine, "nobody", "a long enough password") is None
    token, csrf = accounts.start_session(engine, adviser)
    assert accounts.session_account(engine, token) == (adviser, csrf)
    later = time.time() + accounts.SESSION_HOURS * 3600 + 1
    assert accounts.session_account(engine, token, now=later) is None
    accounts.end_session(engine, token)
    assert accounts.session_account(engine, token) is None
    assert adviser.scope == Scope(frozenset({"demo"}), None)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("ab", "a long enough password", "admin"), "username"),
        (("teacher1", "short", "teacher", ["demo"], ["9X"]), "at least 10"),
        (("teacher2", "a long enough password", "teacher", ["demo"]), "class code"),
        (("adviser2", "a long enough password", "adviser"), "school"),
        (("t3", "a long enough password", "teacher", ["demo"], ["<b>"]), "class codes"),
        (("boss", "a long enough password", "overlord"), "role"),
    ],
)
def test_accounts_that_would_not_work_are_refused_with_the_reason(engine, args, says):
    with pytest.raises(AccountError, match=says):
        accounts.create_user(engine, *args)


def test_a_username_is_taken_once(engine):
    accounts.create_user(engine, "admin1", "a long enough password", "admin")
    with pytest.raises(AccountError, match="taken"):
        accounts.create_user(engine, "admin1", "another long password", "admin")


def test_the_first_administrator_is_created_from_the_command_line(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert analytics_command(["create-admin", "head-of-careers", "--password-stdin"]) == 0
    assert "Created administrator head-of-careers" in capsys.readouterr().out
    engine = conversations_engine(url)
    assert accounts.authenticate(engine, "head-of-careers", "a long enough password").role == "admin"
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert analytics_command(["create-admin", "someone-else", "--password-stdin"]) == 1
    assert "at least 10 characters" in capsys.readouterr().err


# --- safeguarding and retention --------------------------------------------------------------------------


def _risky_history(engine) -> History:
    h = History(engine)
    lesson = {"school": "demo", "class_code": "9X", "topic": "subject:Maths", "year_group": 9}
    risky = Ask("my step dad hits me", "safeguarding_concern", "action_safeguarding", confidence=0.5)
    risky.risk = "abuse_home"
    h.add("student-r", [Ask("what does a vet do", "ask_career_overview", career="vet"), risky], **lesson)
    h.add("student-s", [Ask("how much does a nurse earn", "ask_pay", career="nurse")], **lesson)
    h.write()
    sync_turns(engine)
    return h


def test_a_message_that_signalled_risk_is_flagged_for_the_safeguarding_view_only(engine):
    _risky_history(engine)
    flagged = queries.flagged(engine, OCTOBER, ADMIN)
    assert [(r["class_code"], r["risks"], r["risk_messages"]) for r in flagged] == [("9X", "abuse home", 1)]
    # Not among what students ask, not offered for review as "not answered", though understood at 0.5.
    assert "safeguarding" not in {label for label, _ in queries.asks(engine, OCTOBER, ADMIN)["topics"]}
    assert all("hits me" not in m for g in queries.unanswered(engine, OCTOBER, ADMIN) for m in g.messages)
    conversation_id = flagged[0]["conversation_id"]
    teacher = Scope(frozenset({"demo"}), frozenset({"9X"}))
    seen_by_teacher = [m["text"] for m in queries.conversation(engine, conversation_id, teacher)["messages"]]
    assert queries.WITHHELD in seen_by_teacher and "my step dad hits me" not in seen_by_teacher
    seen_by_lead = queries.conversation(engine, conversation_id, Scope(frozenset({"demo"}), None), True)
    assert "my step dad hits me" in [m["text"] for m in seen_by_lead["messages"]]


def test_a_safeguarding_lead_needs_a_school_and_sees_only_theirs(engine):
    with pytest.raises(AccountError, match="school"):
        accounts.create_user(engine, "dsl0", "a long enough password", "safeguarding")
    lead = accounts.create_user(engine, "dsl1", "a long enough password", "safeguarding", ["riverside"])
    _risky_history(engine)
    assert lead.sees_risk and queries.flagged(engine, OCTOBER, lead.scope) == []


def test_chats_older_than_the_retention_period_are_deleted_with_everything_derived(engine):
    h = History(engine)
    h.add("old-chat", [Ask("what does a vet do", "ask_career_overview", career="vet")])
    h.add(
        "new-chat", [Ask("what does a nurse do", "ask_career_overview", career="nurse")], at=DAY + 200 * 86400
    )
    h.write()
    sync_turns(engine)
    old = queries.conversations(engine, OCTOBER, ADMIN)[0]["conversation_id"]
    queries.save_review(engine, old, True, "looked at", "adviser1")
    now = DAY + 13 * 30.5 * 86400  # 13 months after the old chat, 6 after the new one
    assert retention.delete_expired(engine, months=12, now=now) == 1
    with engine.connect() as conn:
        senders = set(conn.execute(sa.text("select distinct sender_id from events")).scalars())
        left = {
            t.__tablename__: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
            for t in (Turn, Conversation, Fact, Review)
        }
    assert senders == {"new-chat"}
    assert (
        left["analytics_reviews"] == 0
        and left["analytics_turns"] == 1
        and left["analytics_conversations"] == 1
    )


def test_one_chat_is_deleted_by_its_id_from_the_command_line(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    engine = conversations_engine(url)
    h = History(engine)
    h.add("chat-to-forget", [Ask("what does a vet do", "ask_career_overview")])
    h.add("chat-to-keep", [Ask("what does a nurse do", "ask_career_overview")])
    h.write()
    sync_turns(engine)
    assert analytics_command(["forget", "chat-to-forget"]) == 0
    assert "Deleted" in capsys.readouterr().out
    with engine.connect() as conn:
        assert set(conn.execute(sa.text("select distinct sender_id from events")).scalars()) == {
            "chat-to-keep"
        }
        assert set(conn.execute(sa.select(Turn.sender_id)).scalars()) == {"chat-to-keep"}
    assert analytics_command(["forget", "chat-to-forget"]) == 1
    assert "No chat with that id" in capsys.readouterr().err
    assert analytics_command(["purge"]) == 0  # nothing older than 12 months here
    assert "Deleted 0 chats older than 12 months" in capsys.readouterr().out


def test_derived_tables_from_an_older_version_are_rebuilt_from_the_events(engine):
    h = History(engine)
    h.add("student-a", [Ask("what does a vet do", "ask_career_overview", career="vet")])
    h.write()
    sync_turns(engine)
    with engine.begin() as conn:  # as an older version made it: no risk column
        conn.execute(sa.text("drop table analytics_turns"))
        conn.execute(sa.text("create table analytics_turns (id integer primary key, sender_id varchar(255))"))
    engine = conversations_engine(str(engine.url))
    sync_turns(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.select(Turn.text, Turn.risk)).all() == [("what does a vet do", None)]


def test_tables_derived_before_a_new_kind_of_fact_are_derived_again_with_it(engine):
    h = History(engine)
    h.add("student-a", [Ask("can i afford uni", "education", "utter_education")])
    h.write()
    sync_turns(engine)
    with engine.begin() as conn:  # as the version before Gatsby 3 and 7 derived them
        conn.execute(sa.delete(Fact).where(Fact.kind.in_(("need", "learning"))))
        conn.execute(sa.update(SyncState).where(SyncState.name == VERSION_ROW).values(last_event_id=1))
    engine = conversations_engine(str(engine.url.render_as_string(hide_password=False)))
    sync_turns(engine)
    with engine.connect() as conn:
        facts = set(conn.execute(sa.select(Fact.kind, Fact.value).where(Fact.kind.in_(("need", "learning")))))
    assert facts == {("need", "money"), ("learning", "university")}


def test_gatsby_3_and_7_count_students_by_year_group_and_term_never_the_words(engine):
    h = History(engine)
    year9 = {"school": "demo", "class_code": "9X", "year_group": 9}
    h.add("a", [Ask("can i afford uni if my parents didnt go", "education", "utter_education")], **year9)
    h.add("b", [Ask("i have dyslexia can i still be a nurse", "ask_routes", career="nurse")], **year9)
    h.add("b", [Ask("what is a t level", "education", "utter_education")], at=DAY + 86400, **year9)
    h.add("c", [Ask("/ask_routes", "ask_routes")], **year9)  # a button: not the student's words
    h.add(
        "d", [Ask("is college better than an apprenticeship", "education", "utter_education")], school="demo"
    )
    spring = DAY + 100 * 86400  # January 2027
    h.add("e", [Ask("how much are uni fees", "education", "utter_education")], at=spring, year_group=11)
    h.write()
    sync_turns(engine)
    found = queries.gatsby_needs_and_learning(engine, queries.Filters("2026-09-01", "2027-08-31"), ADMIN)
    by_year = {y["year_group"]: y for y in found["years"]}
    assert by_year[9]["students"] == 3
    assert by_year[9]["needs"] == {"disability or additional needs": 1, "money": 1, "first in the family": 1}
    assert by_year[9]["learning"] == {
        "college or sixth form": 0,
        "university": 1,
        "T Levels": 1,
        "apprenticeships": 0,
    }
    assert by_year[None]["learning"]["apprenticeships"] == 1 and by_year[11]["needs"]["money"] == 1
    terms = [(t["term"], t["year_group"], t["students"], t["b3"], t["b7"]) for t in found["terms"]]
    assert terms == [
        ("2026/27 autumn", 9, 3, 2, 2),
        ("2026/27 autumn", None, 1, 0, 1),
        ("2026/27 spring", 11, 1, 1, 1),
    ]
    assert evidence.term_of("2027-01-13") == "2026/27 spring"  # as the SQL groups it
    # Over the whole period a student counts once, though student b chatted on two days.
    assert found["totals"] == {"students": 5, "b2": 2, "b3": 3, "b4": 0, "b5": 0, "b7": 4}
    with engine.connect() as conn:
        kept = conn.execute(sa.select(Fact.value).where(Fact.kind.in_(("need", "learning")))).scalars().all()
    assert "dyslexia" not in " ".join(kept) and set(kept) <= set(
        evidence.kinds_of("need") + evidence.kinds_of("learning")
    )


def test_readiness_shows_a_class_average_and_its_change_only_from_enough_answers(engine):
    lesson = {"class_code": "9X", "topic": "tech", "year_group": 9}
    for rating in (2, 2, 3, 3, 2):
        readiness.record(engine, "demo", lesson, "start", {"jobs": rating, "next_step": 1}, day="2026-10-05")
    for rating in (4, 4, 3, 5, 4, 4):
        readiness.record(engine, "demo", lesson, "end", {"jobs": rating}, day="2026-10-06")
    readiness.record(engine, "demo", {"class_code": "10Y"}, "start", {"jobs": 5}, day="2026-10-05")
    readiness.record(engine, "riverside", {"class_code": "7A"}, "start", {"jobs": 1}, day="2026-10-05")
    adviser = Scope(frozenset({"demo"}), None)
    by_class = {c["class_code"]: c for c in queries.readiness_change(engine, OCTOBER, adviser)}
    assert set(by_class) == {"9X", "10Y"}  # not another school's class
    jobs = next(s for s in by_class["9X"]["statements"] if s["item"] == "jobs")
    assert (jobs["start_answers"], jobs["start"], jobs["end_answers"], jobs["end"], jobs["change"]) == (
        5,
        2.4,
        6,
        4.0,
        1.6,
    )
    next_step = next(s for s in by_class["9X"]["statements"] if s["item"] == "next_step")
    assert (next_step["start"], next_step["end"], next_step["change"]) == (
        1.0,
        None,
        None,
    )  # no end answers yet
    lone = next(s for s in by_class["10Y"]["statements"] if s["item"] == "jobs")
    assert (lone["start_answers"], lone["start"]) == (
        1,
        None,
    )  # one student's answer is never shown as an average


def test_a_chat_deleted_when_it_held_the_newest_events_does_not_hide_the_next_chat(engine):
    h = History(engine)
    h.add("earlier", [Ask("what does a vet do", "ask_career_overview", career="vet")])
    h.add("deleted", [Ask("what does a nurse do", "ask_career_overview", career="nurse")])
    h.write()
    sync_turns(engine)
    assert retention.forget_chat(engine, "deleted") is True
    h.add("next", [Ask("how much do pilots earn", "ask_pay", career="airline-pilot")])
    h.write()  # on SQLite these would take the deleted events' ids, which the sync has read past
    sync_turns(engine)
    with engine.connect() as conn:
        senders = conn.execute(sa.select(Turn.sender_id).order_by(Turn.id)).scalars().all()
    assert senders == ["earlier", "next"]


def test_the_handover_queue_puts_risk_then_the_longest_waiting_first_and_deletes_with_the_chat(engine):
    now = time.time()
    early, _ = handover.request(engine, "demo", "chat-early-0000001", "9X", 9, now=now - 600)
    late, _ = handover.request(engine, "demo", "chat-late-00000001", now=now - 60)
    risky, _ = handover.request(engine, "demo", "chat-risky-0000001", now=now - 30)
    taken, _ = handover.request(engine, "demo", "chat-taken-0000001", now=now - 900)
    elsewhere, _ = handover.request(engine, "riverside", "chat-other-0000001", now=now)
    again, new = handover.request(engine, "demo", "chat-early-0000001", now=now)
    assert (again.id, new) == (early.id, False)  # one open handover per chat

    said = handover.add_message(engine, risky.id, handover.STUDENT, "hello?")
    handover.flag_risk(engine, said.id, risky.id)
    assert handover.answer(engine, taken.id, "adviser1", "Hi there") is not None
    handover.add_message(engine, taken.id, handover.STUDENT, "thanks")
    order = [h.id for h in handover.queue(engine, frozenset({"demo"}), now=now)]
    assert order == [risky.id, early.id, late.id, taken.id]
    assert elsewhere.id not in order
    mine = next(h for h in handover.queue(engine, None, now=now) if h.id == taken.id)
    assert (mine.status, mine.adviser, mine.unanswered) == ("active", "adviser1", 1)

    assert handover.close(engine, taken.id, "Handed back.")
    assert not handover.close(engine, taken.id, "Handed back.")  # once only
    assert handover.answer(engine, taken.id, "adviser1", "late") is None
    a_day_later = now + handover.RECENT_S + 60
    assert taken.id not in [h.id for h in handover.queue(engine, None, now=a_day_later)]
    assert [m.author for m in handover.messages_after(engine, taken.id)] == ["adviser", "student", "note"]

    assert retention.forget_chat(engine, "chat-taken-0000001")
    assert handover.get(engine, taken.id) is None and handover.messages_after(engine, taken.id) == []
    assert handover.get(engine, early.id) is not None  # other chats are untouched
