"""rasa-sdk actions run in Rasa's process (runtime/in_process_actions.py): the request form's
validation, and the self-service offer while the organisation has none, give the same
events and replies as with the action server's answer to the same call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List, Optional

import pytest
from rasa.core.actions import action as rasa_actions
from rasa.core.actions import forms as rasa_forms
from rasa.core.actions.action import ActionExecutionRejection, ActionExtractSlots, RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk import interfaces as sdk
from rasa_sdk.executor import ActionExecutor

from runtime import in_process_actions, language_slot
from trackers import nlu_entities

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FORM = "reset_request_form"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


@pytest.fixture
def calls(monkeypatch) -> List[str]:
    """The action server at the HTTP boundary: the call body as JSON to rasa-sdk's executor
    of ``actions/``, its answer back as JSON; records the actions called."""
    executor = ActionExecutor()
    executor.register_package("actions")
    called: List[str] = []

    async def request(self: EndpointConfig, **kwargs: Any) -> Any:
        body = json.loads(json.dumps(kwargs["json"]))
        called.append(body["next_action"])
        return json.loads(json.dumps(await executor.run(body)))

    monkeypatch.setattr(EndpointConfig, "request", request)
    monkeypatch.setattr(rasa_forms, "RemoteAction", RemoteAction)
    # The form's start extracts slots; their validation runs in Rasa as served.
    monkeypatch.setattr(ActionExtractSlots, "_execute_validation_action",
                        ActionExtractSlots._execute_validation_action)
    language_slot.install()
    return called


def install(monkeypatch) -> None:
    """As the Rasa entry point installs it, undone after the test."""
    monkeypatch.setattr(rasa_forms, "RemoteAction", rasa_forms.RemoteAction)
    monkeypatch.setattr(rasa_actions, "action_for_name_or_text",
                        rasa_actions.action_for_name_or_text)
    in_process_actions.install()


def conversation(text: str, intent: str, confidence: float, requested: Optional[str],
                 candidate: Any, language: str) -> List[Event]:
    """The form waiting at ``requested`` (None: the form starting) and the user's answer,
    with the slot candidate Rasa's slot extraction took from it."""
    events: List[Event] = [ActionExecuted(ACTION_LISTEN_NAME), SlotSet("language", language)]
    if requested is not None:
        events += [ActionExecuted(FORM), ActiveLoop(FORM), SlotSet("requested_slot", requested)]
        if requested == "reset_confirmed":
            events.append(SlotSet("reset_wanted", True))
    events += [ActionExecuted(ACTION_LISTEN_NAME),
               UserUttered(text, {"name": intent, "confidence": confidence},
                           nlu_entities(text), input_channel="rest")]
    if candidate is not None:
        events.append(SlotSet(requested, candidate))
    return events


async def form_run(domain: Domain, events: List[Event]) -> List[dict]:
    tracker = DialogueStateTracker.from_events("ola", events, slots=domain.slots)
    form = FormAction(FORM, EndpointConfig("http://actions.invalid/webhook"))
    channel = CollectingOutputChannel()
    ran = await form.run(channel, TemplatedNaturalLanguageGenerator(domain.responses),
                         tracker, domain)
    return [{k: v for k, v in event.as_dict().items() if k != "timestamp"} for event in ran]


# (language, text, intent, confidence, requested slot, extracted candidate)
CASES = [
    ("en", "I forgot my password", "forgot_password", 0.95, None, None),
    ("nb", "jeg har glemt passordet", "forgot_password", 0.95, None, None),
    ("en", "yes please", "affirm", 0.95, "reset_wanted", True),
    ("nb", "ja takk", "affirm", 0.95, "reset_wanted", True),
    ("en", "no", "deny", 0.95, "reset_wanted", False),
    ("nb", "nei", "deny", 0.95, "reset_wanted", False),
    ("en", "yes, file it", "affirm", 0.95, "reset_confirmed", True),
    ("nb", "ja, send den", "affirm", 0.95, "reset_confirmed", True),
    ("en", "sure I guess", "affirm", 0.5, "reset_confirmed", True),
    ("nb", "ok da", "affirm", 0.5, "reset_confirmed", True),
    ("en", "y", "nlu_fallback", 1.0, "reset_confirmed", None),
    ("nb", "j", "nlu_fallback", 1.0, "reset_wanted", None),
    ("en", "yes, for my colleague Kari", "affirm", 0.95, "reset_wanted", True),
    ("nb", "ja, det gjelder kollegaen min", "affirm", 0.95, "reset_confirmed", True),
    ("en", "thanks", "thank", 0.95, "reset_confirmed", True),
    ("nb", "takk", "thank", 0.95, "reset_confirmed", True),
    ("en", "yes it is [secret removed]", "affirm", 0.95, "reset_confirmed", True),
    ("nb", "ja det er [secret removed]", "greet", 0.6, "reset_wanted", None),
]


