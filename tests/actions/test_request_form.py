"""The request form's validation and its ways out: exact slot events and responses."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionHandleFallback
from actions.request_form import (
    ActionCancelPendingRequest,
    ActionCheckWayOut,
    ActionDeclinePendingRequest,
    ActionStartOver,
    ValidateResetRequestForm,
)
from trackers import nlu_entities, user_event

BUTTON = "/affirm"
OTHER_ACCOUNT = [{"entity": "other_account", "value": "Kari", "start": 0, "end": 4}]


def form_tracker(slot, value, text, intent, *, confidence=0.95, entities=None, language="en",
                 sender_id="ola", verified=True, contact=None):
    """A tracker as the form hands it to validate_reset_request_form: the user's
    message, the form's run and the slot candidate it extracted."""
    # Without given entities, those the NLU's rules give the text.
    message = user_event(text, intent, verified=verified,
                         entities=nlu_entities(text) if entities is None else entities)
    message["parse_data"]["intent"]["confidence"] = confidence
    if contact:
        message["metadata"]["contact"] = contact
    events = [message, {"event": "action", "name": "reset_request_form"},
              {"event": "slot", "name": slot, "value": value}]
    slots = {"language": language, "requested_slot": slot, "reset_wanted": None,
             "reset_confirmed": None, "reset_declined": False, slot: value}
    if slot == "reset_confirmed":
        slots["reset_wanted"] = True
    return Tracker(sender_id=sender_id, slots=slots, latest_message=message["parse_data"],
                   events=events, paused=False, followup_action=None,
                   active_loop={"name": "reset_request_form"},
                   latest_action_name="reset_request_form")


async def validate(domain, tracker):
    dispatcher = CollectingDispatcher()
    events = await ValidateResetRequestForm().run(dispatcher, tracker, domain)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return slots, [m["response"] for m in dispatcher.messages]


# (language, message, intent, confidence, entities) -> what the confirmation slot becomes.
CONFIRMATION_CASES = [
    ("en", "yes, file it", "affirm", 0.95, None, True, []),
    ("nb", "ja, send den", "affirm", 0.95, None, True, []),
    ("en", BUTTON, "affirm", 1.0, None, True, []),
    ("nb", BUTTON, "affirm", 1.0, None, True, []),
    # A hesitant yes or a question is asked again, with a word on why.
    ("en", "alright I guess", "affirm", 0.55, None, None, ["utter_confirm_needs_clear_yes"]),
    ("nb", "ok da", "affirm", 0.55, None, None, ["utter_confirm_needs_clear_yes"]),
    ("en", "yes? what happens then", "affirm", 0.95, None, None,
     ["utter_confirm_needs_clear_yes"]),
    ("nb", "ja? hva skjer da", "affirm", 0.95, None, None, ["utter_confirm_needs_clear_yes"]),
    # Words around a yes that neither hedge nor point at someone leave it a yes ...
    ("en", "yes, I need it today", "affirm", 0.95, None, True, []),
    ("nb", "ja, jeg trenger det i dag", "affirm", 0.99, None, True, []),
    ("en", "yes please go right ahead", "affirm", 0.95, None, True, []),
    ("nb", "ja, gjør det", "affirm", 0.95, None, True, []),
    # ... but a contrast or condition may change what is meant: asked again.
    ("en", "yes, but I need it today", "affirm", 0.95, None, None,
     ["utter_confirm_needs_clear_yes"]),
    ("nb", "ja, men bare hvis det går fort", "affirm", 0.99, None, None,
     ["utter_confirm_needs_clear_yes"]),
    # Nothing but a yes, whatever the classifier made of it ("y" read as unclear).
    ("en", "y", "nlu_fallback", 1.0, None, True, []),
    ("nb", "j", "nlu_fallback", 1.0, None, True, []),
    ("en", "👍", "feedback_positive", 0.6, None, True, []),
    ("nb", "ja 👍", "greet", 0.5, None, True, []),
    # A pasted password (redacted by the guard, which has told the user): asked again.
    ("en", "yes my password is [secret removed]", "affirm", 0.95, None, None, []),
    ("nb", "ja passordet er [secret removed]", "affirm", 0.95, None, None, []),
]


