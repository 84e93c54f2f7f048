"""Session 21, the Norwegian helper's readings: forgetting with its object fronted or named by
reference (and "uten" governing only its noun phrase), a counterfactual wish, the place of the
written copy forgotten, a temporary code lost; the steps or the menu forgotten in a change
message; the old password said known. The neighbours each rule must leave alone are beside
them. No model: patterns and functions only."""

import pytest

from passordhjelp.nlp.forgotten_told import tells_forgotten_plainly
from readings import lemmas


def _words(text):
    return set(lemmas("nb", text))


@pytest.mark.parametrize(
    "text",
    [
        '"Endre passord" krever det gamle passordet, og det har jeg glemt',
        "Den ber meg bytte, men jeg har glemt det nåværende",
        "lappen er kastet, og uten den husker jeg det ikke",
        "vil ha nytt fra admin, for jeg husker ikke det gamle",
        "systemet spør etter det nåværende, og det kan jeg ikke lenger",
        "det gamle passordet husker jeg dessverre ikke",
    ],
)
def test_a_plainly_told_forgetting_is_told(text):
    assert tells_forgotten_plainly(text)


@pytest.mark.parametrize(
    "text",
    [
        "Eg vil ha nytt passord, har ikkje gløymt det gamle",
        "vil bytte, det gamle husker jeg",
        "det har jeg glemt hvordan man gjør",
        "hun har glemt det gamle",
        "hvis jeg har glemt det gamle, hva gjør jeg",
        "husker det ikke, men har det skrevet ned",
    ],
)
def test_the_neighbours_tell_no_plain_forgetting(text):
    assert not tells_forgotten_plainly(text)


@pytest.mark.parametrize(
    "text",
    [
        "uten lappen husker jeg det ikke",
        "Passordet? Skulle ønske jeg visste det.",
        "hadde jeg bare husket det gamle, kunne jeg byttet selv",
        "husker ikke hvor jeg skrev det ned",
        "fikk et midlertidig passord, men mistet det",
        "eposten med engangskoden er slettet",
    ],
)
def test_forgetting_told_in_other_ways_reads_as_forgetting(text):
    words = _words(text)
    assert "glemme" in words
    assert "minne_ok" not in words


@pytest.mark.parametrize(
    "text",
    [
        "kom inn uten å ha glemt noe",
        # A loss with no temporary code named is not this reading.
        "mistet den gamle mobilen i går",
    ],
)
def test_the_neighbours_of_the_other_ways(text):
    assert "glemme" not in _words(text)


def test_uten_before_a_change_denies_no_change():
    assert "neg_bytte" not in lemmas("nb", "vil bytte uten å bli låst ute")


@pytest.mark.parametrize(
    "text",
    [
        "Hvor endrer man passordet? Gjorde det i vår, men har glemt hvor knappen er",
        "Vis meg hvordan jeg skifter passord, har gjort det før men glemt stegene",
    ],
)
def test_the_steps_forgotten_after_a_change_read_as_steps(text):
    words = _words(text)
    assert "fremgangsmåte_spurt" in words
    assert "glemme" not in words


def test_the_chosen_password_forgotten_after_a_change_stays_forgetting():
    words = _words("byttet passord i går og har glemt hvilket jeg valgte")
    assert "glemme" in words and "fremgangsmåte_spurt" not in words


@pytest.mark.parametrize(
    "text",
    ["jeg kan passordet, finner bare ikke menyen", 'finner ikke "Endre passord" noen plass'],
)
def test_a_menu_not_found_reads_as_menu_search(text):
    assert "menu_search" in _words(text)


def test_the_old_password_said_known_reads_as_known():
    words = _words("vil lage nytt passord, jeg vet det gamle, det virker")
    assert "kan_gjeldende" in words and "glemme" not in words
