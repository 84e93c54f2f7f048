"""Session 20, the lead's readings (tests/nlu/README.md "Session 20, the lead").

The assistant addressed by a greeting and a role noun ("Dear assistant, ...", "Kjære
assistent, ...") is nobody else: the role word there carries no third person's feature. A
remembering contrasted by "just not", "only not", "bare ikke" or a comma denies the password
named after it ("no" after a comma denies nothing of the kind); "tenkte å sette nytt passord"
is a plan, no belief."""

import pytest

from readings import lemmas

ROLE = {"en": "colleague", "nb": "kollega"}
FORGETTING = {"en": "forget", "nb": "glemme"}


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


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "i remember the email address fine, just not the password"),
        ("en", "remember the username, not the password"),
        ("en", "I know my login name, only not the password"),
        ("nb", "Husker brukernavnet fint, bare ikke passordet"),
        ("nb", "husker brukernavnet, ikke passordet"),
    ],
)
def test_a_remembering_contrasted_by_just_only_or_a_comma_denies_the_password(language, text):
    assert FORGETTING[language] in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "I know it, not forgotten at all"),
        ("en", "I know my password, not my username"),
        ("en", "I know it, just not where to change it"),
        ("en", "I know the old one, just not sure how to change it"),
        ("nb", "vet passordet, ikke brukernavnet"),
        ("nb", "husker det, ikke glemt"),
        ("nb", "husker det godt, bare ikke hvor innstillingen er"),
        ("en", "i remembered it, no reset needed"),
        ("nb", "husket det, ingen grunn til å tilbakestille"),
        ("nb", "Huske det nå, ikke trenger nytt"),
        ("en", "I remember it now, not needed anymore"),
    ],
)
def test_such_a_contrast_about_another_thing_a_lapse_or_with_no_denies_nothing(language, text):
    assert FORGETTING[language] not in lemmas(language, text)


@pytest.mark.parametrize(
    "text, belief",
    [
        ("Har fått ny mobil og tenkte å sette nytt passord samtidig", False),
        ("tenkte på å bytte passord", False),
        ("jeg tenkte jeg hadde glemt det", True),
        ("Trodde jeg hadde glemt det, men nei", True),
    ],
)
def test_a_plan_with_tenkte_aa_is_no_belief(text, belief):
    assert ("antok" in lemmas("nb", text)) is belief
