"""Telling a follow-up to the last answer from a new question, in both languages."""

import pytest

from passordhjelp.dialogue_follow_up import FollowUp, read_follow_up
from trackers import nlu_entities


def parse(text, intent, entities=(), topic="what_next", confidence=0.6):
    return {"text": text, "intent": {"name": intent, "confidence": confidence},
            "entities": list(entities),
            "response_selector": {"ask_process": {"response": {
                "utter_action": f"utter_ask_process/{topic}"}}}}


@pytest.mark.parametrize("text, topic, expected", [
    ("can I do it on my phone?", "how_long", FollowUp.CHANGE_QUESTION),
    ("kan jeg gjøre det fra mobilen?", "what_next", FollowUp.CHANGE_QUESTION),
    ("and will IT see my password?", "password_privacy", FollowUp.NONE),
    ("og ser IT passordet mitt?", "password_privacy", FollowUp.NONE),
])
def test_dialogue_follow_up_after_the_change_steps_by_the_process_topic(text, topic, expected):
    # Only a question whose process answer would be about a filed request is
    # taken for one about changing the password.
    assert read_follow_up(parse(text, "ask_process", topic=topic),
                          previous_step="action_show_change_steps",
                          admin_steps_shown=False) is expected


@pytest.mark.parametrize("text, intent, previous, admin, declined, expected", [
    # After a status answer: still waiting is about that request.
    ("nothing has happened for three days", "out_of_scope", "action_show_request_status",
     False, False, FollowUp.STATUS),
    ("jeg har ventet i flere timer", "out_of_scope", "action_show_request_status",
     False, False, FollowUp.STATUS),
    ("what's the weather like", "out_of_scope", "action_show_request_status",
     False, False, FollowUp.NONE),
    # Session 15: nothing received, read as a forgotten password, is about that request.
    ("I haven't received any text or email about it", "forgot_password",
     "action_show_request_status", False, False, FollowUp.STATUS),
    ("har ikke fått verken sms eller e-post om det", "forgot_password",
     "action_show_request_status", False, False, FollowUp.STATUS),
    ("I still haven't got my password back, I forgot it", "forgot_password",
     "utter_greet", False, False, FollowUp.NONE),
    ("I forgot my password", "forgot_password", "action_show_request_status",
     False, False, FollowUp.NONE),
    ("nothing has happened for three days", "out_of_scope", "utter_greet",
     False, False, FollowUp.NONE),
    # After the admin steps: a user's password, not the admin's own.
    ("can I require them to pick a new one?", "change_password", "utter_learn_more",
     True, False, FollowUp.ADMIN_STEPS),
    ("må de ansatte bytte det selv etterpå?", "change_password", "utter_learn_more",
     True, False, FollowUp.ADMIN_STEPS),
    ("and how do I change my own password?", "change_password", "utter_learn_more",
     True, False, FollowUp.NONE),
    ("can I require them to pick a new one?", "change_password", "utter_greet",
     False, False, FollowUp.NONE),
    # After the change steps: where or how to do it.
    ("which menu is that in?", "ask_process", "action_show_change_steps",
     False, False, FollowUp.CHANGE_STEPS),
    ("hvordan kommer jeg dit, er det der?", "ask_process", "action_show_change_steps",
     False, False, FollowUp.CHANGE_STEPS),
    ("where is that exactly", "out_of_scope", "action_show_change_steps",
     False, False, FollowUp.CHANGE_STEPS),
    # A place the change steps name points back at them as "that" does ...
    ("where is View account exactly?", "ask_process", "action_show_change_steps",
     False, False, FollowUp.CHANGE_STEPS),
    ("hvor finner jeg Vis konto?", "out_of_scope", "action_show_change_steps",
     False, False, FollowUp.CHANGE_STEPS),
    ("how do I get to the settings page", "ask_process", "action_show_change_steps",
     False, False, FollowUp.CHANGE_STEPS),
    # ... unless the question names a request or a reset, or comes after another answer.
    ("how long is a reset from the profile page?", "ask_process", "action_show_change_steps",
     False, False, FollowUp.NONE),
    ("hvor er profilbildet mitt?", "ask_process", "utter_ask_process",
     False, False, FollowUp.NONE),
    ("how long does a reset take?", "ask_process", "action_show_change_steps",
     False, False, FollowUp.NONE),
    # After the change steps: any other question that names no request or reset
    # is about changing it.
    ("will the new one work in teams on my tablet too?", "ask_process",
     "action_show_change_steps", False, False, FollowUp.CHANGE_QUESTION),
    ("går det an å gjøre dette på telefonen?", "ask_process", "action_show_change_steps",
     False, False, FollowUp.CHANGE_QUESTION),
    ("hvor lang tid tar forespørselen?", "ask_process", "action_show_change_steps",
     False, False, FollowUp.NONE),
    ("will the new one work in teams on my tablet too?", "ask_process", "utter_greet",
     False, False, FollowUp.NONE),
    # A device named right after the steps, read as a change or as remembering it: changing
    # it there; with a request word, or after another answer, it is what it was read as.
    ("how do I do it on my phone?", "change_password", "action_show_change_steps",
     False, False, FollowUp.CHANGE_QUESTION),
    ("kan jeg gjøre det på telefonen?", "remembered_password", "action_show_change_steps",
     False, False, FollowUp.CHANGE_QUESTION),
    ("how do I do it on my phone?", "out_of_scope", "action_show_change_steps",
     False, False, FollowUp.CHANGE_QUESTION),
    ("how do I do it on my phone?", "change_password", "utter_greet",
     False, False, FollowUp.NONE),
    ("can I file the reset request from my phone?", "change_password",
     "action_show_change_steps", False, False, FollowUp.NONE),
    # After the admin steps: a process question about the user.
    ("and can I make him choose a new one when he logs on?", "ask_process",
     "utter_learn_more", True, False, FollowUp.ADMIN_STEPS),
    ("kan jeg kreve at brukeren velger et nytt selv?", "ask_process", "utter_learn_more",
     True, False, FollowUp.ADMIN_STEPS),
    ("and can I make him choose a new one when he logs on?", "ask_process",
     "action_show_request_status", True, False, FollowUp.NONE),
    ("må brukerne lage nytt selv etterpå?", "out_of_scope", "utter_learn_more",
     True, False, FollowUp.ADMIN_STEPS),
    # After an out-of-scope answer: a question about the same thing, or never mind.
    ("ok so who should I talk to about that?", "ask_process", "utter_out_of_scope",
     False, False, FollowUp.OUT_OF_SCOPE),
    ("hvem kan ordne det da?", "ask_process", "utter_out_of_scope_follow_up",
     False, False, FollowUp.OUT_OF_SCOPE),
    ("how long does a reset take?", "ask_process", "utter_out_of_scope",
     False, False, FollowUp.NONE),
    ("forget it, got it from a colleague", "remembered_password", "utter_out_of_scope",
     False, False, FollowUp.OUT_OF_SCOPE),
    ("glem det, fant det selv", "remembered_password", "utter_out_of_scope_follow_up",
     False, False, FollowUp.OUT_OF_SCOPE),
    ("oh I remember it now", "remembered_password", "reset_request_form",
     False, False, FollowUp.NONE),
    # Right after a decline: putting it off.
    ("I'll sort out a few things first", "change_password", "action_file_reset_request",
     False, True, FollowUp.POSTPONED),
    ("tar det heller senere", "reset_request_status", "action_file_reset_request",
     False, True, FollowUp.POSTPONED),
    ("can I do it later?", "ask_process", "action_file_reset_request",
     False, True, FollowUp.NONE),
    # Session 15: waiting it out is putting it off too.
    ("I'll just wait it out, thanks", "ask_process", "action_file_reset_request",
     False, True, FollowUp.POSTPONED),
    ("jeg venter bare, takk", "ask_process", "action_file_reset_request",
     False, True, FollowUp.POSTPONED),
    ("I'll sort out a few things first", "change_password", "action_file_reset_request",
     False, False, FollowUp.NONE),
])
def test_dialogue_follow_up_read_against_the_last_answer(text, intent, previous, admin,
                                                         declined, expected):
    assert read_follow_up(parse(text, intent), previous_step=previous,
                          admin_steps_shown=admin, declined=declined) is expected


