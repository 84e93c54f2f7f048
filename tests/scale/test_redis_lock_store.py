"""The atomic Redis lock store against a real Redis: unique tickets, one holder at a time."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa.core.lock_store import LockError

from runtime.redis_lock_store import AtomicRedisLockStore
from tests.scale.test_two_instances import redis_client


def store(prefix: str, kind=AtomicRedisLockStore) -> AtomicRedisLockStore:
    """One Rasa server's lock store."""
    kwargs = redis_client().connection_pool.connection_kwargs
    return kind(host=kwargs.get("host", "localhost"),
                                port=kwargs.get("port", 6379), db=kwargs.get("db", 0),
                                password=kwargs.get("password"), key_prefix=prefix)


def keys(prefix: str):
    return list(redis_client().scan_iter(match=f"{prefix}:*"))


def test_rasa_redis_lock_store_can_issue_one_ticket_twice(prefix):
    """Why the atomic store exists: Rasa's read-modify-write, interleaved by two servers."""
    from rasa.core.lock_store import RedisLockStore

    kwargs = redis_client().connection_pool.connection_kwargs
    one, two = (RedisLockStore(host=kwargs.get("host", "localhost"),
                               port=kwargs.get("port", 6379), db=kwargs.get("db", 0),
                               key_prefix=prefix) for _ in range(2))
    lock_one, lock_two = one.get_or_create_lock("c"), two.get_or_create_lock("c")
    first = lock_one.issue_ticket(60)
    one.save_lock(lock_one)
    second = lock_two.issue_ticket(60)
    two.save_lock(lock_two)
    assert first == second


