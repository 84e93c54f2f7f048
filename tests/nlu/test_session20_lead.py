"""Session 20, the lead's readings (tests/nlu/README.md "Session 20, the lead").

The assistant addressed by a greeting and a role noun ("Dear assistant, ...", "Kjære
assistent, ...") is nobody else: the role word there carries no third person's feature."""

import pytest

from readings import lemmas

ROLE = {"en": "colleague", "nb": "kollega"}


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "Dear assistant, I appear to have forgotten my password"),
        ("en", "hi assistant, my account is locked"),
        ("en", "Hello assistant - I want to change my password"),
        ("nb", "Kjære assistent, jeg har glemt passordet mitt"),
        ("nb", "Hei assistent, kontoen min er sperret"),
    ],
)
def test_the_assistant_addressed_is_no_third_person(language, text):
    assert ROLE[language] not in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "Hi, my assistant forgot her password"),
        ("en", "Dear assistant, my colleague is locked out"),
        ("en", "my assistant can't sign in"),
        ("nb", "hei, assistenten min er låst ute"),
        ("nb", "Kjære assistent, kollegaen min har glemt passordet"),
    ],
)
def test_a_role_after_a_greeting_and_a_word_between_stays_a_person(language, text):
    assert ROLE[language] in lemmas(language, text)