@pytest.mark.parametrize("entities, expected", [
    # "I'll run it past my supervisor first" read as someone else's account: put off.
    ((), FollowUp.POSTPONED),
    # A message that names another person's account is never put off this way.
    (({"entity": "other_account", "value": "my supervisor's login"},), FollowUp.NONE),
])
def test_dialogue_follow_up_put_off_read_as_someone_else(entities, expected):
    message = parse("I'll run it past my supervisor first", "other_person_password", entities)
    assert read_follow_up(message, previous_step="action_file_reset_request",
                          admin_steps_shown=False, declined=True) is expected


@pytest.mark.parametrize("text, confidence, previous, expected", [
    # Right after the admin steps, a question about the user read unsurely as asking
    # for a person is about the user; a sure one, or one after another answer, is not.
    ("can I make that user set a fresh one at next logon?", 0.45, "utter_learn_more",
     FollowUp.ADMIN_STEPS),
    ("kan jeg tvinge de ansatte til å lage et nytt selv?", 0.4, "utter_admin_reset_steps",
     FollowUp.ADMIN_STEPS),
    ("can I talk to someone about the users instead", 0.9, "utter_learn_more", FollowUp.NONE),
    ("can I make that user set a fresh one at next logon?", 0.45, "utter_greet",
     FollowUp.NONE),
])
def test_dialogue_follow_up_a_user_question_read_unsurely_as_asking_for_a_person(
        text, confidence, previous, expected):
    message = parse(text, "human_handoff", confidence=confidence)
    assert read_follow_up(message, previous_step=previous, admin_steps_shown=True) is expected


