"""Session 19, the lead's readings (tests/nlu/README.md "Session 19, the lead").

The old or current password said to be missing in Norwegian ("vil bytte, men har ikke det
gamle"); the password a change chose, forgotten ("glemt hva jeg byttet det til"); the time of a
change forgotten while the password sits firm; the password denied by ellipsis after another
lapse ("nor what it is", "og heller ikke hva det er")."""

import pytest

from readings import lemmas

FORGETTING = {"forget", "glemme"}


def _forgets(language, text):
    return bool(FORGETTING & set(lemmas(language, text)))


@pytest.mark.parametrize(
    "text",
    [
        "vil gjerne bytte passordet, men jeg har ikke det gamle",
        "skal endre det, har ikke lenger det nåværende",
        "mangler det gamle passordet, så jeg får ikke byttet",
        "hadde ikke det opprinnelige passordet da jeg skulle bytte",
    ],
)
def test_old_password_not_had_reads_as_forgetting(text):
    assert _forgets("nb", text)


@pytest.mark.parametrize(
    "text",
    [
        "jeg har ikke glemt det gamle passordet, vil bare bytte",
        "har ikke byttet siden det gamle gikk ut",
        "det gamle passordet husker jeg godt",
    ],
)
def test_other_negations_near_the_old_password_read_as_before(text):
    assert not _forgets("nb", text)


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "switched it on Monday and I've forgotten what I changed it to"),
        ("en", "I have forgotten which one I picked last month"),
        ("nb", "husker ikke hva jeg endret det til på mandag"),
        ("nb", "aner ikke hva jeg satte det til da det gikk ut"),
    ],
)
def test_a_chosen_password_forgotten_gives_no_change_feature(language, text):
    words = set(lemmas(language, text))
    assert words & FORGETTING
    assert not words & {"change", "set", "pick", "bytte", "endre", "sette"}


@pytest.mark.parametrize(
    "language, text, kept",
    [
        ("en", "I know what I changed it to, I'd just like another", "chosen_password"),
        ("nb", "vet hva jeg byttet det til, men vil ha et annet", "valgt_passord"),
    ],
)
def test_a_chosen_password_known_is_no_forgetting(language, text, kept):
    words = lemmas(language, text)
    assert kept in words
    assert not FORGETTING & set(words)


def test_the_time_of_setting_it_forgotten_beside_a_firm_password_is_no_forgetting():
    words = lemmas("nb", "husker ikke engang hvilket år jeg satte det, men passordet sitter som "
                         "støpt, vil ha nytt")
    assert "tidspunkt_glemt" in words and "kan_gjeldende" in words
    assert "glemme" not in words


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "can't recall when I last updated it, nor what it is"),
        ("nb", "husker ikke når jeg byttet det, og heller ikke hva passordet er"),
    ],
)
def test_the_password_denied_by_ellipsis_after_another_lapse_is_forgotten(language, text):
    assert _forgets(language, text)


@pytest.mark.parametrize(
    "text, forgotten",
    [
        ("ville bytte det selv, men det gamle passordet er sporløst borte", True),
        ("passordet mitt har helt forsvunnet etter ferien", True),
        # Something else gone is no forgetting.
        ("vil bytte passord, men knappen er borte fra menyen", False),
    ],
)
def test_the_password_itself_said_gone_is_forgotten(text, forgotten):
    assert _forgets("nb", text) is forgotten
