"""Language slot mapping, the two-stage fallback and the counted path endings."""

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from datetime import date

from actions.outcomes import ActionOfferSelfService, ActionRecordFeedback, ActionShowChangeSteps
from actions.conversation import ActionSetConversationContext, ActionHandleFallback
from passordhjelp.outcomes import Outcome
from trackers import make_tracker, user_event


@pytest.mark.parametrize("text, previous, expected", [
    ("I forgot my password", None, [SlotSet("language", "en")]),
    ("jeg har glemt passordet", None, [SlotSet("language", "nb")]),
    ("jeg har glemt passordet", "en", [SlotSet("language", "nb")]),
    ("ok", "nb", []),
    ("/affirm", "nb", []),
])
async def test_actions_language_slot_follows_the_user(configured, domain, text, previous, expected):
    tracker = make_tracker([user_event(text, "x")],
                           slots={"language": previous, "self_service_reset": False})
    events = await ActionSetConversationContext().run(CollectingDispatcher(), tracker, domain)
    assert events == expected


async def test_actions_self_service_slot_follows_the_configuration(monkeypatch, configured,
                                                                   domain):
    from passordhjelp import bootstrap
    monkeypatch.setenv("PASSORDHJELP_SELF_SERVICE_RESET", "true")
    bootstrap.services.cache_clear()
    tracker = make_tracker([user_event("hi", "greet")], slots={"language": "en"})
    events = await ActionSetConversationContext().run(CollectingDispatcher(), tracker, domain)
    assert events == [SlotSet("self_service_reset", True)]


FALLBACK_RANKING = [
    {"name": "nlu_fallback", "confidence": 0.3},
    {"name": "forgot_password", "confidence": 0.25},
    {"name": "greet", "confidence": 0.2},
    {"name": "account_locked", "confidence": 0.1},
]


@pytest.mark.parametrize("language, titles", [
    ("en", ["I forgot my password", "My account is locked", "Talk to a person"]),
    ("nb", ["Jeg har glemt passordet", "Kontoen min er låst", "Snakk med et menneske"]),
])
async def test_actions_fallback_first_suggests_likely_topics(configured, domain, language, titles):
    tracker = make_tracker([user_event("hmm glorp", "nlu_fallback", ranking=FALLBACK_RANKING)],
                           slots={"language": language})
    dispatcher = CollectingDispatcher()

    events = await ActionHandleFallback().run(dispatcher, tracker, domain)

    assert events == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_suggest_topics"
    assert [b["title"] for b in message["buttons"]] == titles
    assert [b["payload"] for b in message["buttons"]] == [
        "/forgot_password", "/account_locked", "/human_handoff"]


async def test_actions_fallback_without_password_topics_offers_defaults(configured, domain):
    tracker = make_tracker([user_event("??", "nlu_fallback", ranking=[
        {"name": "nlu_fallback", "confidence": 0.3}, {"name": "greet", "confidence": 0.2}])])
    dispatcher = CollectingDispatcher()
    await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [
        "/change_password", "/forgot_password", "/reset_request_status", "/human_handoff"]


async def test_actions_fallback_second_in_a_row_offers_a_person(configured, domain):
    tracker = make_tracker([
        user_event("glorp", "nlu_fallback", ranking=FALLBACK_RANKING),
        {"event": "action", "name": "action_handle_fallback"},
        user_event("blarg", "nlu_fallback", ranking=FALLBACK_RANKING),
    ])
    dispatcher = CollectingDispatcher()
    await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_human"]


async def test_actions_fallback_counts_only_consecutive_unclear_messages(configured, domain):
    tracker = make_tracker([
        user_event("glorp", "nlu_fallback", ranking=FALLBACK_RANKING),
        user_event("hi", "greet"),
        user_event("blarg", "nlu_fallback", ranking=FALLBACK_RANKING),
    ])
    dispatcher = CollectingDispatcher()
    await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_suggest_topics"


@pytest.mark.parametrize("action, responses, outcome", [
    (ActionShowChangeSteps, ["utter_change_password_steps", "utter_learn_more"],
     Outcome.CHANGE_STEPS_SHOWN),
    (ActionOfferSelfService, ["utter_self_service_reset", "utter_ask_self_service_worked"],
     Outcome.SELF_SERVICE_OFFERED),
])
async def test_actions_path_endings_are_counted(configured, domain, action, responses, outcome):
    dispatcher = CollectingDispatcher()
    assert await action().run(dispatcher, make_tracker([user_event("x", "y")]), domain) == []
    assert [m["response"] for m in dispatcher.messages] == responses
    [counts] = configured.outcomes.table(since=date(2000, 1, 1)).values()
    assert counts[outcome] == 1


@pytest.mark.parametrize("intent, outcome", [("feedback_positive", "feedback_up"),
                                             ("feedback_negative", "feedback_down")])
async def test_actions_feedback_is_counted(configured, domain, intent, outcome):
    dispatcher = CollectingDispatcher()
    await ActionRecordFeedback().run(dispatcher, make_tracker([user_event(f"/{intent}", intent)]),
                                     domain)
    assert dispatcher.messages[0]["response"] == "utter_thanks_for_feedback"
    [counts] = configured.outcomes.table(since=date(2000, 1, 1)).values()
    assert counts[Outcome(outcome)] == 1
