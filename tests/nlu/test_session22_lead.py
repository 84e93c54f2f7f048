"""Session 22, the lead's reading: the password told known beside a wish for a new one is a change,
however the words of remembering or forgetting pull the classifier (towards remembering it after
all, vague trouble or forgetting). Its neighbours, which must stay what they are, are beside it:
a password lost after the one known, a belief that failed, someone else's, a wish withdrawn,
sign-in refusing it. No model: the reading and ShapeReadings on given rankings."""

import pytest

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.close_call_guard import CloseCallGuard
from components.shape_readings import ShapeReadings
from guarded import classified_by
from readings import lemmas
from passordhjelp.nlp.how_to_change import asks_how_to_change
from passordhjelp.nlp.process_question import asks_about_process
from passordhjelp.nlp.request_withdrawn import withdraws_request
from passordhjelp.nlp.forgotten_told import (
    all_but_one_known,
    doubts_knowing,
    tells_forgotten_plainly,
    tells_known_for_change,
)

KNOWN_FOR_CHANGE = [
    "i still remember my password fine, just want to update it before the audit",
    "I know the current one, but it's far too short, can I make a stronger one?",
    "my old password still works, I'd just like a different one",
    "Not forgotten at all, I simply want to replace it",
    "I haven't lost it, it's just that half the office saw me type it. need a new one",
    "Forgot it back in spring and IT reset it. Now I know it and want to change it myself.",
    "I log in every day without any trouble but I want a fresh password",
    "was convinced I'd forgotten it, then it came back to me. still want a new one though",
    "I have it memorised, but it's my cat's name, so how do I change it?",
    # Knowing told plainly, the password fronted after another thing forgotten.
    "My email address I always forget, the password never. Still, I'd like a new one.",
    # Forgetting wished for or supposed against the facts.
    "I wish I could forget it, it's my ex's name. Time to change it",
    "if I had forgotten my password I wouldn't be logged in right now. I want to update it",
]

NOT_KNOWN_FOR_CHANGE = [
    # A password lost after the one known, or forgetting told after the knowing.
    "I know the old one, but not the new one I set yesterday, and I need to change it",
    "I remembered it this morning, but now I've forgotten my password and want a new one",
    "The password I know is from last year. The new one? No idea. Can I get a new one?",
    # A belief that failed, a condition, someone else.
    "I thought I knew it, but it keeps failing, can I get a new one",
    "if I know the old one, can I change it myself?",
    "she knows her password but wants a new one",
    # Sign-in refusing it, or the wish withdrawn.
    "I know my password but it won't accept it, do I need a new one?",
    "oh it came back to me, I don't need a new one after all",
    # Known, no wish for a new one.
    "I remember it now, thanks",
]


@pytest.mark.parametrize("text", KNOWN_FOR_CHANGE)
def test_a_password_told_known_beside_a_wish_for_a_new_one_is_known_for_change(text):
    assert tells_known_for_change(text)


@pytest.mark.parametrize("text", NOT_KNOWN_FOR_CHANGE)
def test_lost_doubted_refused_withdrawn_or_someone_elses_is_not_known_for_change(text):
    assert not tells_known_for_change(text)


READINGS = {
    "password_help": [{"name": "password_help", "confidence": 0.9},
                      {"name": "change_password", "confidence": 0.06},
                      {"name": "forgot_password", "confidence": 0.04}],
    "remembered_password": [{"name": "remembered_password", "confidence": 0.7},
                            {"name": "change_password", "confidence": 0.2},
                            {"name": "forgot_password", "confidence": 0.1}],
    "forgot_password": [{"name": "forgot_password", "confidence": 0.55},
                        {"name": "change_password", "confidence": 0.4},
                        {"name": "password_help", "confidence": 0.05}],
}


@pytest.mark.parametrize("reading", sorted(READINGS))
@pytest.mark.parametrize("text", KNOWN_FOR_CHANGE[:3])
def test_shape_readings_take_a_known_password_and_a_wish_back_to_a_change(reading, text):
    intent = classified_by(ShapeReadings(), text, READINGS[reading])
    assert intent["name"] == "change_password"
    # The change holds the confidence of every reading pooled into it.
    assert intent["confidence"] == pytest.approx(1.0)


