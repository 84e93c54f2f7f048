"""Rasa's ticket lock, waited for in milliseconds, and released without failing a done turn.

Rasa 3.6's ``LockStore.lock`` takes a ticket, then polls until the ticket is
served, sleeping ``wait_time_in_seconds`` (1 s; no caller passes another value)
between looks: a message queued behind one that takes 50 ms waits a whole
second, so twenty messages to one conversation took 19 s. And it releases the
ticket in a ``finally``: when the release fails (Redis restarted just then),
the error replaces the finished turn's answer (HTTP 503 for a request that was
filed).

``PromptTicketWait.lock`` is the same algorithm (take a ticket; look at the
lock; no lock left means it expired: ``LockError``; the ticket served means
go; otherwise wait and look again; release in a ``finally``) with two changes:
the wait starts at 1 ms and doubles up to 20 ms, so a waiter starts within
milliseconds of its turn; and a release that fails is logged, not raised: the
ticket expires by its lifetime (``TICKET_LOCK_LIFETIME``, 60 s) and the
conversation's next message takes the ticket after it. A lock store that
cannot be read while waiting raises ``LockError``, as Rasa's own stores do
for a failed ticket, so the channel can ask for the message again.
``tests/runtime/test_ticket_lock.py`` runs Rasa's lock and this one side by side.

endpoints.yml, one Rasa process (the Redis store, ``runtime.redis_lock_store``,
is the one for several)::

    lock_store:
      type: runtime.ticket_lock.PromptInMemoryLockStore
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, AsyncGenerator, Callable, Optional, Text, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)
T = TypeVar("T")

FIRST_WAIT_SECONDS = 0.001
LONGEST_WAIT_SECONDS = 0.02


if TYPE_CHECKING:
    # For the type checker, the mixin is the LockStore it is mixed into.
    from rasa.core.lock_store import LockStore as _MixedInto
else:
    _MixedInto = object


class PromptTicketWait(_MixedInto):
    """Mixin for a Rasa ``LockStore``: ``lock`` waits in milliseconds, release never raises."""

    # A store on another server (Redis) is called from a worker thread: its client waits
    # for every answer, and on the event loop that wait served no other conversation.
    blocking_io = False

    async def _io(self, call: Callable[..., T], *args: Any) -> T:
        if self.blocking_io:
            return await asyncio.to_thread(call, *args)
        return call(*args)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: Optional[float] = None,
    ) -> AsyncGenerator[TicketLock, None]:
        """Rasa's ``LockStore.lock``; ``wait_time_in_seconds``, when given, caps the wait."""
        ticket, first_look = await self._take_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._acquire_promptly(
                conversation_id, ticket, first_look, wait_time_in_seconds or LONGEST_WAIT_SECONDS
            )
        finally:
            try:
                await self._release_ticket(conversation_id, ticket)
            except Exception as error:  # noqa: BLE001 - the turn is done either way
                logger.warning(
                    "could not release lock ticket %s (%s); it expires by its lifetime",
                    ticket,
                    type(error).__name__,
                )

    def issue_ticket_and_look(
        self, conversation_id: Text, lock_lifetime: float
    ) -> Tuple[int, Optional[TicketLock]]:
        """A new ticket, and the lock as it stood right after, when the store can say so
        in the same call (``None``: not looked at yet)."""
        return self.issue_ticket(conversation_id, lock_lifetime), None

    # What ``lock`` asks of the store, awaited. By default the store's own (synchronous)
    # methods, through ``_io``; a store with a client that runs on the event loop (the
    # Redis store's ``redis.asyncio``) overrides them and makes no thread hop.

    async def _take_ticket(
        self, conversation_id: Text, lock_lifetime: float
    ) -> Tuple[int, Optional[TicketLock]]:
        return await self._io(self.issue_ticket_and_look, conversation_id, lock_lifetime)

    async def _read_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        return await self._io(self.get_lock, conversation_id)

    async def _refresh_lock(self, conversation_id: Text) -> None:
        await self._io(self.update_lock, conversation_id)

    async def _release_ticket(self, conversation_id: Text, ticket: int) -> None:
        await self._io(self.cleanup, conversation_id, ticket)

    async def _acquire_promptly(
        self,
        conversation_id: Text,
        ticket: int,
        first_look: Optional[TicketLock],
        longest_wait: float,
    ) -> TicketLock:
        wait = min(FIRST_WAIT_SECONDS, longest_wait)
        lock = first_look if first_look is not None else await self._look(conversation_id)
        while True:
            if not lock:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait)
            wait = min(wait * 2, longest_wait)
            await self._refresh_lock(conversation_id)
            lock = await self._look(conversation_id)

    async def _look(self, conversation_id: Text) -> Optional[TicketLock]:
        try:
            return await self._read_lock(conversation_id)
        except LockError:
            raise
        except Exception as error:  # Rasa's contract: LockError
            raise LockError(f"Could not read the lock: {type(error).__name__}") from error


class PromptInMemoryLockStore(PromptTicketWait, InMemoryLockStore):
    """Rasa's in-memory lock store (one process) with the prompt wait."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        """Built by Rasa from the ``lock_store`` section (which has no other keys)."""
        super().__init__()