@pytest.mark.parametrize("language, text, intent, confidence, entities, confirmed, responses",
                         CONFIRMATION_CASES)
async def test_actions_form_only_a_clear_yes_confirms(configured, domain, language, text, intent,
                                                      confidence, entities, confirmed, responses):
    tracker = form_tracker("reset_confirmed", True, text, intent, confidence=confidence,
                           entities=entities, language=language)

    slots, said = await validate(domain, tracker)

    assert slots["reset_confirmed"] is confirmed
    assert said == responses
    assert configured.requests.list() == []


@pytest.mark.parametrize("slot", ["reset_wanted", "reset_confirmed"])
@pytest.mark.parametrize("language, text, confirmed, responses", [
    ("nb", "ja takk", True, []),
    ("en", "yes thanks", True, []),
    ("nb", "takk", None, ["utter_you_are_welcome"]),
    ("en", "thanks!", None, ["utter_you_are_welcome"]),
])
async def test_actions_form_yes_and_thanks_is_yes_thanks_alone_is_answered(
        configured, domain, slot, language, text, confirmed, responses):
    tracker = form_tracker(slot, True, text, "thank", confidence=0.76, language=language)

    slots, said = await validate(domain, tracker)

    assert slots[slot] is confirmed
    assert said == responses


@pytest.mark.parametrize("slot", ["reset_wanted", "reset_confirmed"])
@pytest.mark.parametrize("text, intent", [("no, don't", "deny"), ("nei, glem det", "deny"),
                                          ("cancel it", "cancel_request")])
async def test_actions_form_a_no_or_withdrawal_ends_it_declined(configured, domain, slot, text,
                                                                intent):
    slots, said = await validate(domain, form_tracker(slot, False, text, intent))

    assert slots == {"reset_wanted": False, "reset_confirmed": False, "reset_declined": True}
    assert said == []


@pytest.mark.parametrize("slot", ["reset_wanted", "reset_confirmed"])
@pytest.mark.parametrize("text, intent", [
    ("👎", "greet"), ("❌", "nlu_fallback"), ("scratch that", "greet"), ("glem det", "bot_challenge"),
    ("scratch that", "thank"), ("det gikk likevel", "affirm"),
])
async def test_actions_form_a_withdrawal_read_as_small_talk_or_a_yes_ends_it_declined(
        configured, domain, slot, text, intent):
    # No slot candidate for small talk; "det gikk likevel" read as a yes has one.
    value = True if intent in ("affirm", "thank") else None
    slots, said = await validate(domain, form_tracker(slot, value, text, intent, confidence=0.5))

    assert slots == {"reset_wanted": False, "reset_confirmed": False, "reset_declined": True}
    assert said == []
    assert configured.requests.list() == []


SOMEONE_ELSE = {"reset_other_account": True, "reset_wanted": False, "reset_confirmed": False,
                "reset_declined": False}


@pytest.mark.parametrize("slot", ["reset_wanted", "reset_confirmed"])
@pytest.mark.parametrize("language", ["en", "nb"])
async def test_actions_form_a_yes_about_someone_else_ends_it_unfiled(
        configured, domain, slot, language):
    tracker = form_tracker(slot, True, "yes, for Kari", "affirm", entities=OTHER_ACCOUNT,
                           language=language)

    slots, said = await validate(domain, tracker)

    # The form ends; action_file_reset_request gives the refusal (and audits it).
    assert slots == SOMEONE_ELSE
    assert said == []
    assert configured.requests.list() == []