def test_shape_readings_keep_a_known_password_and_a_wish_from_the_close_call():
    # change and forgot within the close call's margin: pooled into the change, forgot is no
    # longer beside it to be asked about.
    close = [{"name": "change_password", "confidence": 0.5},
             {"name": "forgot_password", "confidence": 0.4},
             {"name": "thank", "confidence": 0.1}]
    guards = [ShapeReadings(), CloseCallGuard({"margin": 0.2})]
    message = Message(data={TEXT: KNOWN_FOR_CHANGE[0], INTENT: dict(close[0]),
                            INTENT_RANKING_KEY: close, ENTITIES: []})
    for guard in guards:
        [message] = guard.process([message])
    assert message.get(INTENT) == {"name": "change_password", "confidence": pytest.approx(0.9)}


@pytest.mark.parametrize("text", NOT_KNOWN_FOR_CHANGE)
def test_shape_readings_leave_the_neighbours_of_a_known_password_as_read(text):
    assert classified_by(ShapeReadings(), text, READINGS["remembered_password"])["name"] != \
        "change_password"


def test_shape_readings_leave_a_known_password_of_someone_elses_account_to_the_refusal():
    text = "For Per: the old one still works, he'd just like a new one"
    assert tells_known_for_change(text)  # the words alone; the entity says whose it is
    entity = {"entity": "other_account", "value": "Per", "start": 4, "end": 7}
    assert classified_by(ShapeReadings(), text, READINGS["password_help"], [entity])["name"] == \
        "password_help"


@pytest.mark.parametrize("text", [
    "I do know my user name, just not the password",
    "remember my login name alright but not my actual password",
    "I haven't forgotten my email address, only the password",
    "The username comes back to me straight away, the password never.",
    "I can tell you my phone number and my badge code, but my password, nope",
])
def test_every_other_thing_known_but_the_password_is_forgotten(text):
    assert all_but_one_known(text)
    intent = classified_by(ShapeReadings(), text, READINGS["remembered_password"])
    assert intent["name"] == "forgot_password"


@pytest.mark.parametrize("text", [
    # The password is what is known.
    "I forgot my username but not the password",
    "I know my password, just not my username",
    # Nothing set against the password.
    "I remember my email address",
])
def test_the_password_known_or_not_set_against_is_not_all_but_one(text):
    assert not all_but_one_known(text)


@pytest.mark.parametrize("text", [
    # A belief of knowing that failed, the knowing a change needs told missing.
    "I thought I remembered it until the login page said no.",
    "was sure i knew my password, but apparently not",
    "I would change it gladly, but I'd need to remember the current one first",
    # The object named loosely, a trailing filler, a clue one hasn't got.
    "I've completely forgotten mine",
    "I forgot what I picked lol",
    "the sign-in wants my password, which I have no clue about",
])
def test_forgetting_told_across_clauses_or_loosely_is_told_plainly(text):
    assert tells_forgotten_plainly(text)


@pytest.mark.parametrize("text", [
    # A belief of forgetting that was wrong, someone else's belief, a knowing that held.
    "figured I forgot it, but it worked after all",
    "she thought she knew it until she had to type it",
    "I thought I knew it and I did, it works",
    "I'd have to know it first, and I do, so how do I change it?",
])
def test_a_belief_proved_wrong_or_someone_elses_is_not_told_plainly(text):
    assert not tells_forgotten_plainly(text)


def test_shape_readings_take_a_plain_forgetting_read_as_remembered_back_to_forgotten():
    text = "They told me it would come back. It did not. I do not remember it."
    assert classified_by(ShapeReadings(), text, READINGS["remembered_password"])["name"] == \
        "forgot_password"


@pytest.mark.parametrize("text", [
    "where do I change it? can't find the password bit in the settings",
    "I cannot locate the password part anywhere",
])
def test_a_part_of_the_screen_not_found_is_a_menu_search_not_a_lost_password(text):
    assert "menu_search" in lemmas("en", text)
    assert "still_lost" not in lemmas("en", text)


