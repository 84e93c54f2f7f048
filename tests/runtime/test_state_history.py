"""runtime/state_history.py gives the dialogue states Rasa's own computation gives, for
conversations that grow, restart, revert turns and run forms, while replaying only what is
new on the same tracker."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import List

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT, USER
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    DefinePrevUserUtteredFeaturization,
    Event,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

from runtime.state_history import (
    _HISTORY,
    rasa_slots_sub_state,
    rasa_states_for_tracker_history,
    slots_sub_state,
    states_for_tracker_history,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FORM = "reset_request_form"
ACTIONS = [
    "utter_greet",
    "utter_goodbye",
    "action_check_follow_up",
    "action_file_reset_request",
    FORM,
    "action_extract_slots",
]
INTENTS = ["greet", "goodbye", "forgot_password", "affirm", "deny", "thank", "nlu_fallback"]
SLOTS = [
    ("language", ["en", "nb", None]),
    ("reset_wanted", [True, False, None]),
    ("follow_up", ["status", "none", None]),
    ("other_person_topic", [True, False]),
    ("reset_declined", [True, False]),
    (REQUESTED_SLOT, ["reset_wanted", "reset_confirmed", None]),
]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


def an_event(rng: random.Random) -> Event:
    roll = rng.random()
    if roll < 0.25:
        return ActionExecuted(rng.choice(ACTIONS))
    if roll < 0.35:
        return ActionExecuted(ACTION_LISTEN_NAME)
    if roll < 0.5:
        entities = (
            [{"entity": "language", "value": rng.choice(["en", "nb"]), "start": 0, "end": 2}]
            if rng.random() < 0.5
            else []
        )
        return UserUttered("hei", {"name": rng.choice(INTENTS), "confidence": 0.9}, entities)
    if roll < 0.7:
        name, values = rng.choice(SLOTS)
        return SlotSet(name, rng.choice(values))
    rare = [
        lambda: ActiveLoop(FORM),
        lambda: ActiveLoop(None),
        lambda: DefinePrevUserUtteredFeaturization(rng.random() < 0.5),
        lambda: LoopInterrupted(rng.random() < 0.5),
        lambda: ActionExecutionRejected(FORM),
        UserUtteranceReverted,
        ActionReverted,
        Restarted,
        SessionStarted,
    ]
    return rng.choice(rare)()


def rasa_own(domain: Domain, tracker: DialogueStateTracker) -> list:
    return rasa_states_for_tracker_history(domain, tracker)


@pytest.mark.parametrize("seed", range(40))
def test_states_are_rasas_as_the_conversation_grows(domain, seed):
    # Two copies of one conversation, asked for their states at the same moments: one
    # by runtime/state_history.py, one by Rasa's own. (Rasa's replay sets how a user
    # message is featurized on the message event itself, so the copies share no event.)
    rng = random.Random(seed)
    ours = DialogueStateTracker("ola", domain.slots)
    rasas = DialogueStateTracker("ola", domain.slots)
    for _ in range(150):
        event = an_event(rng)
        ours.update(event)
        rasas.update(copy.deepcopy(event))
        if rng.random() < 0.4:
            states = states_for_tracker_history(domain, ours)
            expected = rasa_own(domain, rasas)
            assert states == expected
            # Callers edit what they get (the featurizer drops the last user input's
            # text or intent): nothing kept may change with it.
            for edited in (states, expected):
                edited[-1].get(USER, {}).pop("intent", None)
                edited[0].clear()


@pytest.mark.parametrize("omit_unset_slots", [False, True])
def test_states_follow_the_option_asked_for(domain, omit_unset_slots):
    rng = random.Random(3)
    tracker = DialogueStateTracker("ola", domain.slots)
    for _ in range(40):
        tracker.update(an_event(rng))
        states_for_tracker_history(domain, tracker, omit_unset_slots=not omit_unset_slots)
        assert states_for_tracker_history(
            domain, tracker, omit_unset_slots=omit_unset_slots
        ) == rasa_states_for_tracker_history(domain, tracker, omit_unset_slots=omit_unset_slots)


def a_turn(intent: str) -> List[Event]:
    """A turn as Rasa's processor logs it."""
    return [
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("hi", {"name": intent, "confidence": 0.9}),
        SlotSet("language", "en"),
        DefinePrevUserUtteredFeaturization(False),
        ActionExecuted("utter_greet"),
    ]