@pytest.mark.parametrize("slot", ["reset_wanted", "reset_confirmed"])
@pytest.mark.parametrize("language, text, intent", [
    ("en", "yes, it's for Per", "affirm"),
    ("nb", "ja, det gjelder sjefen", "affirm"),
    ("en", "it's my colleague's account actually", "out_of_scope"),
    ("nb", "det er egentlig til vikaren vår", "nlu_fallback"),
    ("en", "how long will it take for her?", "ask_process"),
    ("nb", "ja takk, det er til lærlingen", "thank"),
])
async def test_actions_form_any_third_person_at_the_offer_ends_it_whatever_the_intent(
        configured, domain, slot, language, text, intent):
    # A digression is validated too (Rasa calls the validation for every message
    # while the form waits): no slot candidate, yet the form ends.
    tracker = form_tracker(slot, None, text, intent, language=language)

    slots, said = await validate(domain, tracker)

    assert slots == SOMEONE_ELSE
    assert said == []


@pytest.mark.parametrize("slot", ["reset_wanted", "reset_confirmed"])
@pytest.mark.parametrize("text", ["yes, my colleague told me to file it",
                                  "ja, sjefen sa jeg skulle sende den"])
async def test_actions_form_a_person_in_passing_is_no_third_person(configured, domain, slot,
                                                                   text):
    slots, said = await validate(domain, form_tracker(slot, True, text, "affirm"))

    assert slots[slot] is True
    assert "reset_other_account" not in slots
    assert said == []


async def test_actions_form_accepting_the_offer_needs_no_confidence_floor(configured, domain):
    tracker = form_tracker("reset_wanted", True, "ok then", "affirm", confidence=0.5)

    slots, said = await validate(domain, tracker)

    assert slots["reset_wanted"] is True and said == []


@pytest.mark.parametrize("text", ["yes, but I need it before noon", "ja, men jeg trenger det før lunsj"])
async def test_actions_form_a_yes_with_more_in_it_at_the_offer_is_asked_again(configured, domain,
                                                                               text):
    slots, said = await validate(domain, form_tracker("reset_wanted", True, text, "affirm"))

    assert slots["reset_wanted"] is None
    assert said == ["utter_confirm_needs_clear_yes"]


async def test_actions_form_confidence_floor_is_configurable(monkeypatch, configured, domain):
    from passordhjelp import bootstrap
    monkeypatch.setenv("PASSORDHJELP_CONFIRM_MIN_CONFIDENCE", "0.99")
    bootstrap.services.cache_clear()
    tracker = form_tracker("reset_confirmed", True, "yes, file it", "affirm", confidence=0.95)

    slots, said = await validate(domain, tracker)

    assert slots["reset_confirmed"] is None
    assert said == ["utter_confirm_needs_clear_yes"]


def moved_on_tracker(language, text="oh, I remember it now", intent="remembered_password"):
    message = user_event(text, intent)
    return Tracker(sender_id="ola", slots={"language": language, "reset_wanted": True,
                                           "requested_slot": "reset_confirmed"},
                   latest_message=message["parse_data"], events=[message], paused=False,
                   followup_action=None, active_loop={"name": "reset_request_form"},
                   latest_action_name="action_listen")


ENDED = [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("reset_wanted", None),
         SlotSet("reset_confirmed", None), SlotSet("reset_declined", False),
         SlotSet("reset_other_account", None)]


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_actions_cancel_pending_request_ends_the_form(configured, domain, language):
    dispatcher = CollectingDispatcher()

    events = await ActionCancelPendingRequest().run(dispatcher, moved_on_tracker(language), domain)

    assert events == ENDED
    assert [m["response"] for m in dispatcher.messages] == ["utter_pending_request_cancelled"]
    assert configured.requests.list() == []


