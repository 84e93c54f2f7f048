"""runtime/applied_events.py gives the applied events Rasa's own walk gives, for
conversations that grow, restart, revert turns and run forms, while walking only what is
new on the same tracker."""

from __future__ import annotations

import random
from collections import deque
from typing import List

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    DefinePrevUserUtteredFeaturization,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

from runtime.applied_events import _WALK, applied_events, rasa_applied_events

FORMS = ["reset_request_form", "other_form"]
ACTIONS = ["utter_greet", "action_file_reset_request", *FORMS]


def an_event(rng: random.Random) -> Event:
    roll = rng.random()
    if roll < 0.35:
        return ActionExecuted(rng.choice(ACTIONS))
    if roll < 0.45:
        return ActionExecuted(ACTION_LISTEN_NAME)
    if roll < 0.6:
        return UserUttered("hei", {"name": "greet", "confidence": 0.9})
    if roll < 0.7:
        return SlotSet("language", rng.choice(["en", "nb"]))
    rare = [
        lambda: ActiveLoop(rng.choice(FORMS)),
        lambda: ActiveLoop(None),
        lambda: DefinePrevUserUtteredFeaturization(False),
        lambda: ActionExecutionRejected(rng.choice(FORMS)),
        UserUtteranceReverted,
        ActionReverted,
        Restarted,
        SessionStarted,
    ]
    return rng.choice(rare)()


def same_objects(ours: List[Event], rasas: List[Event]) -> bool:
    return len(ours) == len(rasas) and all(a is b for a, b in zip(ours, rasas))


@pytest.mark.parametrize("seed", range(60))
@pytest.mark.parametrize("max_event_history", [None, 25])
def test_applied_events_are_rasas_as_the_conversation_grows(seed, max_event_history):
    rng = random.Random(seed)
    tracker = DialogueStateTracker("ola", [], max_event_history=max_event_history)
    for _ in range(200):
        tracker.update(an_event(rng))
        if rng.random() < 0.4:
            ours = applied_events(tracker)
            assert same_objects(ours, rasa_applied_events(tracker))
            # A caller may edit the list it gets: nothing kept changes with it.
            ours.clear()


def test_applied_events_walks_only_the_new_events_on_the_same_tracker():
    tracker = DialogueStateTracker("ola", [])
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    applied_events(tracker)
    walk = tracker.__dict__[_WALK]
    tracker.update(UserUttered("hei", {"name": "greet", "confidence": 0.9}))
    assert same_objects(applied_events(tracker), rasa_applied_events(tracker))
    assert tracker.__dict__[_WALK] is walk
    assert len(walk.seen) == 2


def test_applied_events_walks_again_when_a_new_form_is_named_or_the_events_change():
    tracker = DialogueStateTracker("ola", [])
    for event in (ActionExecuted(ACTION_LISTEN_NAME), ActionExecuted(FORMS[0])):
        tracker.update(event)
    applied_events(tracker)
    walk = tracker.__dict__[_WALK]
    # The form's name, read over all events, changes how its earlier execution is walked.
    tracker.update(ActiveLoop(FORMS[0]))
    tracker.update(ActionExecuted(FORMS[0]))
    assert same_objects(applied_events(tracker), rasa_applied_events(tracker))
    assert tracker.__dict__[_WALK] is not walk
    # Events replaced in place, or a new deque: walked from the start.
    tracker.events[1] = ActionExecuted("utter_greet")
    assert same_objects(applied_events(tracker), rasa_applied_events(tracker))
    tracker.events = deque(list(tracker.events)[:2])
    assert same_objects(applied_events(tracker), rasa_applied_events(tracker))
