"""A conversation's applied events, worked out once per tracker instead of for every call.

Rasa 3.6's ``DialogueStateTracker.applied_events`` walks every event of the conversation
(twice: first for the names of the forms it ran) each time it is asked, and a turn asks
the same tracker three to five times: ``runtime/state_history.py`` for every prediction,
the session check, the tracker sent to the action server. Each step is a handful of
``isinstance`` checks against Rasa's event classes, whose ``ABCMeta`` makes each check
slow: cProfile put these walks at about a tenth of the Rasa server's CPU per message
(bench/README.md).

Here a tracker keeps the walk: the events it has seen, the form names among them, and
the applied events at their end. Asked again, when the tracker's events are those it saw
(the same deque holding the same event objects) with more after them, only the new ones
are walked, unless one of them names a form the walk hasn't seen: the form names are
read over all events first and change how earlier ones are walked, so the walk then
starts again, as does any other change. The list returned is a new one each time, as
Rasa's is. The walk itself is Rasa's, step for step.
"""

from __future__ import annotations

import operator
from itertools import islice
from typing import Callable, Iterable, List, Set

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

# Rasa's own, kept before ``runtime.rasa_speedups.install`` replaces it.
rasa_applied_events: Callable[[DialogueStateTracker], List[Event]] = (
    DialogueStateTracker.applied_events
)

_WALK = "_passordhjelp_applied_events"


class _Walk:
    """The events a tracker's walk has seen, the form names among them, what applies."""

    __slots__ = ("events", "seen", "loop_names", "applied")

    def __init__(self, events: object) -> None:
        self.events = events
        self.seen: List[Event] = []
        self.loop_names: Set[str] = set()
        self.applied: List[Event] = []

    def continues(self, events: object) -> bool:
        """Whether ``events`` is the deque this walk saw, holding what it saw first."""
        return (
            events is self.events
            and len(events) >= len(self.seen)  # type: ignore[arg-type]
            and all(map(operator.is_, self.seen, events))  # type: ignore[call-overload]
        )


def _loop_names(events: Iterable[Event]) -> Set[str]:
    return {event.name for event in events if isinstance(event, ActiveLoop) and event.name}


def _walk(tracker: DialogueStateTracker, walk: _Walk, new: List[Event]) -> None:
    """Rasa's ``applied_events`` loop over ``new``, continuing ``walk.applied``."""
    applied = walk.applied
    loop_names = walk.loop_names
    for event in new:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)
    walk.seen.extend(new)


def applied_events(self: DialogueStateTracker) -> List[Event]:
    """Rasa's ``DialogueStateTracker.applied_events``, walking only the events that are
    new since the last call on the same tracker."""
    events = self.events
    walk = self.__dict__.get(_WALK)
    if walk is not None and walk.continues(events):
        new = list(islice(events, len(walk.seen), None))
        if not _loop_names(new) <= walk.loop_names:
            walk = None
    else:
        walk = None
    if walk is None:
        walk = self.__dict__[_WALK] = _Walk(events)
        new = list(events)
        walk.loop_names = _loop_names(new)
    _walk(self, walk, new)
    return list(walk.applied)
