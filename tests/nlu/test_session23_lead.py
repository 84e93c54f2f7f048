"""Session 23, the lead's readings on the change/forgot line, both languages: a forgetting told
beside a change refused; everything but the password remembered, or the earlier password known
and the one in use not; how to change a password one has forgotten; no chance of remembering it;
the password known told fronted, turned round or blind, beside a wish for a new one. Each beside
neighbours that must stay as they are. No model: the readings and ShapeReadings on given
rankings. The phrasings are new, not those of the sets that were read."""

import pytest

from components.shape_readings import ShapeReadings
from guarded import classified_by
from passordhjelp.nlp.process_question import (
    asks_about_temporary_password,
    asks_if_remembered_later,
    asks_to_file_now,
)
from passordhjelp.nlp.remembered_now import remembered_after_all
from passordhjelp.nlp.request_withdrawn import refuses_sending
from passordhjelp.nlp.someone_else import set_aside, tells_own_trouble
from passordhjelp.nlp.forgotten_told import (
    all_but_one_known,
    refuses_change,
    tells_fault_unknown,
    tells_known_for_change,
    tells_known_plainly,
    tells_memory_failed,
)


def ranking(top, second="change_password", third="forgot_password"):
    return [{"name": top, "confidence": 0.7},
            {"name": second, "confidence": 0.2},
            {"name": third, "confidence": 0.1}]


@pytest.mark.parametrize("text", [
    "I've forgotten it. Not looking to change it, just need IT to reset it for me",
    "can't remember my password. I don't want to pick a new one myself, please just reset it",
    "husker ikke passordet, og jeg ønsker ikke å bytte det selv. Kan dere nullstille?",
    "Har glemt passordet. Vil ikke endre noe, trenger bare at noen tilbakestiller det",
])
def test_a_forgetting_beside_a_change_refused_is_forgotten(text):
    assert refuses_change(text)
    assert classified_by(ShapeReadings(), text, ranking("change_password", "forgot_password",
                                                        "password_help"))["name"] == \
        "forgot_password"


@pytest.mark.parametrize("text", [
    # A change refused, nothing forgotten: the reading stays (the dialogue asks).
    "I don't want to change my password, why does it keep asking?",
    "jeg vil ikke bytte passord hver tredje måned, må jeg det?",
    # Forgotten how, not the password.
    "I forgot how it works, I don't want to change anything by mistake",
])
def test_a_change_refused_without_a_forgotten_password_keeps_its_reading(text):
    assert classified_by(ShapeReadings(), text, ranking("change_password", "ask_process",
                                                        "forgot_password"))["name"] == \
        "change_password"


@pytest.mark.parametrize("text", [
    "I know everything except the password, username, email, all of it",
    "recall all but my pw 🙃",
    "kan alt annet utenom passordet",
    "Husker det meste bortsett fra passordet, dessverre",
    "I know the old password fine, just not the current one",
    "I remember my previous password but not the new one from Monday",
    "Kan det forrige utenat, men ikke det nye jeg satte i går",
    "husker det gamle passordet, men ikke det jeg byttet til etter ferien",
])
def test_all_but_the_password_or_all_but_the_current_one_known_is_forgotten(text):
    assert all_but_one_known(text)
    assert classified_by(ShapeReadings(), text, ranking("remembered_password"))["name"] == \
        "forgot_password"


@pytest.mark.parametrize("text", [
    "I remember everything now, password included",
    "I know the new password but not the old one",
    "husker alt, også passordet",
    "husker det nye, men ikke det gamle",
])
def test_the_password_in_use_known_is_not_all_but_one(text):
    assert not all_but_one_known(text)


@pytest.mark.parametrize("text", [
    "how can I update my password now that I've forgotten it?",
    "How am I meant to change it when I can't remember it",
    "Hvordan endrer jeg passordet når jeg ikke husker det?",
    "hvordan får jeg nytt passord nå som jeg har glemt det gamle",
    "Har ikke en sjanse til å huske det",
    "no way I'll remember it, it was one of those random ones",
    "Den ligger på tungespissen, men jeg klarer ikke få den ut",
    "Helt blankt i skallen, passordet er vekk",
    "Passordet jeg valgte i august er helt borte",
])
def test_forgetting_told_by_the_whole_message_is_forgotten(text):
    assert tells_memory_failed(text)
    assert classified_by(ShapeReadings(), text, ranking("password_help"))["name"] == \
        "forgot_password"


@pytest.mark.parametrize("text", [
    # A condition, not a forgetting: the process.
    "how do I change it if I forget it some day?",
    "Hvordan endrer jeg passordet hvis jeg glemmer det?",
    # A chance to do something else.
    "har ikke hatt sjans til å bytte det ennå",
    # Someone else.
    "how does she change it when she has forgotten it?",
])
def test_a_condition_a_missed_chance_or_someone_else_is_no_forgetting(text):
    assert not tells_memory_failed(text)


