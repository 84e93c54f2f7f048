"""A Redis lock store that stays correct when several Rasa servers share conversations.

Rasa 3.6's ``RedisLockStore`` keeps each conversation's ticket queue as one JSON
value and changes it by read-modify-write (GET, change, SET). When two Rasa
servers take a ticket for the same conversation at the same moment, both can get
the same ticket number, or one can overwrite the other's ticket: both servers then
handle a message of that conversation at once (tracker events lost or doubled), or
one finds its ticket gone and answers "Could not acquire lock" (HTTP 503).
tests/scale/test_two_instances.py shows it with 20 simultaneous messages to one
conversation spread over two servers. (Rasa Pro's ConcurrentRedisLockStore exists
for this reason; it is not part of Rasa Open Source.)

This store keeps Rasa's ticket-lock algorithm (``LockStore.lock``: take a ticket,
wait until it is served, release it) but keeps a conversation's tickets in a Redis
sorted set that is only changed atomically: ticket numbers come from INCR inside a
Lua script that also queues the ticket, and releasing a ticket and deleting an
empty lock is one script too (Redis runs each script without interleaving).
The script that issues a ticket also returns the queue as it stands, so an
uncontended turn makes two calls to Redis (take and look, release), not three.
Waiting for a ticket and releasing it are ``runtime.ticket_lock.PromptTicketWait``'s:
milliseconds between looks instead of a second, and a release that fails after
the turn (Redis restarting) is logged, not turned into an error.

A turn's calls (take and look, the looks while waiting, release) go through a
``redis.asyncio`` client on the event loop, made with the same settings as Rasa's
synchronous one (host, port, db, credentials, SSL, socket timeout): redis-py's
synchronous client waits for each answer, so it ran in a worker thread, two thread
hops a turn (bench/README.md, session 12). The synchronous client (``self.red``,
Rasa's) still serves the store's synchronous methods (``issue_ticket``,
``get_lock``, ``cleanup``, ...), which Rasa's own ``LockStore`` API offers.

endpoints.yml (same keys as Rasa's redis lock store)::

    lock_store:
      type: runtime.redis_lock_store.AtomicRedisLockStore
      url: localhost
      port: 6379
      db: 1
      key_prefix: passordhjelp
      password: ""
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any, List, Optional, Text, Tuple

from rasa.core.lock import Ticket, TicketLock
import redis.asyncio
from rasa.core.lock_store import (
    DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    LOCK_LIFETIME,
    LockError,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig

from runtime.ticket_lock import PromptTicketWait

logger = logging.getLogger(__name__)

# Keys stay a little longer than their newest ticket, so a crashed server's
# tickets disappear on their own.
KEY_GRACE_MS = 5_000

# KEYS: last-issued counter, ticket set. ARGV: ticket lifetime (s), now (s), key TTL (ms).
# A ticket is a sorted-set member "<number>:<expiry>" scored by its number. Returns the
# new number followed by the set's members: the first look at the queue, in the same call.
_ISSUE = """
local number = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], number, number .. ':' .. (tonumber(ARGV[2]) + tonumber(ARGV[1])))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
local answer = redis.call('ZRANGE', KEYS[2], 0, -1)
table.insert(answer, 1, number)
return answer
"""

# KEYS: last-issued counter, ticket set. ARGV: ticket number to release, now (s).
# Releases the ticket, drops expired ones, deletes the lock when nobody waits.
_RELEASE = """
redis.call('ZREMRANGEBYSCORE', KEYS[2], ARGV[1], ARGV[1])
local now = tonumber(ARGV[2])
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local expires = tonumber(string.match(member, ':(.+)$'))
  if expires == nil or expires < now then
    redis.call('ZREM', KEYS[2], member)
  end
