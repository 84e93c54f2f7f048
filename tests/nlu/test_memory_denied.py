"""Remembering denied in ways a "not" before the verb does not show (session 17): a
counterfactual condition, a negative object, a contrast that leaves the current password out,
one detail being all that is left."""

import pytest

from readings import lemmas


@pytest.mark.parametrize(
    "language, text, lapse",
    [
        ("en", "if I still knew it I'd change it myself", "forget"),
        ("en", "if I could remember it I wouldn't ask", "forget"),
        ("nb", "hvis jeg fortsatt kunne det, hadde jeg byttet det selv", "glemme"),
        ("nb", "om jeg visste hva det var, hadde jeg ikke spurt", "glemme"),
        ("en", "I remember none of it", "forget"),
        ("en", "I remember nothing", "forget"),
        ("nb", "husker ingenting av det", "glemme"),
        ("en", "I remember the old one but not the new one", "forget"),
        # A thought trailing off and taken back, an emoji after the empty negation.
        ("en", "wait I know this... nope, gone", "forget"),
        ("en", "I know it, I know it... no I don't 😩", "forget"),
        ("nb", "trodde jeg husket det... nei", "glemme"),
        # One detail all that is left.
        ("nb", "det eneste jeg husker er at det hadde et 7-tall", "glemme"),
        ("nb", "alt jeg vet er at det begynte med M", "glemme"),
    ],
)
def test_remembering_denied_reads_as_forgetting(language, text, lapse):
    assert lapse in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text",
    [
        # A condition that may hold, and "could" as ability.
        ("en", "if I know it, can I change it myself?"),
        ("nb", "hvis jeg kunne bytte det selv hadde det vært fint"),
        # A question of how after the contrast.
        ("en", "I know it but not how to change it"),
        # Another thing than the password after the contrast.
        ("en", "I know my password but not my username"),
        # "husker ikke hvordan" is a question of how, not a lapse.
        ("nb", "jeg husker ikke hvordan man bytter"),
    ],
)
def test_conditions_and_questions_of_how_are_no_lapse(language, text):
    result = lemmas(language, text)
    assert "forget" not in result and "glemme" not in result
