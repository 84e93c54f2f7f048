"""No password ever made or chosen is a password never known (session 18); a word between the
verb and the password ("never set a strong password") says what kind, and stays a change."""

import pytest

from readings import lemmas


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "I never set one up, HR said I'd get one"),
        ("en", "I didn't create a password when I started"),
        ("nb", "har aldri satt opp noe passord"),
        ("nb", "jeg satte aldri noe passord da jeg begynte"),
    ],
)
def test_no_password_ever_made_is_never_known(language, text):
    assert "never_known" in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "never set a strong password, want to change it"),
        ("en", "I've never changed my password, want to now"),
        ("nb", "har aldri laget et sterkt passord, vil bytte"),
    ],
)
def test_a_kind_of_password_or_a_change_is_no_lapse(language, text):
    assert "never_known" not in lemmas(language, text)
