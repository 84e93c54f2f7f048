"""The two-stage fallback, the self-service fork and the counted path endings."""

from datetime import date

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionHandleFallback
from actions.outcomes import ActionOfferSelfService, ActionRecordFeedback, ActionShowChangeSteps
from passordhjelp.outcomes import Outcome
from trackers import make_tracker, user_event


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


async def test_actions_change_steps_are_counted(configured, domain):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("x", "change_password")])
    assert await ActionShowChangeSteps().run(dispatcher, tracker, domain) == []
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_change_password_steps", "utter_learn_more"]
    [counts] = configured.outcomes.table(since=date(2000, 1, 1)).values()
    assert counts[Outcome.CHANGE_STEPS_SHOWN] == 1


async def test_actions_self_service_offered_and_counted_when_the_organisation_has_it(
        monkeypatch, configured, domain):
    from passordhjelp import bootstrap
    monkeypatch.setenv("PASSORDHJELP_SELF_SERVICE_RESET", "true")
    bootstrap.services.cache_clear()
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("x", "forgot_password")])

    events = await ActionOfferSelfService().run(dispatcher, tracker, domain)

    assert events == [SlotSet("self_service_reset", True)]
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_self_service_reset", "utter_ask_self_service_worked"]
    [counts] = bootstrap.services().outcomes.table(since=date(2000, 1, 1)).values()
    assert counts[Outcome.SELF_SERVICE_OFFERED] == 1


async def test_actions_self_service_not_offered_without_it(configured, domain):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("x", "forgot_password")])

    events = await ActionOfferSelfService().run(dispatcher, tracker, domain)

    assert events == [SlotSet("self_service_reset", False)]
    assert dispatcher.messages == []
    assert configured.outcomes.table(since=date(2000, 1, 1)) == {}


@pytest.mark.parametrize("intent, outcome", [("feedback_positive", "feedback_up"),
                                             ("feedback_negative", "feedback_down")])
async def test_actions_feedback_is_counted(configured, domain, intent, outcome):
    dispatcher = CollectingDispatcher()
    await ActionRecordFeedback().run(dispatcher, make_tracker([user_event(f"/{intent}", intent)]),
                                     domain)
    assert dispatcher.messages[0]["response"] == "utter_thanks_for_feedback"
    [counts] = configured.outcomes.table(since=date(2000, 1, 1)).values()
    assert counts[Outcome(outcome)] == 1