def test_a_growing_conversation_is_replayed_once(domain):
    tracker = DialogueStateTracker.from_events("ola", a_turn("greet"), slots=domain.slots)
    states_for_tracker_history(domain, tracker)
    replay = tracker.__dict__[_HISTORY]
    for event in a_turn("goodbye"):
        tracker.update(event)
        assert states_for_tracker_history(domain, tracker) == rasa_own(domain, tracker)
        assert tracker.__dict__[_HISTORY] is replay
    assert len(replay.states) == 4
    # Each event was replayed once: two turns of five.
    assert len(replay.tracker.events) == 10


def test_a_reverted_turn_is_replayed_from_the_start(domain):
    tracker = DialogueStateTracker.from_events("ola", a_turn("greet"), slots=domain.slots)
    states_for_tracker_history(domain, tracker)
    replay = tracker.__dict__[_HISTORY]
    tracker.update(UserUtteranceReverted())
    assert states_for_tracker_history(domain, tracker) == rasa_own(domain, tracker)
    assert tracker.__dict__[_HISTORY] is not replay


def test_rule_only_turns_are_left_to_rasa(domain):
    tracker = DialogueStateTracker.from_events("ola", a_turn("greet"), slots=domain.slots)
    states = states_for_tracker_history(domain, tracker, ignore_rule_only_turns=True)
    assert states == rasa_states_for_tracker_history(domain, tracker, ignore_rule_only_turns=True)
    assert _HISTORY not in tracker.__dict__


def test_a_state_is_computed_once_when_asked_again_and_before_the_predicted_action(
    domain, monkeypatch
):
    # As Rasa's processor asks after a user message: with the text, with the intent (nothing
    # new), then after the predicted action is logged. Each distinct state once.
    tracker = DialogueStateTracker.from_events("ola", a_turn("greet")[:4], slots=domain.slots)
    computed = []
    get_active_state = domain.get_active_state
    monkeypatch.setattr(
        domain, "get_active_state", lambda *a, **k: computed.append(1) or get_active_state(*a, **k)
    )
    first = states_for_tracker_history(domain, tracker)
    assert len(computed) == 2  # before action_listen, and now
    assert states_for_tracker_history(domain, tracker) == first
    assert len(computed) == 2
    tracker.update(ActionExecuted("utter_greet"))
    states = states_for_tracker_history(domain, tracker)
    assert len(computed) == 3  # only the state after utter_greet
    assert states == rasa_own(domain, tracker)


def test_a_kept_state_is_computed_again_when_its_message_reads_otherwise(domain):
    tracker = DialogueStateTracker.from_events("ola", a_turn("greet")[:2], slots=domain.slots)
    with_both = states_for_tracker_history(domain, tracker)
    tracker.update(DefinePrevUserUtteredFeaturization(True))
    with_text = states_for_tracker_history(domain, tracker)
    assert with_text == rasa_own(domain, tracker) and with_text != with_both


def a_slot_event(rng: random.Random) -> Event:
    roll = rng.random()
    if roll < 0.6:
        name, values = rng.choice(SLOTS)
        return SlotSet(name, rng.choice(values))
    if roll < 0.7:
        return SlotSet("language", ["en"])  # a value that could change in place: not kept
    if roll < 0.8:
        return AllSlotsReset()
    if roll < 0.9:
        return Restarted()
    return an_event(rng)


@pytest.mark.parametrize("seed", range(20))
def test_slots_part_is_rasas_as_slots_are_set_and_reset(domain, seed):
    rng = random.Random(seed)
    tracker = DialogueStateTracker("ola", domain.slots)
    for _ in range(120):
        tracker.update(a_slot_event(rng))
        for omit in (False, True) if rng.random() < 0.3 else (rng.random() < 0.5,):
            part = slots_sub_state(tracker, omit)
            assert part == rasa_slots_sub_state(tracker, omit_unset_slots=omit)
            part["edited"] = ("x",)  # a caller's edit changes nothing kept
        if rng.random() < 0.1:
            # A slot set without an event (as Rasa's processor never does, but may).
            name, values = rng.choice(SLOTS)
            tracker.slots[name].value = rng.choice(values)


def test_slots_part_is_worked_out_once_while_no_slot_changes(domain, monkeypatch):
    tracker = DialogueStateTracker.from_events("ola", a_turn("greet"), slots=domain.slots)
    featurized = []
    as_feature = Slot.as_feature
    monkeypatch.setattr(Slot, "as_feature", lambda self: featurized.append(1) or as_feature(self))
    slots_sub_state(tracker)
    once = len(featurized)
    assert once >= len(domain.slots)
    tracker.update(ActionExecuted("utter_greet"))
    slots_sub_state(tracker)
    assert len(featurized) == once
    tracker.update(SlotSet("language", "nb"))
    slots_sub_state(tracker)
    assert len(featurized) > once
