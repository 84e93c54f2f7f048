"""Session 18, third-person NLU helper: whose password a message is about when a third person
is in it, a request filed for someone else, and the assistant's own human colleagues."""

import pytest

from components.someone_else_guard import SomeoneElseGuard
from guarded import classified_by
from passordhjelp.nlp.other_account import find_account_mention
from passordhjelp.nlp.someone_else import mentions_anyone_else
from passordhjelp.nlp.third_person import find_third_person, states_own_lapse
from readings import lemmas


def classified(text, ranking, entities=()):
    return classified_by(SomeoneElseGuard(), text, ranking, entities)


OTHER_FIRST = [{"name": "other_person_password", "confidence": 0.6},
               {"name": "change_password", "confidence": 0.3},
               {"name": "forgot_password", "confidence": 0.1}]


# The chatter's own password missing beside a third person who is fine.
OWN_LAPSE = [
    "we both joined today, she got her login details but I never received my password",
    "he has his, I still haven't got mine",
    "my colleague knows hers, I don't remember my password",
    "vi begynte samme dag, hun fikk passord, men det fikk ikke jeg",
    "Hun husker sitt, jeg husker ikkje mitt.",
    "han fikk sitt, jeg har aldri fått noe passord",
]
NOT_OWN_LAPSE = [
    "I don't know her password",
    "my intern never received a password",
    "I didn't get a reply from IT yet",
    "jeg husker ikke passordet hans",
    "kollegaen min har ikke fått passord",
    "I never got my colleague's password",
]


@pytest.mark.parametrize("text", OWN_LAPSE)
def test_the_chatters_own_password_missing_is_read(text):
    assert states_own_lapse(text)


@pytest.mark.parametrize("text", NOT_OWN_LAPSE)
def test_someone_elses_password_or_no_password_is_no_own_lapse(text):
    assert not states_own_lapse(text)


@pytest.mark.parametrize("text", OWN_LAPSE)
def test_other_person_read_beside_an_own_lapse_is_forgot(text):
    intent = classified(text, OTHER_FIRST)
    assert intent["name"] == "forgot_password"
    assert intent["confidence"] == pytest.approx(0.7)


def test_other_person_without_an_own_lapse_stays():
    text = "she got her login details, I got mine too, but hers doesn't work"
    assert classified(text, OTHER_FIRST)["name"] == "other_person_password"


def test_an_own_never_received_password_cancels_the_strong_reading():
    # "her login" alone is someone else's account; beside "I never received my password" not.
    assert find_third_person("she got her login details") is not None
    assert find_third_person(
        "My boss and I started together; she got her login details but I never received my password"
    ) is None


@pytest.mark.parametrize("text", [
    "my intern never received a password",
    "our new hire still hasn't been given a login",
    "she never got any credentials",
    "praktikanten har aldri fått passord",
    "den nye kollegaen min har ikke fått noe passord",
    "hun har aldri fått passord",
])
def test_a_third_persons_never_received_password_is_someone_elses(text):
    assert find_third_person(text) is not None


@pytest.mark.parametrize("text", [
    "my manager never got back to me",
    "my colleague never got a reply from IT",
    "sjefen har ikke fått svar",
])
def test_no_password_received_is_no_third_persons_trouble(text):
    assert find_third_person(text) is None


@pytest.mark.parametrize("text", [
    "Kan du lage en reset-forespørsel for Per i regnskap?",
    "kan du sende en sak for kollegaen min",
    "please file a reset request for my intern",
    "open a ticket for Maria in sales",
    "submit a request on behalf of him",
])
def test_a_request_for_someone_else_is_about_their_account(text):
    mention = find_account_mention(text)
    assert mention is not None and mention.entity == "other_account"


@pytest.mark.parametrize("text", [
    "går forespørselen til en person eller en maskin?",
    "ja, send forespørselen for meg",
    "sendte forespørsel for en time siden",
    "hold the request for now",
    "yes, please file the request for me",
])
def test_a_request_for_the_chatter_or_a_time_is_no_one_elses(text):
    assert find_third_person(text) is None


def test_a_request_for_someone_else_read_as_a_cancel_is_someone_elses():
    ranking = [{"name": "cancel_request", "confidence": 0.7},
               {"name": "other_person_password", "confidence": 0.2},
               {"name": "ask_process", "confidence": 0.1}]
    text = "Kan du lage en reset-forespørsel for Per i regnskap?"
    entities = [{"entity": "other_account", "start": 24, "end": 52, "value": text[24:52]}]
    assert classified(text, ranking, entities)["name"] == "other_person_password"


@pytest.mark.parametrize("text, expected", [
    ("begynte her på mandag og har ikke fått passord", False),
    ("Ny her, har aldri fått passord til Microsoft-kontoen", False),
    ("can you reset her password", True),
    ("hun er ny her og husker ikke passordet", True),
])
def test_norwegian_here_is_no_english_her(text, expected):
    assert mentions_anyone_else(text) is expected


def test_other_person_with_only_norwegian_here_is_taken_back():
    text = "Ny her, har aldri fått passord til Microsoft-kontoen"
    ranking = [{"name": "other_person_password", "confidence": 0.6},
               {"name": "forgot_password", "confidence": 0.4}]
    assert classified(text, ranking)["name"] == "forgot_password"


@pytest.mark.parametrize("language, text, human, role", [
    ("en", "pass me to one of your human colleagues", "human", "colleague"),
    ("en", "can one of your IT people take over", "human", "colleague"),
    ("nb", "sett meg over til en av kollegaene dine", "menneske", "kollega"),
    ("nb", "kan en av dine menneskelige kolleger ta over?", "menneske", "kollega"),
])
def test_the_assistants_colleagues_are_humans_to_hand_over_to(language, text, human, role):
    found = lemmas(language, text)
    assert human in found and role not in found


@pytest.mark.parametrize("language, text, role", [
    ("en", "my colleague forgot her password", "colleague"),
    ("nb", "kollegaen min har glemt passordet", "kollega"),
])
def test_a_colleague_of_the_chatter_stays_a_colleague(language, text, role):
    assert role in lemmas(language, text)


def test_a_name_after_for_is_a_name():
    assert "person_name" in lemmas("nb", "Kan du lage en reset-forespørsel for Per i regnskap?")
    assert "person_name" not in lemmas("nb", "Per i dag er det låst")