@pytest.mark.parametrize("text, intent, filed, expected", [
    # After a filing in the conversation, a short question about "it" asks for its status ...
    ("so where's it at right now?", "ask_process", True, FollowUp.STATUS),
    ("hva skjer med den nå?", "ask_process", True, FollowUp.STATUS),
    ("any progress on that?", "out_of_scope", True, FollowUp.STATUS),
    ("hvordan går det med saken?", "out_of_scope", True, FollowUp.STATUS),
    # ... how long it takes, or what happens next, is still the process ...
    ("how long does that usually take?", "ask_process", True, FollowUp.NONE),
    ("hvor lang tid tar det?", "ask_process", True, FollowUp.NONE),
    ("what happens next?", "ask_process", True, FollowUp.NONE),
    ("hva skjer nå?", "ask_process", True, FollowUp.NONE),
    # ... and so is a short one with a news word, even unclear to the classifier ...
    ("any news?", "nlu_fallback", True, FollowUp.STATUS),
    ("hørt noe?", "nlu_fallback", True, FollowUp.STATUS),
    ("heard anything yet?", "out_of_scope", True, FollowUp.STATUS),
    ("noe nytt?", "ask_process", True, FollowUp.STATUS),
    ("any news?", "deny", True, FollowUp.STATUS),
    ("hørt noe?", "deny", True, FollowUp.STATUS),
    ("no news, thanks", "deny", True, FollowUp.NONE),
    # ... but not a longer message with one, nor news about when ...
    ("I heard the canteen has news about lunch today", "out_of_scope", True, FollowUp.NONE),
    ("any news on when?", "nlu_fallback", True, FollowUp.NONE),
    # ... and nothing filed, nothing to ask the status of.
    ("so where's it at right now?", "ask_process", False, FollowUp.NONE),
    ("hva skjer med den nå?", "ask_process", False, FollowUp.NONE),
    ("any news?", "nlu_fallback", False, FollowUp.NONE),
    ("hørt noe?", "nlu_fallback", False, FollowUp.NONE),
])
def test_dialogue_follow_up_after_filing_a_question_about_it_is_its_status(text, intent, filed,
                                                                             expected):
    assert read_follow_up(parse(text, intent), previous_step="utter_learn_more",
                          admin_steps_shown=False, filed=filed) is expected


