"""An action that only reads the tracker runs without Rasa's copy of it, with the same
result (runtime/rasa_speedups.py, ``_run_action``); every other run copies as Rasa does."""

from __future__ import annotations

from typing import Any, List, Tuple

import pytest
from rasa.core.actions.action import ActionBotResponse, ActionListen, ActionRestart
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from runtime import rasa_speedups

DOMAIN = Domain.from_dict(
    {
        "intents": ["greet"],
        "slots": {"language": {"type": "text", "mappings": [{"type": "custom"}]}},
        "responses": {"utter_greet": [{"text": "Hei, {language}!"}]},
    }
)


def _processor() -> MessageProcessor:
    """A processor with only what ``_run_action`` uses (no model)."""
    processor = MessageProcessor.__new__(MessageProcessor)
    processor.domain = DOMAIN
    return processor


def _tracker() -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "ola",
        [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            UserUttered("hei", intent={"name": "greet", "confidence": 1.0}),
            SlotSet("language", "nb"),
        ],
        DOMAIN.slots,
    )


async def _run(
    run_action: Any, action: Any, prediction: PolicyPrediction, monkeypatch: pytest.MonkeyPatch
) -> Tuple[List[dict], List[dict], int]:
    """The tracker's events after the run, the messages sent, and the copies made."""
    copies = []
    rasas_copy = DialogueStateTracker.copy
    monkeypatch.setattr(
        DialogueStateTracker, "copy", lambda self: copies.append(1) or rasas_copy(self)
    )
    tracker, channel = _tracker(), CollectingOutputChannel()
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    await run_action(_processor(), action, tracker, channel, nlg, prediction)
    assert "copy" not in tracker.__dict__
    events = [event.as_dict() for event in tracker.events]
    for event in events:
        event.pop("timestamp", None)
    return events, channel.messages, len(copies)


@pytest.mark.parametrize(
    "action", [ActionBotResponse("utter_greet"), ActionListen()], ids=lambda a: a.name()
)
async def test_read_only_actions_run_on_the_tracker_itself(action: Any, monkeypatch) -> None:
    prediction = PolicyPrediction([], "RulePolicy")
    theirs = await _run(rasa_speedups._rasa_run_action, action, prediction, monkeypatch)
    ours = await _run(rasa_speedups._run_action, action, prediction, monkeypatch)
    assert theirs[2] == 1 and ours[2] == 0
    assert ours[:2] == theirs[:2]
    assert ours[1] or isinstance(action, ActionListen)  # the response was sent


@pytest.mark.parametrize(
    "action, prediction",
    [
        # The policy's events are applied to a copy first: it is made.
        (
            ActionBotResponse("utter_greet"),
            PolicyPrediction([], "RulePolicy", events=[SlotSet("language", "en")]),
        ),
        # Not on the list of actions that only read.
        (ActionRestart(), PolicyPrediction([], "RulePolicy")),
    ],
    ids=["policy events", "other action"],
)
async def test_other_actions_run_on_rasas_copy(action: Any, prediction: Any, monkeypatch) -> None:
    theirs = await _run(rasa_speedups._rasa_run_action, action, prediction, monkeypatch)
    ours = await _run(rasa_speedups._run_action, action, prediction, monkeypatch)
    assert theirs[2] == ours[2] == 1
    assert ours[:2] == theirs[:2]
