"""Counts of conversation outcomes per day, and thumbs up/down: numbers only, never text."""

from __future__ import annotations

import enum
from datetime import date
from typing import Callable, Dict, List, Protocol, Tuple

from passordhjelp.reset_requests import StoreUnavailable, utcnow


class Outcome(str, enum.Enum):
    CHANGE_STEPS_SHOWN = "change_steps_shown"
    REQUEST_FILED = "request_filed"
    SELF_SERVICE_OFFERED = "self_service_offered"
    HANDOFF = "handoff"
    FALLBACK = "fallback"
    FEEDBACK_UP = "feedback_up"
    FEEDBACK_DOWN = "feedback_down"


class OutcomeStore(Protocol):
    def increment(self, day: date, outcome: Outcome) -> None: ...

    def counts(self, since: date) -> List[Tuple[date, Outcome, int]]: ...


class OutcomeCounter:
    """Adds one to today's count of an outcome; a failed count never fails a reply."""

    def __init__(self, store: OutcomeStore, *,
                 today: Callable[[], date] = lambda: utcnow().date()) -> None:
        self._store = store
        self._today = today

    def count(self, outcome: Outcome) -> None:
        try:
            self._store.increment(self._today(), outcome)
        except StoreUnavailable:
            pass

    def table(self, since: date) -> Dict[date, Dict[Outcome, int]]:
        """Per day (oldest first), the count of every outcome."""
        days: Dict[date, Dict[Outcome, int]] = {}
        for day, outcome, count in self._store.counts(since):
            days.setdefault(day, {o: 0 for o in Outcome})[outcome] = count
        return dict(sorted(days.items()))