def ranked(text, *ranking):
    """A fallback parse with the classifier's ranking below it."""
    return {**parse(text, "nlu_fallback", confidence=0.35),
            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.35}]
            + [{"name": name, "confidence": confidence} for name, confidence in ranking]}


@pytest.mark.parametrize("message, expected", [
    # Too close to tell between forgotten and locked: both are the offer ...
    (ranked("låst ute etter mange forsøk, husker ikke hva jeg satte det til",
            ("forgot_password", 0.46), ("account_locked", 0.449)), FollowUp.FORGOT),
    (ranked("locked out after too many tries, can't remember it",
            ("account_locked", 0.41), ("forgot_password", 0.40)), FollowUp.FORGOT),
    # ... not when one of the two is something else, or both are unsure.
    (ranked("I forgot, or do you mean the change?", ("forgot_password", 0.41),
            ("change_password", 0.40)), FollowUp.NONE),
    (ranked("hmm passord", ("forgot_password", 0.2), ("account_locked", 0.19)), FollowUp.NONE),
])
def test_dialogue_follow_up_unclear_only_between_forgotten_and_locked_is_forgotten(message,
                                                                                   expected):
    assert read_follow_up(message, previous_step=None, admin_steps_shown=False) is expected


def test_dialogue_follow_up_fallback_threshold_is_config_ymls():
    # The follow-up reads an ambiguity as "above the FallbackClassifier's threshold": the
    # two numbers must stay the same.
    import yaml

    from passordhjelp import dialogue_follow_up
    from passordhjelp.config import PROJECT_ROOT

    pipeline = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    fallback = next(c for c in pipeline if c["name"] == "FallbackClassifier")
    assert dialogue_follow_up._FALLBACK_THRESHOLD == fallback["threshold"]


# Session 10: right after an out-of-scope answer, another thing out of scope read as
# password trouble stays out of scope; password trouble that says so does not.
@pytest.mark.parametrize("text, intent, previous, expected", [
    ("VPN doesn't work either", "forgot_password", "utter_out_of_scope", FollowUp.OUT_OF_SCOPE),
    ("and my outlook won't sync either", "forgot_password", "utter_out_of_scope",
     FollowUp.OUT_OF_SCOPE),
    ("og VPN-en er nede også", "account_locked", "utter_out_of_scope", FollowUp.OUT_OF_SCOPE),
    ("mobilen synkroniserer ikke heller", "password_help", "utter_out_of_scope_follow_up",
     FollowUp.OUT_OF_SCOPE),
    ("and I've forgotten my password too", "forgot_password", "utter_out_of_scope",
     FollowUp.NONE),
    ("og så har jeg glemt passordet også", "forgot_password", "utter_out_of_scope",
     FollowUp.NONE),
    ("also I'm locked out", "account_locked", "utter_out_of_scope", FollowUp.NONE),
    ("VPN doesn't work either", "forgot_password", "utter_greet", FollowUp.NONE),
])
def test_dialogue_follow_up_after_out_of_scope_another_thing_as_well(text, intent, previous,
                                                                     expected):
    assert read_follow_up(parse(text, intent), previous_step=previous,
                          admin_steps_shown=False) is expected


@pytest.mark.parametrize("text, intent, previous, expected", [
    # An answer to "do you still know your password?" naming someone else: refused.
    ("no, it's for the temp", "deny", "utter_ask_knows_password", FollowUp.OTHER_PERSON),
    ("nei, det er til vikaren", "deny", "utter_ask_knows_password", FollowUp.OTHER_PERSON),
    ("yes, it's the new guy's", "affirm", "utter_ask_knows_password", FollowUp.OTHER_PERSON),
    ("ja, det gjelder hun nye", "affirm", "utter_ask_knows_password", FollowUp.OTHER_PERSON),
    # The chatter's own answer, or a mention in passing, is answered as before.
    ("yes, I know it", "affirm", "utter_ask_knows_password", FollowUp.NONE),
    ("nei, det er mitt eget jeg har glemt", "deny", "utter_ask_knows_password", FollowUp.NONE),
    ("no, my boss told me to ask you", "deny", "utter_ask_knows_password", FollowUp.NONE),
    # Elsewhere the loose reading is not this check's business.
    ("yes, my boss", "affirm", "action_show_change_steps", FollowUp.NONE),
])
def test_dialogue_follow_up_someone_else_named_to_the_knows_password_question(
        text, intent, previous, expected):
    message = {**parse(text, intent), "entities": nlu_entities(text)}
    assert read_follow_up(message, previous_step=previous, admin_steps_shown=False) is expected


