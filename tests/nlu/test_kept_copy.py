"""A password not known by heart but kept somewhere (session 18): with a forgetting before a
contrast and a copy after it, the forgetting reads as not_by_heart / ikke_utenat, not as a
forgotten password. "password manager" is a thing, no colleague."""

import pytest

from passordhjelp.nlp.forgotten_told import tells_forgotten
from readings import lemmas


@pytest.mark.parametrize(
    "language, text, reading",
    [
        ("en", "I don't remember it but it's saved in my browser", "not_by_heart"),
        ("en", "can't remember it by heart, but I have it written down", "not_by_heart"),
        ("en", "don't know it off the top of my head but it's in my password manager", "not_by_heart"),
        ("nb", "husker det ikke i hodet, men det er lagret i nettleseren", "ikke_utenat"),
        ("nb", "jeg husker det ikke, men jeg har det skrevet ned", "ikke_utenat"),
        ("nb", "husker det ikke, men passordbehandleren har det", "ikke_utenat"),
    ],
)
def test_forgetting_beside_a_kept_copy_is_not_by_heart(language, text, reading):
    words = lemmas(language, text)
    assert reading in words
    assert "forget" not in words and "glemme" not in words


@pytest.mark.parametrize(
    "language, text, lemma",
    [
        # A copy found again is a recovery; no copy kept stays forgotten.
        ("en", "forgot it but found it on a post-it", "lapse_over"),
        ("en", "I forgot it and never wrote it down", "still_lost"),
        ("nb", "glemte det, men fant det på en lapp", "lapse_over"),
        ("nb", "har glemt det og har ikke skrevet det ned", "glemme"),
    ],
)
def test_copy_found_or_never_made_reads_as_before(language, text, lemma):
    words = lemmas(language, text)
    assert lemma in words
    assert "not_by_heart" not in words and "ikke_utenat" not in words


def test_password_manager_is_no_colleague():
    assert "colleague" not in lemmas("en", "my password manager lost it")
    assert "colleague" in lemmas("en", "my manager forgot her password")


@pytest.mark.parametrize(
    "text, told",
    [
        # The dialogue's safety net (a change that says the password is not remembered is the
        # offer) stands aside for a copy kept in a later clause, unnegated.
        ("husker det ikke, men har det skrevet ned, vil bytte", False),
        ("I don't remember it but it's saved in my browser, want to change it", False),
        ("må bytte, men husker det ikke", True),
        ("I forgot my password, never wrote it down", True),
    ],
)
def test_a_copy_kept_tells_no_forgotten_password(text, told):
    assert tells_forgotten(text) is told
