"""A password the chatter knows that sign-in refuses, told in words, in both languages
(passordhjelp/nlp/refused_known.py)."""

import pytest

from passordhjelp.nlp.refused_known import (
    insists_right,
    refused_though_known,
    tells_known,
    tells_refused,
)


@pytest.mark.parametrize("text", [
    "I know my password but it keeps saying it's wrong",
    "it says wrong password but I'm sure it's right",
    "I'm typing the right password and it won't accept it",
    "my password is correct but it says incorrect",
    "it keeps telling me my password is incorrect even though I know it",
    "I know what my password is, but it won’t take it",
    "jeg vet passordet, men det blir avvist",
    "passordet godtas ikke selv om jeg skriver det riktig",
    "jeg skriver riktig passord men det står at det er feil",
    "jeg kan passordet mitt, men det sier feil passord",
    "passordet blir avvist selv om jeg vet at det er riktig",
    "It keeps saying the password is incorrect. I typed it the same way as always.",
    "Sier ugyldig passord selv om jeg skriver det samme som alltid",
    # Known, and sign-in fails: the chatter has said they know it.
    "I know my password but I can't sign in",
    "I'm sure my password is correct but login fails",
    "jeg vet passordet, men kommer ikke inn",
    "jeg kan passordet, men påloggingen feiler",
    # Read as remembering it or as a change: the same words decide.
    "I know it but the sign-in fails every time",
    "I remember it but sign-in keeps failing",
    "I want to change my password, I know it but it says it's wrong",
    "jeg husker det nå, men det står feil passord",
    "jeg husker det, men får ikke logget inn likevel",
    "jeg vil bytte passordet, jeg husker det men det blir avvist",
    # Session 17: "jeg vet det" as "I know it" does.
    "jeg vet det, men det blir avvist",
    "ja, jeg vet det, men får ikke logget inn",
])
def test_refused_known_both_told(text):
    assert refused_though_known(text)


@pytest.mark.parametrize("text", [
    # Only refused: still asked whether the chatter knows it.
    "it keeps saying my password is wrong",
    "det står at passordet er feil",
    # Vague trouble, nothing refused.
    "something's wrong with my password",
    "my password doesn't work",
    "my password won't let me in",
    "noe er feil med passordet",
    "passordet mitt virker ikke",
    # Remembered, or a change, with nothing refused or failing: the change steps as before.
    "I remember it after all",
    "I want to change my password",
    "jeg husker det likevel",
    "jeg vil bytte passord",
    # Not known: a negation or another person before it, or what is known is something else.
    "I don't know my password and it says it's wrong",
    "I can't remember it, it says wrong password",
    "she knows her password but it says it's wrong",
    "I know it's wrong",
    "jeg husker det ikke, det står at det er feil",
    "jeg vet ikke passordet, og det blir avvist",
    "hun kan passordet, men det blir avvist",
    # A refusal of the chatter's own memory is forgetting.
    "back from holiday and my brain just refuses to remember the password",
    "jeg kommer ikke inn, jeg husker det bare ikke",
    # Session 17: what "jeg vet det" is followed by is what is known, as "I know it's wrong".
    "jeg vet det er feil passord",
    "jeg vet det ikke, og det blir avvist",
])
def test_refused_known_not_both_told(text):
    assert not refused_though_known(text)


@pytest.mark.parametrize("text, refused, right", [
    ("yes I'm sure it's right", False, True),
    ("ja, jeg er sikker på at det er riktig", False, True),
    ("yes but it says it's wrong", True, False),
    ("ja, men det blir avvist", True, False),
    ("yes", False, False),
    ("ja", False, False),
    ("yes, that's right", False, False),
    ("yes I know it", False, False),
    ("ja, jeg husker det", False, False),
])
def test_refused_known_a_yes_to_the_question(text, refused, right):
    assert tells_refused(text) is refused
    assert insists_right(text) is right


def test_refused_known_knowing_it_alone_is_not_refused():
    assert tells_known("I know my password") and not tells_refused("I know my password")