def test_tickets_from_two_servers_are_unique_and_in_order(prefix):
    servers = [store(prefix), store(prefix)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        tickets = list(pool.map(lambda i: servers[i % 2].issue_ticket("c", 60), range(50)))
    assert sorted(tickets) == list(range(1, 51))
    lock = servers[0].get_lock("c")
    assert [t.number for t in lock.tickets] == list(range(1, 51))
    assert lock.now_serving == 1


async def test_one_holder_at_a_time_across_two_servers_and_nothing_left(prefix):
    servers = [store(prefix), store(prefix)]
    holders, most, done = 0, 0, []

    async def handle(number: int) -> None:
        nonlocal holders, most
        async with servers[number % 2].lock("c", wait_time_in_seconds=0.01):
            holders += 1
            most = max(most, holders)
            await asyncio.sleep(0.005)
            holders -= 1
            done.append(number)

    await asyncio.gather(*(handle(i) for i in range(20)))
    assert most == 1
    assert sorted(done) == list(range(20))
    assert keys(prefix) == []


async def test_an_expired_ticket_does_not_block_the_conversation(prefix):
    server = store(prefix)
    server.issue_ticket("c", lock_lifetime=0.05)   # a server that died holding the lock
    await asyncio.sleep(0.1)
    async with server.lock("c", wait_time_in_seconds=0.01) as lock:
        assert lock.now_serving == 2
    assert keys(prefix) == []


def test_built_from_the_endpoints_section(prefix):
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    kwargs = redis_client().connection_pool.connection_kwargs
    config = EndpointConfig(url=kwargs.get("host", "localhost"),
                            type="runtime.redis_lock_store.AtomicRedisLockStore",
                            port=str(kwargs.get("port", 6379)), db=str(kwargs.get("db", 0)),
                            key_prefix=prefix, password="")
    created = LockStore.create(config)
    assert isinstance(created, AtomicRedisLockStore)
    assert created.key_prefix == f"{prefix}:lock:"
    assert created.issue_ticket("c") == 1
    created.cleanup("c", 1)
    assert keys(prefix) == []


def redis_commands(server: AtomicRedisLockStore) -> list:
    """Records the commands the store sends (scripts by their first key), on either client:
    ("sync", name) on redis-py's blocking one, ("aio", name) on the event loop's."""
    sent = []
    execute, execute_async = server.red.execute_command, server.aio.execute_command

    def recording(*args, **options):
        sent.append(("sync", args[0]))
        return execute(*args, **options)

    async def recording_async(*args, **options):
        sent.append(("aio", args[0]))
        return await execute_async(*args, **options)

    server.red.execute_command = recording
    server.aio.execute_command = recording_async
    return sent


async def test_an_uncontended_turn_is_two_redis_calls_on_the_event_loop(prefix, monkeypatch):
    server = store(prefix)
    sent = redis_commands(server)

    def no_thread_hops(*_args, **_kwargs):
        raise AssertionError("a lock store call went to a worker thread")

    monkeypatch.setattr(asyncio, "to_thread", no_thread_hops)
    async with server.lock("c") as lock:
        assert lock.now_serving == 1 and not lock.is_locked(1)
    # Take and look, then release; both scripts on the redis.asyncio client.
    assert sent == [("aio", "EVALSHA"), ("aio", "EVALSHA")]
    assert keys(prefix) == []


async def test_a_wait_looks_on_the_event_loop(prefix):
    ahead, behind = store(prefix), store(prefix)
    first = ahead.issue_ticket("c", 60)
    sent = redis_commands(behind)

    async def release_soon():
        await asyncio.sleep(0.03)
        ahead.cleanup("c", first)

    releasing = asyncio.ensure_future(release_soon())
    async with behind.lock("c"):
        assert releasing.done()
    assert {client for client, _name in sent} == {"aio"}
    assert sent[0] == ("aio", "EVALSHA") and sent[-1] == ("aio", "EVALSHA")
    assert ("aio", "ZRANGE") in sent               # the looks while waiting
    assert keys(prefix) == []


def test_the_event_loop_client_has_the_endpoint_settings(prefix):
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    kwargs = redis_client().connection_pool.connection_kwargs
    config = EndpointConfig(url=kwargs.get("host", "localhost"),
                            type="runtime.redis_lock_store.AtomicRedisLockStore",
                            port=str(kwargs.get("port", 6379)), db="3", username="bot",
                            password="secret", key_prefix=prefix, socket_timeout=2.5,
                            use_ssl=True, ssl_ca_certs="/tmp/ca.pem")
    created = LockStore.create(config)
    sync = created.red.connection_pool.connection_kwargs
    aio = created.aio.connection_pool.connection_kwargs
    for key in ("host", "port", "db", "username", "password", "socket_timeout",
                "ssl_ca_certs"):
        assert aio[key] == sync[key], key
    assert (aio["db"], aio["username"], aio["socket_timeout"]) == (3, "bot", 2.5)
    assert created.aio.connection_pool.connection_class.__name__ == "SSLConnection"


async def test_the_first_look_sees_a_ticket_ahead_and_waits_for_it(prefix):
    ahead, behind = store(prefix), store(prefix)
    first = ahead.issue_ticket("c", 60)
    number, lock = behind.issue_ticket_and_look("c", 60)
    assert (number, [t.number for t in lock.tickets]) == (first + 1, [first, first + 1])
    assert lock.is_locked(number)
    behind.cleanup("c", number)

    async def release_soon():
        await asyncio.sleep(0.05)
        ahead.cleanup("c", first)

    releasing = asyncio.ensure_future(release_soon())
    async with behind.lock("c") as lock:
        assert releasing.done() and lock.now_serving == first + 2
    assert keys(prefix) == []


class UnreadableWhileWaiting(AtomicRedisLockStore):
    """Redis goes away after the first look showed a ticket ahead."""

    def get_lock(self, conversation_id):
        raise ConnectionError("lock store down")

    async def _read_lock(self, conversation_id):
        raise ConnectionError("lock store down")


async def test_a_store_unreadable_while_waiting_is_a_lock_error(prefix):
    ahead = store(prefix)
    ahead.issue_ticket("c", 60)
    waiting = store(prefix, UnreadableWhileWaiting)
    with pytest.raises(LockError, match="Could not read the lock: ConnectionError"):
        async with waiting.lock("c"):
            pass
    ahead.cleanup("c", 1)
    assert keys(prefix) == []