@pytest.mark.parametrize("text", [
    "The password itself I haven't forgotten. Just want to change it.",
    "Selve passordet har jeg aldri glemt, men jeg vil gjerne bytte det",
    "If I didn't know my password, how could I be logged in? I'd like to change it",
    "I can type it in my sleep, that's exactly why I want to replace it",
    "Passordet skriver jeg i blinde, men jeg er lei av det",
    "Passordet mitt kan jeg, hvordan får jeg et nytt?",
])
def test_the_password_known_fronted_turned_round_or_blind_beside_a_wish_is_a_change(text):
    assert tells_known_for_change(text)
    assert classified_by(ShapeReadings(), text, ranking("ask_process", "password_help"))[
        "name"] == "change_password"


@pytest.mark.parametrize("text", [
    # The old one known blind, the new one gone.
    "Det gamle kan jeg i søvne. Det jeg byttet til forrige uke er helt borte.",
    # Someone else's knowing.
    "if she didn't know her password, how would she log in? she wants to change it",
])
def test_the_old_one_known_and_the_new_one_gone_or_someone_elses_is_not_known_for_change(text):
    assert not tells_known_for_change(text)


def test_the_new_one_gone_is_not_told_known():
    assert not tells_known_plainly("Det gamle kan jeg i søvne. Det jeg byttet til forrige uke "
                                   "er helt borte.")


@pytest.mark.parametrize("text", [
    "not even sure which password is the current one anymore, none of them work",
    "Etter så mange bytter vet jeg ikke lenger hvilket passord som er det gjeldende",
    "passordet mitt ble glemt i løpet av ferien",
    "Så jeg plutselig at jeg ikke kan passordet, nettleseren har alltid fylt det inn",
    "when the browser stopped filling it in I realised I don't actually know my password",
    "threw away the note with the temporary password before I'd used it",
    "Det midlertidige passordet sto på en lapp, og den lappen har jeg mistet",
])
def test_not_sure_which_it_is_forgotten_in_the_passive_or_the_note_lost_is_forgotten(text):
    assert tells_memory_failed(text)


@pytest.mark.parametrize("text", [
    # Which one of several, not the password; a thing other than the password forgotten.
    "ikke sikker på hvilket skjema jeg skal bruke",
    "jeg vet ikke hva jeg skal gjøre med passordet",
    "glemt hvordan det gjøres",
    # The note lost, the password kept.
    "lost the note with my old temporary password, but I know the current one",
])
def test_a_choice_a_how_or_a_note_lost_beside_a_known_password_is_no_forgetting(text):
    assert not tells_memory_failed(text)


@pytest.mark.parametrize("text", [
    "Never had any trouble remembering it, I'd just like a stronger one",
    "Har det nåværende, men vil ikke bruke det lenger. Nytt, takk",
    "Glemt det har jeg ikke, men det er for enkelt, vil bytte",
    "Ikke det at jeg har glemt det, jeg liker det bare ikke",
])
def test_known_beside_a_reason_to_replace_it_is_a_change(text):
    assert tells_known_for_change(text)


@pytest.mark.parametrize("text", [
    "forgot it this morning but it just came back to me, sorry for the noise",
    "ok I recalled what I set it to, ignore my last message",
    "Hadde glemt det helt, men nå husket jeg det da jeg så tastaturet",
    "Nei vent, passordet kom tilbake",
])
def test_a_remembering_told_last_is_remembered_after_all(text):
    assert remembered_after_all(text)
    assert classified_by(ShapeReadings(), text, ranking("forgot_password"))["name"] == \
        "remembered_password"


@pytest.mark.parametrize("text", [
    # Lost again after, a machine's memory, someone else's, a belief that failed.
    "it came back to me for a moment, then it was gone again",
    "the browser remembered it for me and now I don't know it",
    "Nettleseren husket det for meg, nå aner jeg ikke hva det er",
    "she remembered it, I still haven't",
    "trodde jeg husket det, men nei",
    # Remembered, then a wish for a new one: a change.
    "remembered it after all, but I'd like to change it now",
    "kom på det, men vil bytte det likevel",
])
def test_lost_again_a_machines_someone_elses_or_a_change_after_is_not_remembered_after_all(text):
    assert not remembered_after_all(text)


@pytest.mark.parametrize("text", [
    "what happens if I remember it later?",
    "Can I still cancel if I recall my password in the meantime?",
    "hva skjer hvis jeg kommer på det igjen senere?",
    "kan jeg avbryte dersom jeg husker passordet i mellomtiden?",
])
def test_remembering_as_the_condition_of_a_question_is_a_process_question(text):
    assert asks_if_remembered_later(text)
    assert classified_by(ShapeReadings(), text, ranking("remembered_password", "ask_process"))[
        "name"] == "ask_process"


@pytest.mark.parametrize("text", [
    # Remembering told, not a condition.
    "oh, I remember it now, what do I do next?",
    "husker det nå, hva gjør jeg?",
])
def test_remembering_told_beside_a_question_stays_remembered(text):
    assert not asks_if_remembered_later(text)


