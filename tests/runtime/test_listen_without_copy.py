"""runtime/listen_without_copy.py: skipping the tracker copy before a listen gives the
replies, events and event objects Rasa's own ``_run_action`` gives, on random
conversations run through the processor's action step as Rasa's processor runs them."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.core.actions.action import Action, ActionBotResponse, ActionListen
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionReverted,
    ActiveLoop,
    DefinePrevUserUtteredFeaturization,
    EntitiesAdded,
    Event,
    Restarted,
    SlotSet,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

from runtime import listen_without_copy, state_history

PROJECT_ROOT = Path(__file__).resolve().parents[2]
UTTERANCES = ["utter_greet", "utter_goodbye", "utter_you_are_welcome"]
INTENTS = ["greet", "goodbye", "forgot_password", "affirm", "deny", "thank"]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


class _Events(Action):
    """A custom action that returns the events it is given."""

    def __init__(self, events: List[Event]) -> None:
        self.events = events

    def name(self) -> str:
        return "action_check_follow_up"

    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:  # type: ignore[override]
        return self.events


def _an_answer(rng: random.Random) -> List[Event]:
    roll = rng.random()
    if roll < 0.5:
        return [SlotSet("language", rng.choice(["en", "nb"]))]
    if roll < 0.6:
        return [EntitiesAdded([{"entity": "language", "value": "nb", "start": 0, "end": 1}])]
    if roll < 0.7:
        return [UserUtteranceReverted()]
    if roll < 0.75:
        return [ActionReverted()]
    if roll < 0.85:
        return [ActiveLoop(rng.choice(["reset_request_form", None]))]
    return []


def _a_prediction(rng: random.Random) -> PolicyPrediction:
    roll = rng.random()
    events: List[Event] = []
    if roll < 0.15:
        events = [DefinePrevUserUtteredFeaturization(rng.random() < 0.5)]
    elif roll < 0.25:
        events = [SlotSet("language", "en")]
    return PolicyPrediction([1.0], "RulePolicy", events=events)


async def _converse(seed: int, domain: Domain, run_action: Any) -> Dict[str, Any]:
    """One random conversation: user messages as the processor logs them (with their
    featurization event, sometimes a second one), then actions run by ``run_action``
    until a listen, the states asked for as the policy asks for them."""
    rng = random.Random(seed)
    processor = object.__new__(MessageProcessor)
    processor.domain = domain
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    channel = CollectingOutputChannel()
    tracker = DialogueStateTracker("ola", domain.slots)
    for _ in range(rng.randint(3, 12)):
        message = UserUttered(
            rng.choice(["hei", "hi"]), {"name": rng.choice(INTENTS), "confidence": 0.9}
        )
        tracker.update(message)
        tracker.update(DefinePrevUserUtteredFeaturization(rng.random() < 0.3))
        if rng.random() < 0.1:
            tracker.update(DefinePrevUserUtteredFeaturization(rng.random() < 0.5))
        if rng.random() < 0.1:
            tracker.update(Restarted())
        for _ in range(rng.randint(0, 3)):
            state_history.states_for_tracker_history(domain, tracker)
            action: Action = (
                ActionBotResponse(rng.choice(UTTERANCES))
                if rng.random() < 0.6
                else _Events(_an_answer(rng))
            )
            await run_action(processor, action, tracker, channel, nlg, _a_prediction(rng))
        state_history.states_for_tracker_history(domain, tracker)
        await run_action(processor, ActionListen(), tracker, channel, nlg, _a_prediction(rng))
    return {
        "replies": channel.messages,
        "events": [_without_time(event.as_dict()) for event in tracker.events],
        # What replaying writes into the events themselves.
        "messages": [
            (event.use_text_for_featurization, list(event.entities))
            for event in tracker.events
            if isinstance(event, UserUttered)
        ],
        "states": state_history.rasa_states_for_tracker_history(domain, tracker),
    }


def _without_time(event: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in event.items() if key != "timestamp"}


async def test_listen_without_copy_gives_rasas_replies_events_and_event_objects(
    domain, monkeypatch
):
    copies: List[Optional[int]] = []
    rasa_copy = DialogueStateTracker.copy
    monkeypatch.setattr(
        DialogueStateTracker, "copy", lambda self: copies.append(1) or rasa_copy(self)
    )
    differing_featurizations = skipped = 0
    for seed in range(60):
        copies.clear()
        rasas = await _converse(seed, domain, listen_without_copy.rasa_run_action)
        rasa_copies = len(copies)
        copies.clear()
        ours = await _converse(seed, domain, listen_without_copy.run_action)
        assert ours == rasas, f"conversation {seed}"
        assert len(copies) <= rasa_copies
        skipped += rasa_copies - len(copies)
        differing_featurizations += len({read for read, _ in rasas["messages"]}) > 1
    # The conversations did exercise what a copy's replay writes.
    assert differing_featurizations > 10
    assert skipped > 60


async def test_a_listen_after_a_featurization_event_is_copied(domain):
    processor = object.__new__(MessageProcessor)
    processor.domain = domain
    tracker = DialogueStateTracker("ola", domain.slots)
    tracker.update(UserUttered("hei", {"name": "greet", "confidence": 0.9}))
    channel, nlg = CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses)
    listen = PolicyPrediction([1.0], "RulePolicy")
    await listen_without_copy.run_action(
        processor, ActionBotResponse("utter_greet"), tracker, channel, nlg, listen
    )
    assert listen_without_copy._copy_would_change_nothing(tracker)
    tracker.update(DefinePrevUserUtteredFeaturization(True))
    assert not listen_without_copy._copy_would_change_nothing(tracker)
