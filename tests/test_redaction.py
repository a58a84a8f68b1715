"""Personal data taken out of what a student types (bot/redaction.py), and ordinary careers questions
left exactly as they were."""

from __future__ import annotations

import pytest

from bot.redaction import redact


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("email me at amy.smith99@gmail.com pls", "email me at [email] pls"),
        ("my number is 07700 900123", "my number is [phone]"),
        ("call 07700900123 or +44 7700 900 123", "call [phone] or [phone]"),
        ("our landline is 0151 496 0000", "our landline is [phone]"),
        ("i live at L3 4AF", "i live at L3 [postcode]"),
        ("postcode is m13 9pl", "postcode is M13 [postcode]"),
        ("my name is Amy Smith and i like art", "my name is [name] and i like art"),
        ("hi im called jordan", "hi im called [name]"),
        ("i live at 12 Acacia Avenue near the park", "i live at [address] near the park"),
        ("my address is 221b baker street", "my address is [address]"),
        ("my birthday is 03/05/2011", "my birthday is [date]"),
        ("i was born on 3rd May 2011", "i was born on [date]"),
        ("born March 14 2012", "born [date]"),
    ],
)
def test_personal_data_is_replaced_by_what_kind_of_thing_it_was(said, kept):
    assert redact(said) == kept


@pytest.mark.parametrize(
    "said",
    [
        "what does a software developer do",
        "how much does a vet earn in 2025",
        "any work experience near L3",
        "i like maths and computers",
        "my name is not important, what jobs use art",
        "i'm interested in year 10 work experience",
        "is a level 4 apprenticeship worth it",
        "what gcses do i need, i got 7 in maths",
        "i am really into coding",
        "this is so confusing",
        "this is boring",
        "can you call me back later",
        "E8 or N16 please",
    ],
)
def test_ordinary_careers_questions_are_left_exactly_as_they_were(said):
    assert redact(said) == said