@pytest.mark.parametrize("language, text, intent", [
    ("en", "hang on, do I need to be at my desk for this?", "goodbye"),
    ("nb", "må jeg være på jobben når det skjer?", "goodbye"),
    ("en", "will I still get my emails meanwhile?", "remembered_password"),
    ("nb", "kan jeg bruke telefonen i mellomtiden?", "remembered_password"),
])
async def test_actions_cancel_pending_request_a_question_read_as_a_way_out_asks_again(
        configured, domain, language, text, intent):
    tracker = moved_on_tracker(language, text, intent)
    tracker.latest_message["intent"]["confidence"] = 0.4
    tracker.latest_message["response_selector"] = {"ask_process": {"response": {
        "utter_action": "utter_ask_process/what_next"}}}
    dispatcher = CollectingDispatcher()

    events = await ActionCancelPendingRequest().run(dispatcher, tracker, domain)

    assert events == [FollowupAction("reset_request_form")]
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_process/what_next"]


@pytest.mark.parametrize("language, text, intent, confidence, asked_again", [
    ("en", "hmm maybe, I need to think", "human_handoff", 0.4, True),
    ("nb", "tja, kanskje, må tenke", "human_handoff", 0.4, True),
    ("en", "perhaps later, bye", "goodbye", 0.45, True),
    # Sure of it, or not hedged, or another way out: the form ends as before.
    ("en", "maybe I should just talk to a person", "human_handoff", 0.9, False),
    ("nb", "sett meg over til et menneske", "human_handoff", 0.4, False),
    ("en", "I think I remember it now", "remembered_password", 0.4, False),
])
async def test_actions_cancel_pending_request_a_hesitation_read_as_a_way_out_asks_again(
        configured, domain, language, text, intent, confidence, asked_again):
    tracker = moved_on_tracker(language, text, intent)
    tracker.latest_message["intent"]["confidence"] = confidence
    dispatcher = CollectingDispatcher()

    events = await ActionCancelPendingRequest().run(dispatcher, tracker, domain)

    said = [m["response"] for m in dispatcher.messages]
    if asked_again:
        assert (events, said) == ([FollowupAction("reset_request_form")],
                                  ["utter_confirm_needs_clear_yes"])
    else:
        assert (events, said) == (ENDED, ["utter_pending_request_cancelled"])


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_actions_start_over_greets_afresh_and_keeps_the_language(configured, domain,
                                                                        language):
    dispatcher = CollectingDispatcher()

    events = await ActionStartOver().run(dispatcher, moved_on_tracker(language), domain)

    assert ActionStartOver().name() == "action_restart"
    assert events == [*ENDED, SlotSet("other_person_topic", False)]
    assert not any(e.get("name") == "language" for e in events)
    assert [m["response"] for m in dispatcher.messages] == ["utter_start_over", "utter_greet"]


def test_actions_form_slots_and_questions_are_in_the_domain(domain):
    assert domain["forms"]["reset_request_form"]["required_slots"] == [
        "reset_wanted", "reset_confirmed"]
    for slot in ("reset_wanted", "reset_confirmed"):
        conditions = [v.get("condition") for v in domain["responses"][f"utter_ask_{slot}"]]
        assert [{"type": "slot", "name": "language", "value": "nb"}] in conditions
        assert None in conditions
        mapped = {(m["intent"] if isinstance(m["intent"], str) else tuple(m["intent"]), m["value"])
                  for m in domain["slots"][slot]["mappings"]}
        assert mapped == {(("affirm", "thank"), True), (("deny", "cancel_request"), False)}


async def test_actions_fallback_after_a_pasted_password_adds_nothing(configured, domain):
    dispatcher = CollectingDispatcher()
    tracker = Tracker(sender_id="ola", slots={"language": "nb"},
                      latest_message={"text": "ja passordet er [secret removed]",
                                      "intent": {"name": "nlu_fallback", "confidence": 0.4}},
                      events=[], paused=False, followup_action=None, active_loop={},
                      latest_action_name="action_listen")

    assert await ActionHandleFallback().run(dispatcher, tracker, domain) == []
    assert dispatcher.messages == []


