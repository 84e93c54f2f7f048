"""Session 21, English helper: forgetting told with the password named by reference or fronted
("... and have now forgotten the new one", "my old password, which I've forgotten"), no password
word after the verb (forgotten_told.yml `not_remembered`; tests/nlu/README.md "Session 21,
forgotten-by-reference helper")."""

import pytest

from components.shape_readings import ShapeReadings
from guarded import classified_by
from passordhjelp.nlp.forgotten_told import tells_forgotten

TOLD = [
    "set a new one on Friday as asked and by now I've forgotten the new one",
    "the reset page asks for the old password, which I have forgotten",
    "my current password, which i forgot over the holidays",
    "it's the current one I've forgotten, not the username",
    "the password that I can't recall is the Teams one",
    # Forgetting without the usual verbs.
    "not a lockout, I'm simply clueless about what my password is",
    "totally blanked on my password after the weekend",
    "I couldn't tell you what my password is right now",
]
NOT_TOLD = [
    "I haven't forgotten the new one",
    "she forgot the new one",
    "what if I forgot the new one",
    "I want to change the old one",
    "he blanked on his password",
]


@pytest.mark.parametrize("text", TOLD)
def test_forgetting_by_reference_is_told(text):
    assert tells_forgotten(text)


@pytest.mark.parametrize("text", NOT_TOLD)
def test_no_forgetting_or_not_the_chatters_is_not_told(text):
    assert not tells_forgotten(text)


def test_vague_reading_of_a_forgotten_new_one_is_taken_back():
    ranking = [
        {"name": "password_help", "confidence": 0.7},
        {"name": "forgot_password", "confidence": 0.2},
        {"name": "change_password", "confidence": 0.1},
    ]
    text = "changed it on Monday when asked and have now forgotten the new one"
    assert classified_by(ShapeReadings(), text, ranking, ())["name"] == "forgot_password"