@pytest.mark.parametrize("text, intent, previous, filed, expected", [
    # After a status answer or a filing, a question about the reference is about the request
    # shown (session 12) ...
    ("what's the reference number?", "ask_process", "action_show_request_status", False,
     FollowUp.STATUS),
    ("hva var saksnummeret?", "ask_process", "action_show_request_status", False,
     FollowUp.STATUS),
    ("and the case number is?", "nlu_fallback", "utter_learn_more", True, FollowUp.STATUS),
    # ... not with nothing shown or filed, nor how long it takes.
    ("what's the reference number?", "ask_process", "utter_greet", False, FollowUp.NONE),
    ("how long until my case number is handled?", "ask_process", "action_show_request_status",
     False, FollowUp.NONE),
    # After filing, a withdrawal read as a process question takes it back ...
    ("ok withdraw the ticket, I'll just walk over to the helpdesk", "ask_process",
     "action_file_reset_request", True, FollowUp.CANCEL),
    ("ok, dropp saken, jeg går bort til IT selv", "out_of_scope", "action_file_reset_request",
     True, FollowUp.CANCEL),
    # ... a question about withdrawing is answered, and nothing filed is nothing to take back.
    ("can I cancel it later?", "ask_process", "action_file_reset_request", True, FollowUp.NONE),
    # ... and so does remembering it with a withdrawal asked for ...
    ("oh I found it in my notes, can you withdraw the request?", "remembered_password",
     "action_file_reset_request", True, FollowUp.CANCEL),
    ("kom på det, kan du slette saken?", "remembered_password", "action_file_reset_request",
     True, FollowUp.CANCEL),
    ("kom på det nå, går det an å angre saken?", "remembered_password",
     "action_file_reset_request", True, FollowUp.CANCEL),
    ("remembered it, can you undo the request?", "remembered_password",
     "action_file_reset_request", True, FollowUp.CANCEL),
    ("ok withdraw the ticket, I'll just walk over to the helpdesk", "ask_process",
     "utter_greet", False, FollowUp.NONE),
])
def test_dialogue_follow_up_the_reference_and_a_withdrawal_after_filing(text, intent, previous,
                                                                        filed, expected):
    assert read_follow_up(parse(text, intent), previous_step=previous,
                          admin_steps_shown=False, filed=filed) is expected


@pytest.mark.parametrize("text, intent, previous, expected", [
    # Right after the admin steps, a message naming a step, or "found it", is about them ...
    ("and after Reset password, what then?", "ask_process", "utter_learn_more",
     FollowUp.ADMIN_STEPS),
    ("finner ikke Aktive brukere", "deny", "utter_learn_more", FollowUp.ADMIN_STEPS),
    ("I can't see Active users anywhere", "nlu_fallback", "utter_learn_more",
     FollowUp.ADMIN_STEPS),
    ("takk, fant det", "remembered_password", "utter_learn_more", FollowUp.ADMIN_STEPS),
    # ... not one's own password remembered, nor the same words after another answer.
    ("oh wait, I remember my password now", "remembered_password", "utter_learn_more",
     FollowUp.NONE),
    ("finner ikke Aktive brukere", "deny", "utter_greet", FollowUp.NONE),
    # After the change steps, "where do I find that?" unclear to the classifier is about them.
    ("where do I find that?", "nlu_fallback", "action_show_change_steps", FollowUp.CHANGE_STEPS),
])
def test_dialogue_follow_up_right_after_the_admin_steps_a_step_named(text, intent, previous,
                                                                     expected):
    assert read_follow_up(parse(text, intent), previous_step=previous,
                          admin_steps_shown=True) is expected


