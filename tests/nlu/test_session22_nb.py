"""Session 22, the Norwegian change/forgot helper: knowing or forgetting told by the message as a
whole (forgotten_told.yml `known_anywhere`, `forgotten_anywhere`, `change_wish`) and what
ShapeReadings makes of them. Every phrasing is new, written for its category; the neighbours
each rule must leave alone are beside them. No model: patterns, functions and ShapeReadings on
a given ranking."""

import pytest

from components.shape_readings import ShapeReadings
from guarded import classified_by
from passordhjelp.nlp.forgotten_told import (
    tells_forgotten_plainly,
    tells_known_plainly,
    tells_memory_failed,
    wants_change,
)


def _ranking(first, second="change_password"):
    return [
        {"name": first, "confidence": 0.6},
        {"name": second, "confidence": 0.3},
        {"name": "ask_process", "confidence": 0.1},
    ]


def _read(text, first, second="change_password"):
    return classified_by(ShapeReadings(), text, _ranking(first, second), ())["name"]


# Knowing told by the whole message: a counterfactual forgetting, a wish to forget, a fronted
# denial, other things forgotten but not the password, knowing shown by use.
KNOWN_AND_CHANGE = [
    "Om jeg hadde glemt passordet, hadde jeg ikke sittet i Outlook nå. Vil bare endre det.",
    "Hadde jeg glemt det, så hadde jeg ringt dere for lengst. Skal bytte det før fristen.",
    "Skulle ønske jeg kunne glemme passordet, det har sittet i ti år. Vil ha et nytt.",
    "Glemt passordet har jeg altså ikke, jeg skal bare bytte det.",
    "Jeg glemmer det meste, men aldri passordet. Vil likevel skifte det.",
    "Tastet det inn etter hukommelsen nå nettopp og alt virket, men jeg vil fornye det.",
    "Sjefen ba meg sette nytt passord før revisjonen. Kommer inn uten problemer.",
    "Kan logge meg inn helt fint, men vil gjerne bytte passordet.",
    "Selve passordet vet jeg. Det er knappen jeg leter etter. Vil endre det.",
]


@pytest.mark.parametrize("text", KNOWN_AND_CHANGE)
def test_known_with_a_change_wish_is_told_known_and_wanting_change(text):
    assert tells_known_plainly(text)
    assert wants_change(text)
    assert not tells_memory_failed(text)


@pytest.mark.parametrize("text", KNOWN_AND_CHANGE)
@pytest.mark.parametrize("first", ["forgot_password", "password_help", "remembered_password"])
def test_known_with_a_change_wish_reads_as_change(text, first):
    assert _read(text, first, "forgot_password") == "change_password"


@pytest.mark.parametrize("text", KNOWN_AND_CHANGE)
def test_a_change_reading_of_known_with_a_change_wish_stays(text):
    assert _read(text, "change_password", "forgot_password") == "change_password"


# Neighbours: the same shapes with the forgetting real, denied knowing, a hypothetical, another
# person's use, or no change wanted.
@pytest.mark.parametrize(
    "text",
    [
        "Hvis jeg har glemt passordet, hva gjør jeg da?",
        "Hvis jeg glemmer passordet i ferien, hvordan får jeg nytt?",
        "Jeg glemmer mye, og passordet er intet unntak. Må ha nytt.",
        "Logger inn helt fint på PC-en, men har glemt passordet til mobilen og må ha nytt.",
        "Kollegaen min kom inn uten problemer, men jeg har glemt passordet mitt. Trenger nytt.",
        "Han logger inn helt fint, men jeg husker ikke mitt. Vil ha et nytt.",
        "Kan ikke logge inn, husker ikke passordet, vil ha nytt",
    ],
)
def test_forgetting_or_another_persons_knowing_is_not_read_as_a_change(text):
    assert _read(text, "forgot_password") == "forgot_password"


@pytest.mark.parametrize(
    "text",
    [
        "Glemt det har jeg ikke. Det blir bare avvist når jeg skriver det.",
        "Skrev det inn fra hukommelsen, men det ble avvist.",
    ],
)
def test_known_without_a_change_wish_is_not_a_change(text):
    assert tells_known_plainly(text)
    assert not wants_change(text)
    assert _read(text, "password_help", "forgot_password") == "password_help"


@pytest.mark.parametrize(
    "text",
    ["Vil ikke bytte, bare komme inn igjen", "Trenger ikke endre noe", "Har aldri byttet det"],
)
def test_a_denied_change_is_no_change_wish(text):
    assert not wants_change(text)


