"""Session 18's Norwegian readings (tests/nlu/README.md "Session 18, Norwegian NLU helper")."""

import pytest

from readings import lemmas


@pytest.mark.parametrize(
    "text",
    [
        "Jeg skulle endre passordet, men det går ikke fordi jeg har glemt det",
        "kan jeg ikke fordi jeg har glemt det gamle",
        "det funker ikke siden jeg har glemt det",
        "klarer det ikke fordi jeg har glemt passordet",
        "eg vil byte, men går ikkje fordi eg har gløymt det",
    ],
)
def test_a_reason_after_a_negated_doing_verb_stays_a_forgetting(text):
    # The verb comes before "ikke": the reason tells why it fails, it is not denied.
    result = lemmas("nb", text)
    assert "glemme" in result
    assert "minne_ok" not in result


@pytest.mark.parametrize(
    "text",
    [
        "det er ikke fordi jeg har glemt det",
        "det var ikke fordi jeg glemte det",
        "ikke fordi jeg har glemt det, men fordi jeg vil ha et nytt",
        "jeg spør ikke fordi jeg har glemt det",
    ],
)
def test_a_reason_after_the_copula_or_another_verb_is_still_denied(text):
    result = lemmas("nb", text)
    assert "minne_ok" in result
    assert "glemme" not in result


def test_the_english_reason_bridges_are_unchanged():
    assert "forget" in lemmas("en", "I can't because I forgot it")
    assert "neg_forget" in lemmas("en", "it's not because I forgot it")


@pytest.mark.parametrize(
    "text",
    [
        "kan ikke huske sist jeg bytta passord, så vil gjøre det nå",
        "husker ikke når jeg byttet passord sist",
        "aner ikke hvor lenge siden det er jeg endret passordet",
        "har glemt når jeg sist skiftet passord",
        "har ingen anelse om når jeg sist skiftet passord",
        "kommer ikke på når jeg bytta sist",
        "veit ikkje kor lenge sidan eg bytta passord",
        "husker ikke siste gang jeg oppdaterte passordet",
    ],
)
def test_the_time_of_the_last_change_forgotten_is_no_lapse(text):
    result = lemmas("nb", text)
    assert "tidspunkt_glemt" in result
    assert "glemme" not in result


@pytest.mark.parametrize(
    "text",
    [
        # What it was changed to, the last password, where it was written: the password.
        "husker ikke hva jeg byttet passordet til",
        "husker ikke siste passordet jeg byttet til",
        "husker ikke sist jeg byttet, og passordet husker jeg ikke heller",
    ],
)
def test_the_password_itself_forgotten_stays_a_lapse(text):
    assert "glemme" in lemmas("nb", text)


@pytest.mark.parametrize(
    "text",
    ["husker ikke når jeg glemte det", "husker ikke hvor jeg skrev det ned"],
)
def test_a_time_or_place_without_a_change_after_it_is_not_the_time_of_a_change(text):
    assert "tidspunkt_glemt" not in lemmas("nb", text)


@pytest.mark.parametrize(
    "text",
    [
        "Vil gå over til en passfrase, husker det jeg har nå",
        "kan passordet jeg bruker i dag, vil bytte",
        "eg hugsar det eg har no",
        "bytt passord plis, har det gamle i hodet",
    ],
)
def test_the_present_password_known_in_other_words(text):
    result = lemmas("nb", text)
    assert "kan_gjeldende" in result
    assert "huske_igjen" not in result


def test_not_remembering_the_present_one_is_no_knowing():
    result = lemmas("nb", "husker ikke det jeg har nå")
    assert "glemme" in result and "kan_gjeldende" not in result


@pytest.mark.parametrize(
    "text",
    [
        "hadde helt glemt det, men det sto i notatboka. alt i orden",
        "passordet stod jo på den gule lappen i skuffen",
        "Det gikk! Husket passordet etter litt tenking",
        "huska det til slutt",
        "husket det etter hvert",
        "plutselig husket jeg det",
    ],
)
def test_a_recovery_told_as_a_story(text):
    assert "huske_igjen" in lemmas("nb", text)


@pytest.mark.parametrize(
    "text",
    [
        "det står på skjermen at passordet er feil",
        "husket passordet til kollegaen",
        "husket passordet etter at jeg byttet",
        "må huske det etter lunsj",
        # Where it was written is no finding it ("en lapp" that may be gone).
        "det sto på en lapp som ble kastet",
    ],
)
def test_no_recovery_without_a_note_or_a_while(text):
    assert "huske_igjen" not in lemmas("nb", text)


def test_a_settled_lapse_after_a_note():
    result = lemmas("nb", "hadde helt glemt det, men det sto i notatboka")
    assert "lapse_over" in result and "glemme" not in result


@pytest.mark.parametrize(
    "text",
    [
        "Hukommelse som en sil, passordet er borte igjen",
        "hodet mitt er som en sil",
        "har gullfiskhukommelse, passordet er vekk",
        "minnet mitt er som et dørslag",
    ],
)
def test_a_leaky_memory_is_a_lapse(text):
    assert "glemme" in lemmas("nb", text)


def test_hallaien_is_a_greeting():
    assert lemmas("nb", "Hallaien") == ["hei"]


@pytest.mark.parametrize(
    "text, known",
    [
        ("Selv kan jeg det ikke.", False),
        ("nå kan jeg passordet ikke lenger", False),
        # An action after it: a "can", no knowing denied.
        ("kan jeg det ikke bare bytte selv?", True),
    ],
)
def test_kan_with_nothing_after_ikke_is_knowing(text, known):
    assert ("glemme" not in lemmas("nb", text)) is known