@pytest.mark.parametrize("text", [
    "Nei, vet du hva, jeg ordner det med sjefen i morgen. Ikke send noe.",
    "nah, don't file anything, I'll sort it out with IT myself",
])
def test_sending_refused_outright_is_a_no(text):
    assert refuses_sending(text)
    assert classified_by(ShapeReadings(), text, ranking("forgot_password", "deny"))["name"] == "deny"


@pytest.mark.parametrize("text", [
    "I forgot my password, can you send a request?",
    "glemt passordet, send forespørsel",
])
def test_a_request_to_send_is_no_refusal(text):
    assert not refuses_sending(text)


@pytest.mark.parametrize("text", [
    "can't remember my password. could you file a reset request for me please",
    "Husker ikke passordet. Kan du sende en forespørsel om nullstilling?",
])
def test_a_request_asked_for_now_beside_a_forgetting_read_as_status_is_forgotten(text):
    assert asks_to_file_now(text)
    assert classified_by(ShapeReadings(), text, ranking("reset_request_status"))["name"] == \
        "forgot_password"


@pytest.mark.parametrize("text", [
    # An earlier request pointed at: a status question.
    "I forgot my password and filed a request yesterday, could you send a request again?",
    "ba om reset i går fordi jeg har glemt passordet, kan du sende en forespørsel til?",
])
def test_an_earlier_request_pointed_at_is_no_request_asked_for_now(text):
    assert not asks_to_file_now(text)


@pytest.mark.parametrize("text", [
    "will I get a temporary password by email or sms?",
    "Does the temp password expire if I don't use it?",
    "Må jeg bruke det midlertidige passordet samme dag?",
    "Hvor lenge varer det midlertidige passordet?",
])
def test_a_question_about_the_temporary_password_is_a_process_question(text):
    assert asks_about_temporary_password(text)
    assert classified_by(ShapeReadings(), text, ranking("change_password"))["name"] == \
        "ask_process"


@pytest.mark.parametrize("text", [
    "Kontoen er midlertidig låst",
    "I lost the temporary password IT gave me",
])
def test_a_temporary_lock_or_a_lost_temporary_password_is_no_such_question(text):
    assert not asks_about_temporary_password(text)


def test_an_admin_asking_how_to_give_a_temporary_password_keeps_the_admin_reading():
    text = "Kan jeg som admin gi en bruker et midlertidig passord?"
    assert classified_by(ShapeReadings(), text, ranking("admin_reset_user_password"))["name"] == \
        "admin_reset_user_password"


@pytest.mark.parametrize("text", [
    "can't sign in with my pw, not sure what's wrong",
    "Får ikke logget inn, skjønner ikke hva som feiler",
    "Det er noe rart med passordet, aner ikke hva",
])
def test_the_fault_not_known_read_as_forgotten_is_vague_trouble(text):
    assert tells_fault_unknown(text)
    assert classified_by(ShapeReadings(), text, ranking("forgot_password", "password_help"))[
        "name"] == "password_help"


@pytest.mark.parametrize("text", [
    "no idea what my password is",
    "aner ikke hva det er, har glemt passordet",
])
def test_the_password_not_known_is_no_unknown_fault(text):
    assert not tells_fault_unknown(text)


@pytest.mark.parametrize("text", [
    "låst ute etter for mange forsøk, kollegaen min Kari sa du kunne hjelpe",
    "Glemt passordet. Kollegaen min Per sa jeg skulle spørre her",
    "locked out again, my colleague Jonas said to ask here",
])
def test_own_trouble_told_first_without_a_subject_sets_a_passing_person_aside(text):
    assert tells_own_trouble(text)
    assert set_aside(text)


@pytest.mark.parametrize("text", [
    # The person's own trouble; a person and no trouble first.
    "kollegaen min Per sa at han er låst ute",
    "my colleague Jonas is locked out, he said to ask here",
])
def test_someone_elses_trouble_told_first_is_not_the_chatters(text):
    assert not tells_own_trouble(text)


@pytest.mark.parametrize("text", [
    "I changed it in March and the new one just never stuck",
    "Satte nytt passord i går, men det nye satt seg aldri",
    "Etter ferien var passordet som visket ut",
    "It starts with a capital, after that I'm guessing and nothing works",
    "Tried birthdays and pet names, I've run out of ideas",
    "the change page needs the current password and I lost that somewhere",
])
def test_the_new_one_never_stuck_wiped_out_or_guessing_is_forgotten(text):
    assert tells_memory_failed(text)


@pytest.mark.parametrize("text", [
    "If I didn't know my current password I'd be calling IT, but I do. How do I change it?",
    "The thing I've lost is the guide for changing it, not the password",
    "Det jeg har glemt er hvor man bytter, ikke passordet",
    "The password itself I've got, I just can't find where to change it",
])
def test_the_password_known_against_something_else_lost_beside_a_wish_is_a_change(text):
    assert tells_known_for_change(text)


def test_the_old_one_known_and_the_new_one_lost_after_is_not_known_for_change():
    assert not tells_known_for_change("If I didn't know my password I'd be calling IT. I want to "
                                      "change it, but not the new one, that one's gone")