# Forgetting told by the whole message: the cleft that names the password against another
# thing, the password that will not come back, on the tip of the tongue, back and gone again,
# a belief of knowing that failed, a habit of never forgetting broken.
MEMORY_FAILED = [
    "Det er ikke brukernavnet jeg har glemt, det er passordet.",
    "Det er selve passordet jeg ikke husker, resten går fint.",
    "Kjenner igjen innloggingssida, men passordet mitt kommer bare ikke tilbake.",
    "Brukernavnet er greit, men passordet vil ikke komme tilbake uansett hvor lenge jeg tenker.",
    "Jeg har hatt det på tungespissen siden lunsj, men det kommer ikke.",
    "Det dukket opp i hodet i går kveld, men i dag er det borte.",
    "Var sikker på at jeg kunne det til jeg sto foran innloggingen.",
    "Mente jeg husket passordet helt til skjermen ba om det.",
    "Regnet med at jeg skulle huske det nye. Det gjorde jeg ikke.",
    "Jeg glemmer aldri noe, men denne gangen har det skjedd med passordet.",
]


@pytest.mark.parametrize("text", MEMORY_FAILED)
def test_a_failed_memory_is_told(text):
    assert tells_memory_failed(text)
    assert not tells_known_plainly(text)


@pytest.mark.parametrize("text", MEMORY_FAILED)
@pytest.mark.parametrize(
    "first", ["change_password", "password_help", "remembered_password", "affirm"]
)
def test_a_failed_memory_reads_as_forgotten(text, first):
    assert _read(text, first, "forgot_password") == "forgot_password"


@pytest.mark.parametrize(
    "text",
    [
        "Det er ikke passordet jeg har glemt, det er hvor man bytter det.",
        "Sendte en forespørsel, men det kom aldri tilbake noe svar",
        "Passordet kom tilbake til meg etter en kaffe, alt i orden nå",
        "Trodde jeg hadde glemt det, men kom inn på første forsøk",
        "Regnet med at jeg skulle huske det, og det gjorde jeg",
        "Jeg glemmer aldri passord, og vil bare bytte det nå",
        "Hun trodde hun kunne det helt til hun skulle logge inn",
    ],
)
def test_a_memory_that_held_or_another_thing_is_no_failed_memory(text):
    assert not tells_memory_failed(text)
    assert _read(text, "change_password", "forgot_password") == "change_password"


def test_a_failed_memory_of_another_person_is_theirs():
    text = "Kollegaen min trodde hun kunne det helt til hun skulle skrive det"
    assert not tells_memory_failed(text)


def test_the_fronted_known_password_alone_is_told_known():
    # Session 21's pattern needed a word after "jeg"; "Selve passordet vet jeg." ends there.
    assert tells_known_plainly("Menyen husker jeg ikke. Selve passordet vet jeg.")
    assert tells_known_plainly("Passordet kan jeg.")
    assert not tells_forgotten_plainly("Passordet kan jeg.")
    assert not tells_known_plainly("Passordet kan jeg ikke.")


# Round two: knowing told in a clause of its own ("Jeg vet det, men ...", "og kan det"), a
# forgetting denied as what the message is not about, help to remember declined.
KNOWN_CLAUSE_AND_CHANGE = [
    "Vil ha nytt passord. Jeg kan det, det er bare gammelt.",
    "Kan det nåværende fint, men vil ha et sterkere.",
    "Ja, jeg vet det. Men jeg vil endre det likevel.",
    "Sitter pålogget nå og husker det, hvor bytter jeg?",
    "Er allerede logget inn. Ønsker å endre passordet.",
    "Ikke fordi jeg har glemt det, men jeg vil skifte det etter ferien.",
    "Det er ikke slik at jeg har glemt passordet, jeg vil bare ha et nytt.",
    "Er verken sperret eller har glemt noe, skal bare fornye passordet.",
    "Trenger ikke hjelp med å huske det, bare med å bytte det.",
]


@pytest.mark.parametrize("text", KNOWN_CLAUSE_AND_CHANGE)
@pytest.mark.parametrize("first", ["forgot_password", "password_help"])
def test_a_known_clause_with_a_change_wish_reads_as_change(text, first):
    assert tells_known_plainly(text)
    assert _read(text, first, "forgot_password") == "change_password"


@pytest.mark.parametrize(
    "text",
    [
        # Knowing inside a requirement, not told: the writer lacks it.
        "For å bytte må man kunne det gamle, og det gjør ikke jeg. Vil ha nytt.",
        "Endre passord krever at du vet det nåværende, men jeg vet det ikke. Trenger nytt.",
        # Knowing taken back.
        "Jeg kan det, jeg kan det... nei, gjorde ikke det. Må ha nytt.",
        # A knowing of someone else's.
        "Hun kan det, men jeg har glemt mitt og må ha nytt",
        # Forgetting not denied: "ikke" of something else.
        "Har glemt det og kan ikke logge inn, vil ha nytt passord",
    ],
)
def test_knowing_required_retracted_or_not_the_writers_is_no_change(text):
    assert _read(text, "forgot_password") == "forgot_password"


@pytest.mark.parametrize(
    "text",
    [
        "Siden vil ha det gamle passordet først, og jeg har ikke peiling.",
        "For å bytte må man kunne det gamle, og det gjør ikke jeg.",
        "Jeg ville endret det i morges hvis jeg kunne, men jeg aner ikke hva det er.",
    ],
)
def test_the_current_one_asked_for_and_lacking_is_a_failed_memory(text):
    assert tells_memory_failed(text)
    assert _read(text, "change_password", "forgot_password") == "forgot_password"