# Session 13's follow-ups.
@pytest.mark.parametrize("text, intent, previous, filed, expected", [
    ("har ikke fått noen melding på mobilen", "deny", "action_show_request_status", False,
     FollowUp.STATUS),
    ("I haven't received any text about it", "ask_process", "action_show_request_status", False,
     FollowUp.STATUS),
    ("have I received anything?", "ask_process", "action_show_request_status", False,
     FollowUp.NONE),
    ("og VPN-en er nede også", "ask_process", "utter_out_of_scope", False, FollowUp.OUT_OF_SCOPE),
    ("and how long does a reset take too?", "ask_process", "utter_out_of_scope", False,
     FollowUp.NONE),
    ("kan du kansellere forespørselen?", "nlu_fallback", "action_file_reset_request", True,
     FollowUp.CANCEL),
    ("could you withdraw the ticket please?", "ask_process", "action_file_reset_request", True,
     FollowUp.CANCEL),
    ("can I cancel it later?", "ask_process", "action_file_reset_request", True, FollowUp.NONE),
    ("kan jeg gjøre det fra nettbrettet?", "nlu_fallback", "action_show_change_steps", False,
     FollowUp.CHANGE_QUESTION),
    ("må bytte passord, men jeg husker ikke det nåværende", "change_password", "utter_greet",
     False, FollowUp.FORGOT),
    ("I need to change it but I can't remember the current one", "change_password", None,
     False, FollowUp.FORGOT),
    ("I can't remember how to change it?", "change_password", None, False, FollowUp.NONE),
    ("it's not my normal login password, I tried that", "forgot_password", "utter_out_of_scope",
     False, FollowUp.OUT_OF_SCOPE),
    ("I forgot my login password too", "forgot_password", "utter_out_of_scope", False,
     FollowUp.NONE),
])
def test_dialogue_follow_up_session_13(text, intent, previous, filed, expected):
    assert read_follow_up(parse(text, intent), previous_step=previous,
                          admin_steps_shown=False, filed=filed) is expected


def test_dialogue_follow_up_an_admin_step_read_as_someone_else():
    from passordhjelp.dialogue_follow_up import admin_step_read_as_someone_else
    message = parse("finner ikke Aktive brukere", "other_person_password", confidence=0.39)
    assert admin_step_read_as_someone_else(message, previous_step="utter_learn_more")
    assert not admin_step_read_as_someone_else(message, previous_step="utter_greet")
    sure = parse("finner ikke Aktive brukere", "other_person_password", confidence=0.9)
    assert not admin_step_read_as_someone_else(sure, previous_step="utter_learn_more")


@pytest.mark.parametrize("text, expected", [
    ("neida, aner ikke", FollowUp.FORGOT),
    ("nope, no clue", FollowUp.FORGOT),
    ("nei?", FollowUp.NONE),
])
def test_dialogue_follow_up_a_no_first_to_do_you_know_it_not_understood(text, expected):
    assert read_follow_up(parse(text, "nlu_fallback"), previous_step="utter_ask_knows_password",
                          admin_steps_shown=False) is expected


# Session 15: only trying the chat out, read as out of scope, a process question or unclear.
@pytest.mark.parametrize("text, intent, expected", [
    ("just testing what this bot can do", "out_of_scope", FollowUp.TRYING_OUT),
    ("prøver bare ut chatten", "out_of_scope", FollowUp.TRYING_OUT),
    ("just testing", "nlu_fallback", FollowUp.TRYING_OUT),
    ("ville bare teste hva denne boten kan", "ask_process", FollowUp.TRYING_OUT),
    ("can you test my VPN?", "out_of_scope", FollowUp.NONE),
    ("I'm testing this new laptop and Outlook won't start", "out_of_scope", FollowUp.NONE),
    ("tester om passordet virker", "out_of_scope", FollowUp.NONE),
    ("prøver boten", "greet", FollowUp.NONE),
])
def test_dialogue_follow_up_trying_the_chat_out(text, intent, expected):
    assert read_follow_up(parse(text, intent), previous_step="utter_greet",
                          admin_steps_shown=False) is expected


