"""Session 20, the Norwegian helper's readings (notes/nb.md): a forgetting told without "glemme"
(an empty mind in front of the field, a list that ends on the password, the only copy lost, a
password that no longer sits); the password known for a change ("vet hva det er", "husker det
selv", a password someone else knows); remembering again; a lockout answered no. The neighbours
each rule must leave alone are beside them."""

import pytest

from readings import lemmas


def _words(text):
    return set(lemmas("nb", text))


@pytest.mark.parametrize(
    "text",
    [
        "Jeg ser på feltet og venter. Ingenting kommer.",
        "ingenting dukker opp, bare et tomt felt foran meg",
        "satte nytt passord på fredag og kom på jobb uten peiling",
        "sto der foran PC-en og ble helt blank",
        "Brukernavn: ja. Mobil: ja. Passordet til Teams: nei.",
        "alle de private sitter. Bare ikke det til jobben.",
        "passordet sitter ikke lenger",
        "nå sitter det ikke.",
        "det kommer ikke tilbake uansett hvor lenge jeg tenker",
        "hadde det i notatene på mobilen, og den er knust",
        "lagret det i nettleseren, men PC-en krasjet",
    ],
)
def test_a_forgetting_told_without_the_verb_reads_as_forgetting(text):
    assert "glemme" in _words(text)


@pytest.mark.parametrize(
    "text",
    [
        # A message that did not come is no empty mind.
        "venter på sms-en, men ingenting kommer",
        "ingenting kommer på sms",
        # A copy lost inside its own clause, the password known.
        "skrev det på en lapp som nå er kastet, men jeg kan det",
        # A copy kept, a change wanted.
        "har det skrevet ned, så jeg vil bare bytte det",
        # It came back.
        "det kom tilbake til meg",
    ],
)
def test_the_neighbours_read_no_forgetting(text):
    assert "glemme" not in _words(text)


@pytest.mark.parametrize(
    "text",
    [
        "kan jeg endre passord uten admin når jeg vet hva det er?",
        "jeg vet godt hva passordet er, vil bare bytte",
        "husker det selv også, men vil ha nytt",
        # "nå" is the password known now, no recovery (the read sets' change_password).
        "kan jeg endre passordet selv? jeg vet hva det er nå",
    ],
)
def test_the_password_said_known_reads_as_known(text):
    words = _words(text)
    assert "kan_gjeldende" in words
    assert "glemme" not in words


def test_a_password_someone_else_knows_is_no_forgetting_of_the_writer():
    words = _words("Jeg husker det selv, men nå vil jeg ha et hun ikke vet om.")
    assert "andres_viten" in words and "kan_gjeldende" in words
    assert "glemme" not in words


@pytest.mark.parametrize(
    "text",
    [
        "hvis jeg ikke vet hva det er, hva gjør jeg?",
        "jeg vet ikke hva det er",
    ],
)
def test_not_knowing_what_it_is_stays_forgetting(text):
    words = _words(text)
    assert "glemme" in words and "kan_gjeldende" not in words


@pytest.mark.parametrize(
    "text",
    [
        "Jeg hadde glemt det i morges, men nå dukket det opp igjen",
        "plutselig satt det igjen",
    ],
)
def test_remembering_again_reads_as_a_recovery(text):
    words = _words(text)
    assert "huske_igjen" in words
    assert "glemme" not in words


@pytest.mark.parametrize(
    "text, reading",
    [
        # Something else popping up is no recovery.
        ("så dukket det opp en feilmelding", "dukket"),
    ],
)
def test_other_rememberings_and_appearances_are_no_recovery(text, reading):
    words = _words(text)
    assert "huske_igjen" not in words and reading in words


def test_a_lockout_answered_no_is_denied():
    words = _words("Låst? Nei. Glemt? Å ja.")
    assert "avkreftet" in words and "glemme" in words
    assert "låse" not in words