def test_the_password_itself_not_found_is_still_lost():
    assert "still_lost" in lemmas("en", "I can't find the password I wrote down")


PROCESS = [{"name": "ask_process", "confidence": 0.6},
           {"name": "change_password", "confidence": 0.3},
           {"name": "forgot_password", "confidence": 0.1}]


@pytest.mark.parametrize("text", [
    "IT wants our passwords longer now. How can I update mine?",
    "the security course said to make my password stronger, how do I go about it",
    "Jeg har fått beskjed om å skifte passord. Hvordan skifter jeg?",
    "Må bytte før fredag, forklar meg stegene",
])
def test_a_how_question_about_changing_read_as_the_process_is_a_change(text):
    assert asks_how_to_change(text)
    assert classified_by(ShapeReadings(), text, PROCESS)["name"] == "change_password"


@pytest.mark.parametrize("text", [
    # The process itself, forgetting told, an administrator's question, someone else.
    "how long does a reset take?",
    "Do I have to change the temporary password after I sign in?",
    "How do I change my password? I don't know the old one anymore",
    "how do I make a user change their password at next sign-in",
    "Hvordan endrer jeg passordet til en ansatt?",
])
def test_process_questions_forgetting_and_admin_questions_stay_as_read(text):
    assert classified_by(ShapeReadings(), text, PROCESS)["name"] != "change_password"


@pytest.mark.parametrize("reading", ["change_password", "forgot_password"])
@pytest.mark.parametrize("text", [
    "not sure whether I've forgotten it or someone changed it",
    "either I forgot it or IT reset it without telling me",
    "I think I remember it but I'm not certain, can I change it?",
    "Usikker på om jeg husker det, det var en stund siden",
    "Vet ikke om jeg har glemt det eller om noen har endret det",
])
def test_knowing_told_in_doubt_both_ways_open_is_vague_trouble(reading, text):
    assert doubts_knowing(text)
    ranking = [{"name": reading, "confidence": 0.7}, {"name": "password_help", "confidence": 0.3}]
    assert classified_by(ShapeReadings(), text, ranking)["name"] == "password_help"


@pytest.mark.parametrize("text", [
    # Leaning to forgetting, no doubt, or the doubt about something else.
    "not sure I remember it at all anymore",
    "usikker på om jeg husker det lenger",
    "I forgot my password",
    "not sure if I should change it now or next week",
])
def test_a_doubt_leaning_to_forgetting_or_about_something_else_is_not_doubted(text):
    assert not doubts_knowing(text)


@pytest.mark.parametrize("text, lemma", [
    # "no" after interjections only opens an answer, it negates nothing.
    ("ah no wait i know it again", "recovered"),
    ("oh no I forgot it", "forget"),
])
def test_no_after_an_interjection_only_is_an_answer_not_a_negator(text, lemma):
    assert lemma in lemmas("en", text)
    assert not any(word.startswith("neg_") for word in lemmas("en", text))


def test_no_after_other_words_still_negates():
    assert "neg_problem" in lemmas("en", "I have no problem with it")


@pytest.mark.parametrize("text", [
    "honestly the work password escapes me",
    "it's right on the tip of my tongue and still nothing",
    "that password doesn't ring a bell any more",
    "I haven't the faintest what my password is",
    "I have zero recollection of setting it",
    "can't bring the password to mind at all",
    "my brain is mush today, no password",
    "the new password is a complete mystery to me",
    "some kind of password amnesia after my holiday",
])
def test_more_ways_to_say_the_memory_failed_read_as_forgetting(text):
    assert "forget" in lemmas("en", text)


