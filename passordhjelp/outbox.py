"""The outbox: messages to other systems, committed with the change that causes them and
delivered afterwards, once per row, by any number of workers.

A row is written in the same transaction as the request (or status change) it
announces, so the helpdesk hears of every committed request and of nothing that
was rolled back. A worker *claims* due rows before sending them (``SELECT … FOR
UPDATE SKIP LOCKED`` on PostgreSQL; SQLite serialises the claiming ``UPDATE``):
a claim sets a token and moves the row's next attempt a lease into the future,
so another worker skips it until the lease runs out (a worker that died
mid-delivery). Results are written only by the holder of the claim. The row keeps when
it was first claimed, and a later claim hands that on (``QueuedEntry.claimed_before``): a
send since then may have got through with its result never written (the worker died, the
answer was lost), so a sender that can look up what it sent does so before sending again.
Attempts are counted per row; the wait between attempts doubles up to ``max_delay``, and
a row is given up (``failed``) only ``give_up_after`` after it was queued, or at once
when the send says no retry can succeed (``Undeliverable``).
``python -m passordhjelp.admin notifications retry`` queues failed rows again.
A row may carry a key (at most one row per key, ever: the database's unique index
decides) and a group (of a group's pending rows only the oldest can be claimed).
A worker claims only rows it has a ``Route`` for: a row for a channel its process is not
configured with (a Teams card read by a process without the Teams settings) stays
pending, untouched, for a process that can deliver it.

The outbox knows nothing about what it carries: a row is a ``kind`` (what the
sender does with it), a ``target`` (where it goes) and a ``payload`` of strings.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Dict, List, Optional, Protocol, Sequence, Tuple

logger = logging.getLogger(__name__)


class DeliveryStatus(str, enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class OutboxEntry:
    """A message to queue: ``kind`` picks the sender, ``target`` says where it goes.

    ``key``, when set, makes queueing idempotent: the database keeps one row per key, so
    the same message queued twice (from two code paths, a retried call, two processes at
    once) is delivered once. Rows of one ``group`` are delivered one at a time, oldest
    first, by whichever worker: for messages that each change the same thing elsewhere.
    """

    kind: str
    target: str
    payload: Dict[str, str]
    key: Optional[str] = None
    group: Optional[str] = None


@dataclass(frozen=True)
class Route:
    """Rows a worker can deliver: of ``kind``, to ``target`` (None: to any target)."""

    kind: str
    target: Optional[str] = None

    def covers(self, kind: str, target: str) -> bool:
        return kind == self.kind and self.target in (None, target)


@dataclass(frozen=True)
class QueuedEntry:
    """A row of the outbox as a worker or an admin sees it."""

    id: int
    kind: str
    target: str
    payload: Dict[str, str]
    status: DeliveryStatus
    attempts: int
    last_error: Optional[str]
    created_at: datetime
    queued_at: datetime
    # When a worker first claimed the row before the claim that returned this entry (None:
    # never before): a send since then may have reached the other side unrecorded.
    claimed_before: Optional[datetime]


@dataclass(frozen=True)
class Claim:
    """A row a worker holds until ``lease_until``; only its holder records the result."""

    entry: QueuedEntry
    token: str


class Outbox(Protocol):
    """Storage of the outbox (see ``passordhjelp.repository.SqlOutbox``)."""

    def add(self, entries: Sequence[OutboxEntry], *, at: datetime) -> None: ...

    def claim(
        self, now: datetime, *, limit: int, lease: timedelta, routes: Sequence[Route]
    ) -> List[Claim]: ...

    def waiting(self, now: datetime, *, routes: Sequence[Route]) -> Dict[Tuple[str, str], int]:
        """Due pending rows that no route in ``routes`` covers, by (kind, target)."""

    def mark_sent(self, claim: Claim, *, at: datetime) -> bool: ...

    def mark_failed_attempt(
        self, claim: Claim, *, error: str, retry_at: Optional[datetime]
    ) -> bool: ...

    def by_status(self, status: DeliveryStatus) -> List[QueuedEntry]: ...

    def retry_failed(self, now: datetime, *, ids: Optional[Sequence[int]] = None) -> int: ...


class DeliveryError(RuntimeError):
    """A send did not succeed; the message (no secrets, no user text) is kept on the row."""


class Undeliverable(DeliveryError):
    """A send that can't succeed until someone changes something (the bot is not in the
    channel, the channel is archived): the row is marked failed at once, with the message,
    instead of being tried for a day; ``admin notifications retry`` queues it again."""


@dataclass(frozen=True)
class RetryPolicy:
    """When to try a row again: doubling waits up to ``max_delay``, given up after
    ``give_up_after`` in the queue."""

    first_delay: timedelta = timedelta(seconds=2)
    max_delay: timedelta = timedelta(hours=1)
    give_up_after: timedelta = timedelta(days=1)

    def next_attempt(self, entry: QueuedEntry, now: datetime) -> Optional[datetime]:
        """The next attempt after the row's ``entry.attempts + 1``-th failure, or None."""
        if now - entry.queued_at >= self.give_up_after:
            return None
        # Capped exponent: 2**40 seconds would overflow timedelta long before max_delay.
        delay = min(self.first_delay * 2 ** min(entry.attempts, 40), self.max_delay)
        return min(now + delay, entry.queued_at + self.give_up_after)


def deliver_due(
    outbox: Outbox,
    send: Callable[[QueuedEntry], None],
    *,
    policy: RetryPolicy,
    clock: Callable[[], datetime],
    lease: timedelta,
    routes: Sequence[Route],
    limit: int = 20,
) -> int:
    """Claim what is due and ``routes`` cover, send each row once; returns how many were sent.

    ``send`` raises ``DeliveryError`` when the other side did not take the message.
    Rows still unsent when half the lease has gone (slow sends) are left for the next
    claim: past its lease another worker may hold a row, and both would send it.
    """
    sent = 0
    claimed_at = clock()
    if not routes:
        return 0
    claims = outbox.claim(claimed_at, limit=limit, lease=lease, routes=routes)
    for index, claim in enumerate(claims):
        if clock() - claimed_at > lease / 2:
            logger.warning(
                "outbox: sends are slow; %d claimed rows left for a later round",
                len(claims) - index,
            )
            break
        entry = claim.entry
        try:
            send(entry)
        except DeliveryError as error:
            now = clock()
            retry_at = None if isinstance(error, Undeliverable) else policy.next_attempt(entry, now)
            logger.warning(
                "outbox row %s (%s) failed, attempt %d, %s: %s",
                entry.id,
                entry.kind,
                entry.attempts + 1,
                f"next at {retry_at:%H:%M:%S}" if retry_at else "given up",
                error,
            )
            outbox.mark_failed_attempt(claim, error=str(error)[:300], retry_at=retry_at)
            continue
        if outbox.mark_sent(claim, at=clock()):
            sent += 1
        else:
            logger.error("outbox row %s was sent after its lease ran out", entry.id)
    return sent
