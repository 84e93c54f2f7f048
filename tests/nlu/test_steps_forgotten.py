"""The steps of a change forgotten, not the password: read apart from forgetting (session 17)."""

import pytest

from readings import lemmas


@pytest.mark.parametrize(
    "language, text, reading",
    [
        ("en", "forgot how to change my password", "how_to_question"),
        ("en", "I don't remember the steps to change the password", "how_to_question"),
        ("en", "can't recall the menu where I change my pw", "how_to_question"),
        ("nb", "har glemt hvordan man bytter passord", "fremgangsmåte_spurt"),
        ("nb", "husker ikke stegene for å endre passordet", "fremgangsmåte_spurt"),
        ("nb", "glemte fremgangsmåten for passordbytte", "fremgangsmåte_spurt"),
    ],
)
def test_steps_of_a_change_forgotten_are_no_lapse(language, text, reading):
    result = lemmas(language, text)
    assert reading in result
    assert "forget" not in result and "glemme" not in result


@pytest.mark.parametrize(
    "language, text, lapse",
    [
        # No change verb soon after: where the password was written is the password forgotten.
        ("en", "I forgot where I wrote it down, can you reset it", "forget"),
        ("en", "I forgot the way to my desk, and my password, can you reset it", "forget"),
        ("nb", "har glemt hvor jeg skrev det ned", "glemme"),
        ("nb", "glemte hva passordet var og vet ikke hvordan jeg kommer inn igjen", "glemme"),
    ],
)
def test_a_lapse_without_a_change_after_it_stays_a_lapse(language, text, lapse):
    result = lemmas(language, text)
    assert lapse in result
    assert "how_to_question" not in result and "fremgangsmåte_spurt" not in result