@pytest.mark.parametrize("language, text, intent, confidence, requested, candidate", CASES)
async def test_in_process_validation_gives_the_action_servers_events(
        domain, calls, monkeypatch, language, text, intent, confidence, requested, candidate):
    events = conversation(text, intent, confidence, requested, candidate, language)
    remote = await form_run(domain, events)
    assert set(calls) == {"validate_reset_request_form"}
    remote_calls = len(calls)

    install(monkeypatch)
    assert await form_run(domain, events) == remote
    assert len(calls) == remote_calls  # none to the action server


async def test_in_process_validation_rejects_as_rasa_does_after_the_servers_400():
    executor = ActionExecutor()

    def rejecting(dispatcher: Any, tracker: Any, domain: Any) -> None:
        raise sdk.ActionExecutionRejection("validate_reset_request_form", "not now")

    executor.register_function("validate_reset_request_form", rejecting)
    endpoint = in_process_actions.InProcessEndpoint(EndpointConfig("http://actions.invalid"),
                                                    executor=executor)
    body = {"next_action": "validate_reset_request_form", "sender_id": "ola",
            "tracker": DialogueStateTracker("ola", []).current_state(), "domain": {}}
    with pytest.raises(ActionExecutionRejection, match="not now"):
        await endpoint.request(json=body, method="post")


def offer_conversation(language: str) -> List[Event]:
    text = "I forgot my password" if language == "en" else "jeg har glemt passordet"
    return [ActionExecuted(ACTION_LISTEN_NAME), SlotSet("language", language),
            UserUttered(text, {"name": "forgot_password", "confidence": 0.95}, [],
                        input_channel="rest")]


async def offer(domain: Domain, events: List[Event], *, in_process: bool) -> List[dict]:
    endpoint = EndpointConfig("http://actions.invalid/webhook")
    action = (rasa_actions.action_for_name_or_text("action_offer_self_service", domain, endpoint)
              if in_process else RemoteAction("action_offer_self_service", endpoint))
    tracker = DialogueStateTracker.from_events("ola", events, slots=domain.slots)
    ran = await action.run(CollectingOutputChannel(),
                           TemplatedNaturalLanguageGenerator(domain.responses), tracker, domain)
    return [{k: v for k, v in event.as_dict().items() if k != "timestamp"} for event in ran]


@pytest.fixture
def installed(monkeypatch) -> None:
    install(monkeypatch)


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_self_service_not_offered_runs_in_process(domain, calls, configured, installed,
                                                       language):
    remote = await offer(domain, offer_conversation(language), in_process=False)
    assert calls == ["action_offer_self_service"]
    assert remote == [{"event": "slot", "name": "self_service_reset", "value": False}]
    assert await offer(domain, offer_conversation(language), in_process=True) == remote
    assert calls == ["action_offer_self_service"]  # none to the action server


async def test_self_service_offered_is_the_action_servers(domain, calls, configured, installed,
                                                          monkeypatch):
    # Offering counts the offer in the database: the action server's work.
    from passordhjelp import bootstrap

    monkeypatch.setenv("PASSORDHJELP_SELF_SERVICE_RESET", "true")
    bootstrap.services.cache_clear()
    ran = await offer(domain, offer_conversation("nb"), in_process=True)
    assert calls == ["action_offer_self_service"]
    assert [e.get("metadata", {}).get("utter_action") for e in ran if e["event"] == "bot"] == [
        "utter_self_service_reset", "utter_ask_self_service_worked"]
    assert ran[-1] == {"event": "slot", "name": "self_service_reset", "value": True}
