"""Session 21, the lead's readings: forgetting and knowing told plainly in a whole clause (the
password fronted or named by reference, in English as in Norwegian), a clause of cause that
carries the denial before it ("not because I forgot it"), and the memory told wiped. The
neighbours each rule must leave alone are beside them. No model: patterns and functions only."""

import pytest

from passordhjelp.nlp.forgotten_told import tells_forgotten_plainly, tells_known_plainly
from readings import lemmas


@pytest.mark.parametrize(
    "text",
    [
        "the sign-in page asks for my current password, which I've forgotten",
        "I changed it on Monday and I've now forgotten the new one",
        "I'd change it myself but I can't remember the old one",
        "I need a reset because I forgot it",
        "Vil bytte fordi jeg har glemt det gamle",
    ],
)
def test_a_plainly_told_forgetting_in_either_language_is_told(text):
    assert tells_forgotten_plainly(text)


@pytest.mark.parametrize(
    "text",
    [
        # The denial or the earlier episode is in the clause before the clause of cause.
        "not because I forgot it, I just want a new one",
        "I don't want a new password because I forgot it, I want one because it leaked",
        "got it reset last spring because I forgot it, now I only want to change it",
        "Ikke fordi jeg har glemt det gamle, men fordi det er svakt",
        # A question, a time before, another person.
        "have I forgotten it? no, I just want a new one",
        "they reset it after I forgot it in March, now I want to change it",
        "she has forgotten the new one",
    ],
)
def test_a_forgetting_denied_asked_or_past_is_not_told_plainly(text):
    assert not tells_forgotten_plainly(text)


@pytest.mark.parametrize(
    "text",
    [
        "What I keep losing is the settings page. The password I do know.",
        "My username I always forget, my password never.",
        "E-postadressa glemmer jeg av og til, passordet aldri.",
        "Passordet kan jeg godt, men vil ha et nytt",
    ],
)
def test_knowing_told_plainly_is_told(text):
    assert tells_known_plainly(text)


@pytest.mark.parametrize(
    "text",
    [
        "the password I don't know",
        "Hun sier at passordet kan hun",
        "I forgot my password",
        "if the password I know is wrong, what then",
    ],
)
def test_knowing_denied_or_someone_elses_is_not_told_plainly(text):
    assert not tells_known_plainly(text)


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "set it on Friday, and the weekend wiped it"),
        ("en", "it's a complete blackout"),
        ("en", "the new password is out of my head"),
        ("nb", "byttet fredag, og helga visket det ut"),
        ("nb", "det nye passordet er helt ute av hodet"),
    ],
)
def test_the_memory_told_wiped_reads_as_forgetting(language, text):
    assert {"forget", "glemme"} & set(lemmas(language, text))


@pytest.mark.parametrize(
    "language, text",
    [("en", "I wiped my laptop before handing it in"), ("nb", "jeg visket ut feltet og prøvde igjen")],
)
def test_wiping_a_thing_is_no_forgetting(language, text):
    assert not {"forget", "glemme"} & set(lemmas(language, text))


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "forgot my password, writing this from my wife's laptop"),
        ("en", "locked out, I'm on Kari's PC for now"),
        ("nb", "har glemt passordet, skriver fra kona sin PC"),
        ("nb", "sitter på mobilen til mannen min, er låst ute"),
    ],
)
def test_the_owner_of_a_device_the_chatter_writes_from_is_a_passing_mention(language, text):
    assert "informant" in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text",
    [("en", "my wife's laptop password is gone"), ("nb", "kona sin PC-kode er glemt")],
)
def test_a_lent_devices_own_password_keeps_its_owner(language, text):
    assert "informant" not in lemmas(language, text)