end
local waiting = redis.call('ZCARD', KEYS[2])
if waiting == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
end
return waiting
"""


class AtomicRedisLockStore(PromptTicketWait, RedisLockStore):
    """Rasa's ticket lock on Redis, with every change of a conversation's tickets atomic."""

    # The synchronous methods (Rasa's LockStore API) use redis-py's blocking client: off
    # the event loop when ``PromptTicketWait`` calls them. ``lock`` uses ``self.aio``.
    blocking_io = True

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs) -> None:
        """Built by Rasa from the ``lock_store`` section of the endpoints file.

        Accepts the keys of Rasa's redis lock store: url (the host), port, db,
        username, password, use_ssl, ssl_certfile, ssl_keyfile, ssl_ca_certs,
        key_prefix, socket_timeout.
        """
        if endpoint_config is not None:
            kwargs = {**endpoint_config.kwargs, **kwargs}
            kwargs.setdefault("host", endpoint_config.url or "localhost")
        super().__init__(**kwargs)
        self._issue = self.red.register_script(_ISSUE)
        self._release = self.red.register_script(_RELEASE)
        # Connections are made on first use, on the event loop of the Sanic worker that
        # serves the turn (each forked worker makes its own).
        self.aio = _async_client(**kwargs)
        self._aio_issue = self.aio.register_script(_ISSUE)
        self._aio_release = self.aio.register_script(_RELEASE)

    def _keys(self, conversation_id: Text) -> List[Text]:
        base = f"{self.key_prefix}{conversation_id}"
        return [f"{base}:last_issued", f"{base}:tickets"]

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self.issue_ticket_and_look(conversation_id, lock_lifetime)[0]

    def issue_ticket_and_look(
        self, conversation_id: Text, lock_lifetime: float
    ) -> Tuple[int, Optional[TicketLock]]:
        """One script: a turn's ticket and the first look at the queue (was two calls)."""
        try:
            ttl_ms = int(lock_lifetime * 1000) + KEY_GRACE_MS
            number, *members = self._issue(
                keys=self._keys(conversation_id), args=[lock_lifetime, time.time(), ttl_ms]
            )
        except Exception as error:  # Rasa's contract: LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return int(number), self._lock_of(conversation_id, members)

    async def _take_ticket(
        self, conversation_id: Text, lock_lifetime: float
    ) -> Tuple[int, Optional[TicketLock]]:
        """``issue_ticket_and_look`` on the event loop."""
        try:
            ttl_ms = int(lock_lifetime * 1000) + KEY_GRACE_MS
            number, *members = await self._aio_issue(
                keys=self._keys(conversation_id), args=[lock_lifetime, time.time(), ttl_ms]
            )
        except Exception as error:  # Rasa's contract: LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return int(number), self._lock_of(conversation_id, members)

    async def _read_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        """``get_lock`` on the event loop."""
        return self._lock_of(
            conversation_id, await self.aio.zrange(self._keys(conversation_id)[1], 0, -1)
        )

    async def _refresh_lock(self, conversation_id: Text) -> None:
        """``update_lock`` (nothing to do) without a thread hop."""

    async def _release_ticket(self, conversation_id: Text, ticket: int) -> None:
        """``cleanup`` on the event loop."""
        waiting = await self._aio_release(
            keys=self._keys(conversation_id), args=[ticket, time.time()]
        )
        if not waiting:
            self._log_deletion(conversation_id, deletion_successful=True)

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        """The conversation's unexpired tickets in number order; None when there are none."""
        return self._lock_of(
            conversation_id, self.red.zrange(self._keys(conversation_id)[1], 0, -1)
        )

    @staticmethod
    def _lock_of(conversation_id: Text, members: List[bytes]) -> Optional[TicketLock]:
        tickets = []
        for member in members:
            number, _, expires = member.decode().partition(":")
            ticket = Ticket(int(number), float(expires))
            if not ticket.has_expired():
                tickets.append(ticket)
        if not tickets:
            return None
        tickets.sort(key=lambda t: t.number)
        return TicketLock(conversation_id, deque(tickets))

    def update_lock(self, conversation_id: Text) -> None:
        """Expired tickets are skipped by ``get_lock`` and removed on release."""

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self.red.zremrangebyscore(self._keys(conversation_id)[1], ticket_number, ticket_number)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        waiting = self._release(keys=self._keys(conversation_id), args=[ticket_number, time.time()])
        if not waiting:
            self._log_deletion(conversation_id, deletion_successful=True)

    def save_lock(self, lock: TicketLock) -> None:
        """Replace the conversation's tickets with ``lock``'s (not used by the ticket flow)."""
        counter, tickets = self._keys(lock.conversation_id)
        with self.red.pipeline(transaction=True) as pipe:
            pipe.delete(tickets)
            if lock.tickets:
                pipe.zadd(tickets, {f"{t.number}:{t.expires}": t.number for t in lock.tickets})
                pipe.set(counter, max(t.number for t in lock.tickets))
            pipe.execute()

    def delete_lock(self, conversation_id: Text) -> None:
        deleted = self.red.delete(*self._keys(conversation_id))
        self._log_deletion(conversation_id, deletion_successful=bool(deleted))


def _async_client(
    host: Text = "localhost",
    port: int = 6379,
    db: int = 1,
    username: Optional[Text] = None,
    password: Optional[Text] = None,
    use_ssl: bool = False,
    ssl_certfile: Optional[Text] = None,
    ssl_keyfile: Optional[Text] = None,
    ssl_ca_certs: Optional[Text] = None,
    socket_timeout: float = DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    **_others: Any,
) -> redis.asyncio.Redis:
    """A ``redis.asyncio`` client with the settings ``RedisLockStore.__init__`` gives its
    synchronous one (same keys, same defaults; ``key_prefix`` is the store's)."""
    return redis.asyncio.Redis(
        host=host,
        port=int(port),
        db=int(db),
        username=username,
        password=password,
        ssl=use_ssl,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        ssl_ca_certs=ssl_ca_certs,
        socket_timeout=socket_timeout,
    )