@pytest.mark.parametrize(
    "text",
    [
        "Siden vil ha det gamle passordet først, og det har jeg heldigvis.",
        "Endring krever at man kan det gamle, og det gjør jeg.",
        "Jeg kunne endret det selv, men vil at IT gjør det",
    ],
)
def test_the_current_one_asked_for_and_at_hand_is_no_failed_memory(text):
    assert not tells_memory_failed(text)


@pytest.mark.parametrize(
    "text",
    [
        "Fikk panikk et øyeblikk, men så kom det tilbake. Vil uansett bytte det nå.",
        "Trodde det var borte, heldigvis dukket det opp igjen, og nå vil jeg velge nytt passord.",
    ],
)
def test_a_scare_settled_with_a_change_wish_reads_as_change(text):
    assert tells_known_plainly(text) and not tells_memory_failed(text)
    assert _read(text, "remembered_password", "forgot_password") == "change_password"


def test_a_memory_back_and_gone_again_stays_forgotten():
    text = "Det kom tilbake i går, men i dag er det borte igjen. Må bytte."
    assert tells_memory_failed(text) and not tells_known_plainly(text)
    assert _read(text, "remembered_password") == "forgot_password"


# Round three: other things known and the password not, elliptically; the password not there;
# knowing owed or never had; a known password not lost, or no longer wanted.
@pytest.mark.parametrize(
    "text",
    [
        "E-postadressen kan jeg utenat, passordet ikke.",
        "Brukernavnet sitter, passordet derimot ikke i det hele tatt",
        "Logget inn i fjor, men nå er passordet helt borte.",
        "Passordet mitt er rett og slett vekk etter permisjonen.",
        "Jeg burde jo kunne det etter så mange år, men jeg kan det ikke.",
        "Nettleseren fylte det alltid ut, jeg har aldri visst det.",
        "Jeg hadde endret passordet nå om jeg klarte, men da må jeg kunne det gamle.",
    ],
)
def test_other_things_known_or_the_password_gone_is_a_failed_memory(text):
    assert tells_memory_failed(text)
    for first in ("change_password", "password_help", "remembered_password", "ask_process"):
        assert _read(text, first, "forgot_password") == "forgot_password"


@pytest.mark.parametrize(
    "text",
    [
        "Brukernavnet glemmer jeg, passordet ikke.",
        "Det er ikke sånn at passordet er borte, jeg vil bare bytte.",
        "Lappen med passordet er borte, men jeg kan det.",
        "Jeg burde huske å bytte det oftere, og det gjør jeg nå.",
        "Han har aldri visst det, sier han.",
    ],
)
def test_the_password_known_or_another_thing_gone_is_no_failed_memory(text):
    assert not tells_memory_failed(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vil bytte passordet i dag. Nei, jeg har ikke mistet det.",
        "Det nåværende har jeg i fingrene, men jeg skal velge et nytt.",
        "Det gamle sitter som støpt, men skal ha nytt passord før nyttår.",
        "Jeg husker det. Men jeg vil ikke bruke det lenger.",
        "Jeg har det, men vil endre det etter at noen så det.",
    ],
)
def test_known_not_lost_or_not_wanted_reads_as_change(text):
    assert tells_known_plainly(text) and wants_change(text)
    assert _read(text, "password_help", "forgot_password") == "change_password"


def test_a_password_not_wanted_without_knowing_is_no_change():
    text = "Har glemt det gamle og vil ikke ha det lenger uansett, trenger nytt."
    assert not tells_known_plainly(text)
    assert _read(text, "forgot_password") == "forgot_password"


def test_a_fronted_participle_is_denied_by_a_negation_after_its_inverted_auxiliary():
    from passordhjelp.nlp.forgotten_told import tells_forgotten

    assert not tells_forgotten("Glemt passordet har jeg faktisk ikke, vil bare bytte")
    assert tells_forgotten("Glemt passordet har jeg, dessverre")
    # The wider look after the verb is for denials only: a password word must still be near.
    assert not tells_forgotten("etter at jeg glemte det i fjor har jeg hatt et svakt passord")


def test_a_wish_to_forget_is_no_forgetting():
    from passordhjelp.nlp.forgotten_told import tells_forgotten

    assert not tells_forgotten("Skulle ønske jeg kunne glemme passordet, så gammelt er det")
    assert tells_forgotten("Har glemt passordet, skulle ønske jeg var flinkere med sånt")


def test_a_close_change_reading_of_known_with_a_change_wish_is_not_asked_about():
    text = "Hvor endrer jeg det? Det gjeldende har jeg godt i hodet."
    ranking = [
        {"name": "change_password", "confidence": 0.5},
        {"name": "forgot_password", "confidence": 0.45},
        {"name": "thank", "confidence": 0.05},
    ]
    intent = classified_by(ShapeReadings(), text, ranking, ())
    assert intent["name"] == "change_password"
    assert intent["confidence"] == pytest.approx(0.95)