@pytest.mark.parametrize("text, intent, previous, asked_after, expected", [
    # Session 16: known but refused, told at once (read as vague trouble): the checks and offer.
    ("I know my password but it keeps saying it's wrong", "password_help", None, "",
     FollowUp.REFUSED_KNOWN),
    ("passordet godtas ikke selv om jeg skriver det riktig", "password_help", "utter_greet", "",
     FollowUp.REFUSED_KNOWN),
    # Only refused, or vague: "do you still know it?".
    ("it keeps saying my password is wrong", "password_help", None, "", FollowUp.NONE),
    ("passordet mitt virker ikke", "password_help", None, "", FollowUp.NONE),
    # About someone else: not the chatter's own.
    ("I know the password to Kari's account but it says it's wrong", "password_help", None, "",
     FollowUp.NONE),
    # A yes to the question that tells a refusal, or after a message that told one.
    ("yes I'm sure it's right", "affirm", "utter_ask_knows_password",
     "my password doesn't work", FollowUp.REFUSED_KNOWN),
    ("ja, men det blir avvist", "affirm", "utter_ask_knows_password",
     "noe tull med passordet", FollowUp.REFUSED_KNOWN),
    ("yes but it says it's wrong", "password_help", "utter_ask_knows_password",
     "my password doesn't work", FollowUp.REFUSED_KNOWN),
    ("yes", "affirm", "utter_ask_knows_password", "it keeps saying my password is wrong",
     FollowUp.REFUSED_KNOWN),
    ("/affirm", "affirm", "utter_ask_knows_password", "passordet mitt blir avvist",
     FollowUp.REFUSED_KNOWN),
    # A plain yes after vague trouble: the change steps, as before.
    ("yes", "affirm", "utter_ask_knows_password", "my password doesn't work", FollowUp.NONE),
    ("ja, jeg husker det", "affirm", "utter_ask_knows_password", "passordet virker ikke",
     FollowUp.NONE),
    # A yes elsewhere is not an answer to the question.
    ("yes I'm sure it's right", "affirm", "utter_greet", "it says my password is wrong",
     FollowUp.NONE),
    # Known and failing, read as remembering it or as a change: the checks, not the change
    # steps (which need the sign-in that fails).
    ("I know it but the sign-in fails every time", "remembered_password", None, "",
     FollowUp.REFUSED_KNOWN),
    ("jeg husker det nå, men det står feil passord", "remembered_password", "utter_greet", "",
     FollowUp.REFUSED_KNOWN),
    ("I want to change my password, I know it but it says it's wrong", "change_password",
     None, "", FollowUp.REFUSED_KNOWN),
    ("jeg vil bytte passordet, jeg husker det men det blir avvist", "change_password",
     "action_show_change_steps", "", FollowUp.REFUSED_KNOWN),
    # Plainly remembered, or a plain change: the change steps, as before.
    ("I remember it after all", "remembered_password", None, "", FollowUp.NONE),
    ("jeg husker det likevel", "remembered_password", "utter_greet", "", FollowUp.NONE),
    ("I want to change my password", "change_password", None, "", FollowUp.NONE),
    ("jeg vil bytte passord", "change_password", "utter_greet", "", FollowUp.NONE),
    # Remembered right after an out-of-scope answer: still that other thing.
    ("I know it but the sign-in fails every time", "remembered_password",
     "utter_out_of_scope", "", FollowUp.OUT_OF_SCOPE),
    # Someone else's account named: not the chatter's own.
    ("I want to change the password on Kari's account, I know it but it says it's wrong",
     "change_password", None, "", FollowUp.NONE),
])
def test_dialogue_follow_up_a_known_password_refused(text, intent, previous, asked_after,
                                                     expected):
    entities = nlu_entities(text)
    message = parse(text, intent, entities=entities)
    assert read_follow_up(message, previous_step=previous, admin_steps_shown=False,
                          asked_after=asked_after) is expected
