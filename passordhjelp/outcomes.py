"""Counts of conversation outcomes per day, and thumbs up/down: numbers only, never text."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Callable, Dict, List, Optional, Protocol, Tuple

from passordhjelp.helpdesk_stats import requester_key
from passordhjelp.identity import Requester
from passordhjelp.reset_requests import StoreUnavailable, utcnow


class Outcome(str, enum.Enum):
    CHANGE_STEPS_SHOWN = "change_steps_shown"
    REQUEST_FILED = "request_filed"
    SELF_SERVICE_OFFERED = "self_service_offered"
    HANDOFF = "handoff"
    FALLBACK = "fallback"
    FEEDBACK_UP = "feedback_up"
    FEEDBACK_DOWN = "feedback_down"


# Outcomes that are self-help: the conversation may not need a request any more.
SELF_HELP = (Outcome.CHANGE_STEPS_SHOWN, Outcome.SELF_SERVICE_OFFERED)


class OutcomeStore(Protocol):
    def increment(
        self, day: date, outcome: Outcome, *, self_help: Optional[Tuple[str, datetime]] = None
    ) -> None: ...

    def counts(self, since: date) -> List[Tuple[date, Outcome, int]]: ...

    def self_help_since(self, since: datetime) -> List[Tuple[str, datetime]]: ...


class OutcomeCounter:
    """Adds one to today's count of an outcome; a failed count never fails a reply."""

    def __init__(
        self,
        store: OutcomeStore,
        *,
        today: Callable[[], date] = lambda: utcnow().date(),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._today = today
        self._clock = clock

    def count(self, outcome: Outcome, *, conversation: Optional[Requester] = None) -> None:
        """Counts ``outcome``; self-help is also logged by a one-way key of the
        ``conversation``'s requester, for the self-solved share."""
        self_help = None
        if outcome in SELF_HELP and conversation is not None:
            self_help = (requester_key(conversation.channel, conversation.sender_id), self._clock())
        try:
            # One transaction for both (a commit, and its disk flush, less per count).
            self._store.increment(self._today(), outcome, self_help=self_help)
        except StoreUnavailable:
            pass

    def self_help_since(self, since: datetime) -> List[Tuple[str, datetime]]:
        return self._store.self_help_since(since)

    def table(self, since: date) -> Dict[date, Dict[Outcome, int]]:
        """Per day (oldest first), the count of every outcome."""
        days: Dict[date, Dict[Outcome, int]] = {}
        for day, outcome, count in self._store.counts(since):
            days.setdefault(day, {o: 0 for o in Outcome})[outcome] = count
        return dict(sorted(days.items()))
