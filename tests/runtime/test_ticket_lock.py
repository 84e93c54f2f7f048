"""The prompt ticket lock beside Rasa's own: same order and exclusion, a release that fails
doesn't fail the turn, a lock store that can't be read is a LockError."""

import asyncio

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockError

from runtime.ticket_lock import PromptInMemoryLockStore


async def queue_of_messages(store, count=8, **lock_options):
    """``count`` messages to one conversation at once; who held the lock, in what order."""
    held, order = [], []

    async def message(index):
        async with store.lock("c", **lock_options):
            held.append(index)
            assert len(held) == 1, "two holders at once"
            order.append(index)
            await asyncio.sleep(0.005)
            held.remove(index)

    await asyncio.gather(*(message(i) for i in range(count)))
    return order


async def test_ticket_lock_serves_in_the_order_rasas_lock_does():
    # Rasa's own lock, with a short wait so that the test is quick; the order is the point.
    rasas = await queue_of_messages(InMemoryLockStore(), wait_time_in_seconds=0.01)
    ours = await queue_of_messages(PromptInMemoryLockStore())

    assert ours == rasas == list(range(8))


class FailingRelease(PromptInMemoryLockStore):
    def cleanup(self, conversation_id, ticket_number):
        raise ConnectionError("lock store restarting")


class RasasWithFailingRelease(InMemoryLockStore):
    def cleanup(self, conversation_id, ticket_number):
        raise ConnectionError("lock store restarting")


async def test_ticket_lock_failed_release_does_not_fail_the_finished_turn(caplog):
    with pytest.raises(ConnectionError):            # Rasa's: the done turn becomes an error
        async with RasasWithFailingRelease().lock("c"):
            pass

    done = False
    async with FailingRelease().lock("c"):
        done = True
    assert done and "could not release lock ticket 0 (ConnectionError)" in caplog.text


class UnreadableWhileWaiting(PromptInMemoryLockStore):
    """The store goes down between taking the ticket and looking at the lock."""

    down = False

    def issue_ticket(self, conversation_id, lock_lifetime=60):
        ticket = super().issue_ticket(conversation_id, lock_lifetime)
        self.down = True
        return ticket

    def get_lock(self, conversation_id):
        if self.down:
            raise ConnectionError("lock store down")
        return super().get_lock(conversation_id)


async def test_ticket_lock_unreadable_store_is_a_lock_error():
    with pytest.raises(LockError, match="Could not read the lock: ConnectionError"):
        async with UnreadableWhileWaiting().lock("c"):
            pass
