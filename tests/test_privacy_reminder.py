"""Which messages get the privacy reminder: a student telling the assistant who they are, how to reach
them or where they live or study; never an ordinary careers question, a kind of school or a town."""

from __future__ import annotations

import pytest

from bot.privacy_reminder import volunteers_personal_data


@pytest.mark.parametrize(
    "text",
    [
        "can u email me the info my email is tom.b2010@gmail.com",
        "how much do tattoo artists make, add me on snap tia_x09 if u can send more",
        "my number is 07700 900123 text me",
        "i live at 12 elm road where can i get work experience",
        "im at king edwards grammar and want to be a vet",
        "i go to oakwood academy",
        "hi im Priya Sharma and i want to be a doctor",
    ],
)
def test_personal_data_volunteered_gets_the_reminder(text: str):
    assert volunteers_personal_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "what does a nurse do",
        "I go to a grammar school, what jobs can i get with maths",
        "im at sixth form college doing a levels",
        "what jobs at my school use physics",
        "any work experience near M14",
        "im from st helens",
        "im in year 10 and i like art",
        "L3 4AF",
        '/ask_pay{"career": "nurse"}',
    ],
)
def test_ordinary_messages_do_not(text: str):
    assert not volunteers_personal_data(text)
