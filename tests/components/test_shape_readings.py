"""A message whose shape says what it is: a pasted password that fails, a closing thanks."""

import pytest

from components.shape_readings import ShapeReadings
from guarded import classified_by


def classified(text, ranking, entities=()):
    return classified_by(ShapeReadings(), text, ranking, entities)


VAGUE = [{"name": "password_help", "confidence": 0.55},
         {"name": "forgot_password", "confidence": 0.3},
         {"name": "change_password", "confidence": 0.15}]
UNSURE_PROCESS = [{"name": "ask_process", "confidence": 0.5},
                  {"name": "forgot_password", "confidence": 0.2},
                  {"name": "password_help", "confidence": 0.3}]
CHANGE = [{"name": "change_password", "confidence": 0.6},
          {"name": "thank", "confidence": 0.3},
          {"name": "ask_process", "confidence": 0.1}]


@pytest.mark.parametrize("text, ranking, confidence", [
    ("I used [secret removed] until today and now it's rejected", VAGUE, 0.85),
    ("hadde [secret removed] før, men det funker ikke nå", VAGUE, 0.85),
    ("pretty sure it's [secret removed], login says invalid", UNSURE_PROCESS, 0.7),
    ("skrev [secret removed] som vanlig og får bare feil", UNSURE_PROCESS, 0.7),
])
def test_shape_readings_a_failing_pasted_password_is_forgotten(text, ranking, confidence):
    intent = classified(text, ranking)
    assert intent["name"] == "forgot_password"
    assert intent["confidence"] == pytest.approx(confidence)


# Session 15: read as remembering it, unsurely; a pasted password that fails is none.
@pytest.mark.parametrize("text", [
    "I had [secret removed] as my password and now it's rejected",
    "jeg husket [secret removed], men det blir avvist",
])
def test_shape_readings_a_failing_pasted_password_read_as_remembered_is_forgotten(text):
    ranking = [{"name": "remembered_password", "confidence": 0.38},
               {"name": "password_help", "confidence": 0.31},
               {"name": "forgot_password", "confidence": 0.27}]
    assert classified(text, ranking)["name"] == "forgot_password"


# Session 15: vague trouble that says outright the password is forgotten.
@pytest.mark.parametrize("text", [
    "Hi, Per said I should write here. I've forgotten my Microsoft password",
    "Kari sa jeg skulle skrive hit. Jeg har glemt passordet mitt",
    "got a notice it expires in 2 days, but I can't remember it anyway",
    "fikk varsel om at passordet går ut om 2 dager, men jeg husker det ikke uansett",
])
def test_shape_readings_vague_trouble_told_as_forgotten_is_forgotten(text):
    assert classified(text, VAGUE)["name"] == "forgot_password"


@pytest.mark.parametrize("text", [
    "I haven't forgotten my password, it just doesn't work",
    "jeg har ikke glemt passordet, det virker bare ikke",
    "he forgot his password and now it doesn't work",
    "what if I forget my password?",
    "I can't remember if I changed my password",
    "hun husker ikke passordet sitt",
])
def test_shape_readings_vague_trouble_not_told_as_forgotten_stays(text):
    assert classified(text, VAGUE)["name"] == "password_help"


@pytest.mark.parametrize("text", [
    "great, thanks, that was everything I was after",
    "ok thank you, I only wondered",
    "flott, takk, da er jeg klar over det",
    "ok tusen takk, det var alt",
])
def test_shape_readings_a_closing_thanks_is_a_thanks(text):
    intent = classified(text, CHANGE)
    assert intent["name"] == "thank"
    assert intent["confidence"] == pytest.approx(0.9)


OUT_OF_SCOPE = [{"name": "out_of_scope", "confidence": 0.9},
                {"name": "reset_request_status", "confidence": 0.1}]


@pytest.mark.parametrize("text", ["PH-7K3QXA", "ph-7k3qxa?", "#PH-W2R9TZ", "AB12-ZZZZZZ"])
def test_shape_readings_a_reference_alone_is_a_status_question(text):
    intent = classified(text, OUT_OF_SCOPE)
    assert intent["name"] == "reset_request_status"
    assert intent["confidence"] == pytest.approx(1.0)


@pytest.mark.parametrize("text, ranking", [
    ("PH-7K3QXA is wrong, cancel it", OUT_OF_SCOPE),  # more than a reference
    ("PH-7K3QXO", OUT_OF_SCOPE),  # not a reference's letters
    ("my password doesn't work", VAGUE),  # nothing pasted: ask whether they know it
    ("I need a new one, the current is [secret removed]", VAGUE),  # no failure told
    ("would [secret removed] work as a new one?", VAGUE),  # a question
    ("hvorfor virker ikke [secret removed]", [{"name": "ask_process", "confidence": 0.9},
                                             {"name": "forgot_password", "confidence": 0.1}]),
    ("thanks, now I'd like to change my password", CHANGE),  # asks for something
    ("takk, men jeg vil bytte passord", CHANGE),
    ("ok, I want to sort it out myself", CHANGE),  # no thanks
    ("thanks, what next?", CHANGE),  # a question
])
def test_shape_readings_leave_other_messages(text, ranking):
    assert classified(text, ranking)["name"] == ranking[0]["name"]


def test_shape_readings_leave_someone_elses_account_to_the_refusal():
    entity = {"entity": "third_person", "value": "Kari", "start": 0, "end": 4}
    assert classified("Kari had [secret removed] and it fails", VAGUE, [entity])["name"] == \
        "password_help"


FORGOT = [{"name": "forgot_password", "confidence": 0.6},
          {"name": "password_help", "confidence": 0.3},
          {"name": "remembered_password", "confidence": 0.1}]


# Session 17: read as forgotten, a password the chatter says they know that sign-in refuses
# or fails is vague trouble, whose rule gives the checks and then the offer.
@pytest.mark.parametrize("text", [
    "I remember my password but I can't log in",
    "I know my password, I just can't sign in to Teams",
    "jeg husker passordet mitt, men får ikke logget inn",
    "jeg vet det, men det blir avvist",
])
def test_shape_readings_a_known_password_refused_read_as_forgotten_is_vague_trouble(text):
    intent = classified(text, FORGOT)
    assert intent["name"] == "password_help"
    assert intent["confidence"] == pytest.approx(0.9)


@pytest.mark.parametrize("text, entities", [
    # Forgotten after all, not known, or someone else's.
    ("I remember the old one but forgot the new one and can't log in", ()),
    ("I don't remember my password and can't log in", ()),
    ("jeg husker ikke passordet og kommer ikke inn", ()),
    ("I forgot my password, can't log in", ()),
    ("she knows her password but can't log in", ()),
    ("Kari vet passordet sitt, men kommer ikke inn",
     [{"entity": "other_account", "value": "Kari", "start": 0, "end": 4}]),
])
def test_shape_readings_forgotten_or_someone_elses_stays_forgotten(text, entities):
    assert classified(text, FORGOT, entities)["name"] == "forgot_password"