# Read as small talk by the classifier, answered by the form all the same.
@pytest.mark.parametrize("slot", ["reset_wanted", "reset_confirmed"])
@pytest.mark.parametrize("language, text, intent, value", [
    # A yes first and nothing hedged: a yes, even when the classifier heard goodbye.
    ("en", "yes thanks, bye for now", "goodbye", True),
    ("nb", "ja takk skal du ha", "goodbye", True),
    # Goodbye without a yes still ends the form (the rules); no slot from here.
    ("en", "ok bye", "goodbye", "rejected"),
    ("nb", "ha det", "goodbye", "rejected"),
    # A pasted password (redacted) read as small talk: asked again, nothing ends.
    ("en", "the old one was [secret removed]", "goodbye", None),
    ("nb", "det gamle var [secret removed]", "goodbye", None),
    ("en", "[secret removed]", "nlu_fallback", None),
    ("nb", "hei [secret removed]", "greet", None),
    ("en", "the previous one was [secret removed]", "restart", None),
    ("nb", "det forrige var [secret removed]", "restart", None),
    ("en", "[secret removed] should work?", "ask_process", None),
    ("nb", "går [secret removed] an?", "ask_process", None),
])
async def test_actions_form_small_talk_that_answers_or_hides_a_password(
        configured, domain, slot, language, text, intent, value):
    # No slot candidate: the form's mappings take none of these intents.
    tracker = form_tracker(slot, None, text, intent, language=language)

    slots, said = await validate(domain, tracker)

    if value == "rejected":
        assert not slots.get(slot)
    else:
        assert slots[slot] is value
    assert said == []
    assert configured.requests.list() == []


@pytest.mark.parametrize("text", ["it was [secret removed] before", "det var [secret removed] før"])
async def test_actions_a_pasted_password_read_as_start_over_asks_again(configured, domain, text):
    tracker = form_tracker("reset_confirmed", None, text, "restart")
    dispatcher = CollectingDispatcher()

    events = await ActionStartOver().run(dispatcher, tracker, domain)

    assert events == [FollowupAction("reset_request_form")]
    assert dispatcher.messages == []


# At the offer (which only leads to the confirmation) a yes with more words read
# as a digression is a yes; at the confirmation it is a digression.
@pytest.mark.parametrize("language, text, intent", [
    ("en", "yes, get an admin to sort it out", "ask_process"),
    ("nb", "ja, få en administrator til å fikse det", "ask_process"),
    ("en", "yeah go on then, hello again", "greet"),
    ("nb", "jepp, sett i gang", "out_of_scope"),
])
async def test_actions_form_a_yes_read_as_a_digression_accepts_only_the_offer(
        configured, domain, language, text, intent):
    offer, _ = await validate(domain, form_tracker("reset_wanted", None, text, intent,
                                                   language=language))
    confirmation, _ = await validate(domain, form_tracker("reset_confirmed", None, text, intent,
                                                          language=language))

    assert offer["reset_wanted"] is True
    assert not confirmation.get("reset_confirmed")


@pytest.mark.parametrize("language, text, intent", [
    ("en", "yes, what happens after that", "ask_process"),
    ("nb", "ja, hva skjer etter det", "ask_process"),
    ("en", "yes? how long", "ask_process"),
    ("nb", "ja, hvor lenge tar det", "ask_process"),
])
async def test_actions_form_a_yes_with_a_question_is_a_digression(configured, domain, language,
                                                                  text, intent):
    slots, _ = await validate(domain, form_tracker("reset_wanted", None, text, intent,
                                                   language=language))

    assert not slots.get("reset_wanted")


@pytest.mark.parametrize("text", ["changed my mind, send it", "ombestemte meg, send den"])
async def test_actions_form_a_take_back_answers_the_offer(configured, domain, text):
    # The form reopened by action_check_take_back validates the prefilled answer.
    tracker = form_tracker("reset_wanted", True, text, "reset_request_status")
    tracker.events.insert(1, {"event": "action", "name": "action_check_take_back"})

    slots, said = await validate(domain, tracker)

    assert slots["reset_wanted"] is True and said == []


