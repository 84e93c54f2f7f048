"""The language slot is validated inside Rasa (runtime/language_slot.py): a message that only
hints at its language sets a new conversation's language but does not switch it, with no
call to the action server."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    Event,
    Restarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.executor import ActionExecutor

from runtime import language_slot

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


@pytest.fixture(autouse=True)
def in_process_validation(monkeypatch):
    monkeypatch.setattr(
        ActionExtractSlots, "_execute_validation_action", language_slot._execute_validation_action
    )

    async def no_call(*_args: Any) -> List[Event]:
        raise AssertionError("the action server was called")

    monkeypatch.setattr(RemoteAction, "run", no_call)


def message(
    told: Optional[str], role: Optional[str] = None, intent: str = "goodbye"
) -> List[Event]:
    entities = []
    if told:
        entity: Dict[str, Any] = {"entity": "language", "value": told, "start": 0, "end": 5}
        if role:
            entity["role"] = role
        entities.append(entity)
    return [
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("ok gotta run", {"name": intent, "confidence": 0.9}, entities),
    ]


async def extracted(domain: Domain, events: List[Event]) -> List[Event]:
    tracker = DialogueStateTracker.from_events("ola", events, slots=domain.slots)
    return await ActionExtractSlots(None).run(None, None, tracker, domain)


@pytest.mark.parametrize(
    "previous, told, role, kept",
    [
        ("en", "nb", "hint", "en"),  # "ok gotta run, later" in an English conversation
        ("nb", "en", "hint", "nb"),  # "ja, go for it" in a Norwegian one
        ("en", "nb", None, "nb"),  # a Norwegian sentence switches
        (None, "nb", "hint", "nb"),  # the first message sets it
        ("nb", "nb", "hint", "nb"),
    ],
)
async def test_language_switches_only_on_a_clear_message(domain, previous, told, role, kept):
    before = [SlotSet("language", previous)] if previous else []
    assert await extracted(domain, before + message(told, role)) == [SlotSet("language", kept)]


async def test_language_kept_is_the_one_set_before_the_latest_message(domain):
    # An earlier hint that did not switch left "en"; a later one still keeps it.
    events = (
        [SlotSet("language", "nb")]
        + message("en")
        + [SlotSet("language", "en")]
        + [ActionExecuted("utter_goodbye")]
        + message("nb", "hint")
    )
    assert await extracted(domain, events) == [SlotSet("language", "en")]


async def test_language_before_a_restart_is_not_kept(domain):
    events = [SlotSet("language", "en"), Restarted()] + message("nb", "hint")
    assert await extracted(domain, events) == [SlotSet("language", "nb")]


async def test_message_that_does_not_tell_its_language_sets_nothing(domain):
    assert await extracted(domain, [SlotSet("language", "nb")] + message(None)) == []


async def test_other_candidates_follow_the_validated_language(domain):
    form = [
        ActiveLoop("reset_request_form"),
        SlotSet(REQUESTED_SLOT, "reset_wanted"),
        SlotSet("language", "nb"),
    ]
    events = await extracted(domain, form + message("en", "hint", intent="affirm"))
    assert events == [SlotSet("language", "nb"), SlotSet("reset_wanted", True)]


async def test_a_clear_message_in_the_other_language_while_the_form_waits_keeps_it(domain):
    # A question in English at a Norwegian confirmation is a digression: the
    # confirmation and the filing stay Norwegian.
    form = [
        ActiveLoop("reset_request_form"),
        SlotSet(REQUESTED_SLOT, "reset_confirmed"),
        SlotSet("language", "nb"),
    ]
    events = await extracted(domain, form + message("en", intent="ask_process"))
    assert events == [SlotSet("language", "nb")]


async def test_without_the_validation_action_in_the_domain_candidates_stay(domain):
    bare = Domain.from_dict({**domain.as_dict(), "actions": []})
    events = [SlotSet("language", "en")] + message("nb", "hint")
    assert await extracted(bare, events) == [SlotSet("language", "nb")]


def test_action_server_does_not_define_the_validation_it_would_no_longer_be_asked_for():
    executor = ActionExecutor()
    executor.register_package("actions")
    assert "action_validate_slot_mappings" not in executor.actions
    assert "action_file_reset_request" in executor.actions