@pytest.mark.parametrize("text", [
    "how long does a reset normally take?",
    "who approves the reset requests here?",
    "Hvor lenge pleier det å ta før man får nytt passord?",
    "Hva skjer etter at forespørselen er sendt, sånn generelt?",
])
def test_a_status_reading_of_a_question_about_the_process_is_a_process_question(text):
    assert asks_about_process(text)
    status = [{"name": "reset_request_status", "confidence": 0.6},
              {"name": "ask_process", "confidence": 0.4}]
    assert classified_by(ShapeReadings(), text, status)["name"] == "ask_process"


@pytest.mark.parametrize("text", [
    # A request already made, a reference, still waiting.
    "how long does my request usually take, I sent it this morning",
    "Hvor lenge må jeg vente? Jeg ba om nytt passord i går",
    "what happens next with PH-4411?",
    "still nothing, how long does it take?",
])
def test_a_question_about_a_request_already_made_stays_a_status_question(text):
    assert not asks_about_process(text)


@pytest.mark.parametrize("text, lemma", [
    ("since the holidays my password simply isn't there", "forget"),
    ("I had it last week and I've lost it totally", "forget"),
])
def test_the_password_not_there_or_lost_completely_reads_as_forgetting(text, lemma):
    assert lemma in lemmas("en", text)


def test_an_option_not_there_is_no_forgetting():
    assert "forget" not in lemmas("en", "the change option isn't there in the menu")


@pytest.mark.parametrize("text", [
    "det nye passordet gikk rett i glemmeboka",
    "har det på tungespissen, men det kommer ikke",
])
def test_norwegian_idioms_of_a_failed_memory_read_as_forgetting(text):
    assert "glemme" in lemmas("nb", text)


@pytest.mark.parametrize("text, reading", [
    ("please call off my password reset request", "reset_request_status"),
    ("I'd like to take back the ticket I opened this morning, ref PH-2231", "reset_request_status"),
    ("Avbryt forespørselen min, jeg fant passordet", "remembered_password"),
    ("trekk tilbake saken, takk", "change_password"),
])
def test_a_reset_request_named_and_taken_back_is_a_withdrawal(text, reading):
    assert withdraws_request(text)
    ranking = [{"name": reading, "confidence": 0.6}, {"name": "cancel_request", "confidence": 0.4}]
    assert classified_by(ShapeReadings(), text, ranking)["name"] == "cancel_request"


@pytest.mark.parametrize("text", [
    "has my request been picked up?",
    "what happens if I cancel?",
    "Hvordan går det med saken min?",
])
def test_a_request_not_taken_back_is_no_withdrawal(text):
    assert not withdraws_request(text)


def test_someone_elses_request_taken_back_is_left_as_read():
    text = "cancel the reset request for Per"
    entity = {"entity": "other_account", "value": "Per", "start": 29, "end": 32}
    ranking = [{"name": "reset_request_status", "confidence": 0.6}]
    assert withdraws_request(text)
    assert classified_by(ShapeReadings(), text, ranking, [entity])["name"] == \
        "reset_request_status"


UNSURE_FORGOT = [{"name": "forgot_password", "confidence": 0.33},
                 {"name": "admin_reset_user_password", "confidence": 0.3},
                 {"name": "ask_process", "confidence": 0.2},
                 {"name": "thank", "confidence": 0.17}]


@pytest.mark.parametrize("text", [
    "forgot my password!! urgent, meeting in 5",
    "har glemt passordet, trenger det fikset før lunsj",
])
def test_an_unsure_forgetting_told_outright_keeps_the_readings_beside_it(text):
    intent = classified_by(ShapeReadings(), text, UNSURE_FORGOT)
    # Above the fallback's threshold (0.35): forgetting with the admin and process readings.
    assert intent == {"name": "forgot_password", "confidence": pytest.approx(0.83)}


@pytest.mark.parametrize("text, entities", [
    ("urgent!! meeting in 5", ()),  # no forgetting told
    ("Per forgot his password, urgent", [{"entity": "other_account", "value": "Per",
                                          "start": 0, "end": 3}]),
])
def test_an_unsure_forgetting_not_told_or_someone_elses_stays_unsure(text, entities):
    assert classified_by(ShapeReadings(), text, UNSURE_FORGOT, entities)["confidence"] == \
        pytest.approx(0.33)