# A verified chatter's own address or user name typed with a yes, whichever way the channel
# verified them: the signed-in web chat's sub, or the e-mail the channel reported.
OWN = [
    ("reset_wanted", "ja, e-posten min er kari.n@contoso.no", "out_of_scope",
     "kari.n@contoso.no", None),
    ("reset_confirmed", "yes, my username is kari.n", "nlu_fallback", "kari.n@contoso.no", None),
    ("reset_confirmed", "yes, my username is ola.n", "goodbye", "T1:U9",
     {"email": "ola.n@contoso.no"}),
    ("reset_wanted", "ja, brukernavnet mitt er ola.n", "affirm", "T1:U9",
     {"email": "Ola.N@contoso.no"}),
]


@pytest.mark.parametrize("slot, text, intent, sender_id, contact", OWN)
async def test_actions_form_the_verified_chatters_own_address_is_their_own(
        configured, domain, slot, text, intent, sender_id, contact):
    tracker = form_tracker(slot, None, text, intent, sender_id=sender_id, contact=contact)

    slots, responses = await validate(domain, tracker)

    assert slots == {slot: True, "reset_declined": False}
    assert responses == []


@pytest.mark.parametrize("slot", ["reset_wanted", "reset_confirmed"])
@pytest.mark.parametrize("text, verified", [
    # Someone else's address or user name, verified chatter or not.
    ("yes, the address is per.olsen@contoso.no", True),
    ("ja, brukernavnet er per.olsen", True),
    # Nobody verified (anonymous web chat): no address typed is anyone's own.
    ("ja, e-posten min er kari.n@contoso.no", False),
])
async def test_actions_form_an_address_not_the_verified_chatters_ends_it(
        configured, domain, slot, text, verified):
    tracker = form_tracker(slot, True, text, "affirm", sender_id="kari.n@contoso.no",
                           verified=verified)

    slots, _ = await validate(domain, tracker)

    assert slots["reset_other_account"] is True
    assert slots[slot] is False


@pytest.mark.parametrize("language, text, intent, confidence, way_out, said", [
    ("en", "oh wait, I remember it now", "remembered_password", 0.95, "leave", []),
    ("nb", "nå husker jeg det igjen", "remembered_password", 0.95, "leave", []),
    ("en", "wait a sec, I might have it written down", "remembered_password", 0.97, "decline",
     []),
    ("nb", "vent, kanskje jeg har det lagret", "remembered_password", 0.65, "decline", []),
    ("en", "not yet, I'll try my home PC first", "change_password", 0.44, "decline", []),
    ("nb", "ikke ennå, jeg prøver hjemmefra først", "change_password", 0.44, "decline", []),
    ("en", "is it [secret removed] maybe?", "remembered_password", 0.55, "ask_again",
     ["utter_confirm_needs_clear_yes"]),
    ("nb", "er det [secret removed] kanskje?", "remembered_password", 0.55, "ask_again",
     ["utter_confirm_needs_clear_yes"]),
])
async def test_actions_check_way_out_sets_the_slot_the_rules_act_on(
        configured, domain, language, text, intent, confidence, way_out, said):
    tracker = moved_on_tracker(language, text, intent)
    tracker.latest_message["intent"]["confidence"] = confidence
    dispatcher = CollectingDispatcher()

    events = await ActionCheckWayOut().run(dispatcher, tracker, domain)

    assert events == [SlotSet("way_out", way_out)]
    assert [m["response"] for m in dispatcher.messages] == said


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_actions_decline_pending_request_ends_the_form_declined(configured, domain,
                                                                      language):
    dispatcher = CollectingDispatcher()

    events = await ActionDeclinePendingRequest().run(dispatcher, moved_on_tracker(language),
                                                     domain)

    assert events == [ActiveLoop(None), SlotSet("requested_slot", None),
                      SlotSet("reset_wanted", None), SlotSet("reset_confirmed", None),
                      SlotSet("reset_declined", True), SlotSet("reset_other_account", None)]
    assert [m["response"] for m in dispatcher.messages] == ["utter_request_not_filed"]
    assert configured.requests.list() == []
