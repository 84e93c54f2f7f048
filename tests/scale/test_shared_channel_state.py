"""The channels' state shared by two Rasa servers through a real Redis (CHANNEL_STATE_URL):
Slack and Teams deliveries handled once, web chat replies replayed by either server, both
bounded and expiring, what each does while Redis doesn't answer, and Redis used again once
it answers."""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import uuid

import pytest

from channels.common import SharedRecentKeys
from channels.recent_replies import SharedRecentReplies
from channels.shared_state import RETRY_SECONDS, SharedRedis
from channels.slack import GuardedSlackInput
from faults.servers import RedisServer
from tests.channels.test_channel_units import slack_request
from tests.conftest import require_service
from tests.scale.test_two_instances import REDIS_URL, redis_client


@pytest.fixture
def closed_port_url() -> str:
    """A Redis URL nothing listens at: a port that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def keys(prefix: str):
    return sorted(k.decode() for k in redis_client().scan_iter(match=f"{prefix}:*"))


# -- Slack and Teams deliveries ------------------------------------------------------------

async def test_shared_recent_keys_a_delivery_is_handled_by_one_server_only(prefix):
    one, two = (SharedRecentKeys(REDIS_URL, namespace="slack-events", ttl=60, prefix=prefix)
                for _ in range(2))
    assert await one.add("T1:D1:1.1")
    assert not await two.add("T1:D1:1.1")   # the retry reached the other server
    assert not await one.add("T1:D1:1.1")

    # Not handled on the other server (try again): the next delivery is, anywhere.
    await two.discard("T1:D1:1.1")
    assert await one.add("T1:D1:1.1")

    # Namespaced, and Redis forgets each key by itself.
    other = SharedRecentKeys(REDIS_URL, namespace="teams-activities", ttl=60, prefix=prefix)
    assert await other.add("T1:D1:1.1")
    assert keys(prefix) == [f"{prefix}:slack-events:T1:D1:1.1",
                            f"{prefix}:teams-activities:T1:D1:1.1"]
    assert all(0 < redis_client().pttl(key) <= 60_000 for key in keys(prefix))


async def test_shared_recent_keys_on_two_servers_at_once_one_wins(prefix):
    servers = [SharedRecentKeys(REDIS_URL, namespace="slack-events", ttl=60, prefix=prefix)
               for _ in range(2)]
    # Each connects first, one at a time: the race is between the servers, not their
    # connects (twenty connects at once outlasted the 0.5 s timeout on a busy machine).
    for n, server in enumerate(servers):
        assert await server.add(f"T1:D1:warm.{n}")
    for n in range(10):
        firsts = await asyncio.gather(*(server.add(f"T1:D1:2.{n}") for server in servers))
        assert sorted(firsts) == [False, True]


async def test_shared_recent_keys_expire(prefix):
    one, two = (SharedRecentKeys(REDIS_URL, namespace="slack-events", ttl=0.2, prefix=prefix)
                for _ in range(2))
    assert await one.add("k") and not await two.add("k")
    await asyncio.sleep(0.3)
    assert await two.add("k")


async def test_shared_recent_keys_fall_back_to_this_process_while_redis_is_away(
        closed_port_url, caplog):
    keys_here = SharedRecentKeys(closed_port_url, namespace="slack-events", ttl=60)
    with caplog.at_level(logging.WARNING, logger="channels.shared_state"):
        assert await keys_here.add("k")
        assert not await keys_here.add("k")   # this server still recognises its own
        await keys_here.discard("k")
        assert await keys_here.add("k")
    [line] = caplog.records   # once per outage, not once per message
    assert line.levelno == logging.ERROR
    assert "CHANNEL_STATE_URL does not answer" in line.getMessage()
    assert "slack-events" in line.getMessage()


async def test_slack_retry_reaching_another_server_is_not_answered_again(prefix):
    # The channels' own keys: the default prefix, a delivery of this test's own.
    one, two = (GuardedSlackInput("xoxb-1-2-abc", "a" * 32, channel_state_url=REDIS_URL)
                for _ in range(2))
    received = []

    async def on_new_message(message):
        received.append(message)

    request, parsed = slack_request(retry=False)
    ts = f"{uuid.uuid4().int % 10**9}.000100"
    parsed["body"]["event"]["ts"] = ts
    try:
        first = await one.process_message(request, on_new_message, "", None, parsed)
        retry, _ = slack_request(retry=True)
        again = await two.process_message(retry, on_new_message, "", None, parsed)
        for task in list(one._background_tasks):
            await task
    finally:
        redis_client().delete(f"passordhjelp-seen:slack-events:D0KARI:{ts}")

    assert first.status == again.status == 200
    assert again.headers.get("X-Slack-No-Retry") == "1"
    assert [m.message_id for m in received] == [f"D0KARI:{ts}"]


# -- web chat replies ----------------------------------------------------------------------

def replies(prefix: str, **kwargs) -> SharedRecentReplies:
    return SharedRecentReplies(REDIS_URL, prefix=prefix, **kwargs)


async def test_shared_recent_replies_either_server_replays_and_ids_grow_across_them(prefix):
    # The second server's clock is ten seconds behind: its ids still come after.
    one = replies(prefix, clock=Clock(1_790_000_000.0))
    two = replies(prefix, clock=Clock(1_789_999_990.0))
    first = await one.add("kari", {"text": "Hello"})
    second = await two.add("kari", {"text": "Shall I ask your admins?", "quick_replies": []})
    third = await one.add("kari", {"text": "Your reference is PH-1"})
    await two.add("ola", {"text": "Hei"})

    assert third["id"] > second["id"] > first["id"] >= 1_790_000_000 * 1_000_000
    assert second == {"text": "Shall I ask your admins?", "quick_replies": [], "id": second["id"]}
    assert await two.since("kari", 0) == [first, second, third]
    assert await one.since("kari", first["id"]) == [second, third]
    assert await one.since("kari", third["id"]) == []
    assert await one.since("nobody", 0) == []


async def test_shared_recent_replies_are_bounded_and_expire_in_redis(prefix):
    recent = replies(prefix, per_conversation=3, lifetime_seconds=0.5, conversations=2)
    for n in range(5):
        await recent.add("kari", {"text": str(n)})
    assert [m["text"] for m in await recent.since("kari", 0)] == ["2", "3", "4"]
    assert all(0 < redis_client().pttl(key) <= 500 for key in keys(prefix))

    await recent.add("a", {"text": "a"})
    await recent.add("b", {"text": "b"})   # the least recently active conversation goes
    assert await recent.since("kari", 0) == [] and len(await recent.since("b", 0)) == 1
    assert not [key for key in keys(prefix) if key.endswith(":kari")]

    await asyncio.sleep(0.6)
    assert await recent.since("b", 0) == []
    assert keys(prefix) == []   # Redis forgets them by itself


async def test_shared_recent_replies_a_page_message_is_handled_once_by_either_server(prefix):
    one, two = replies(prefix, per_conversation=2), replies(prefix, per_conversation=2)
    assert await one.first_time("kari", "m1")
    assert not await two.first_time("kari", "m1")   # sent again, to the other server
    assert await two.kept("kari", "m1") is None      # still being handled
    answer = {"id": "m1", "text": "my password is [secret removed]", "failed": False}
    await one.keep("kari", "m1", answer)
    assert await two.kept("kari", "m1") == answer
    assert await two.first_time("ola", "m1")         # ids are the page's own, per conversation

    # Not handled (try again): the next time it is, on either server.
    assert await one.first_time("kari", "m2")
    await one.forget("kari", "m2")
    assert await two.first_time("kari", "m2")

    # The last two per conversation: m1 was the oldest.
    assert await one.first_time("kari", "m3")
    assert await two.first_time("kari", "m1")
    await one.keep("kari", "gone", answer)           # unknown: not kept
    assert await two.kept("kari", "gone") is None


async def test_shared_recent_replies_serve_without_replay_while_redis_is_away(
        closed_port_url, caplog):
    recent = SharedRecentReplies(closed_port_url)
    with caplog.at_level(logging.WARNING, logger="channels.shared_state"):
        first = await recent.add("kari", {"text": "Hello"})
        second = await recent.add("kari", {"text": "Shall I ask your admins?"})
        assert second == {"text": "Shall I ask your admins?", "id": second["id"]}
        assert second["id"] > first["id"]
        assert await recent.since("kari", 0) == []   # no replay
        assert await recent.first_time("kari", "m1") and await recent.first_time("kari", "m1")
        await recent.keep("kari", "m1", {"id": "m1", "text": "", "failed": False})
        assert await recent.kept("kari", "m1") is None
        await recent.forget("kari", "m1")
    [line] = caplog.records
    assert line.levelno == logging.ERROR
    assert "web chat replies" in line.getMessage() and "gets none it missed" in line.getMessage()


# -- Redis away, then back -----------------------------------------------------------------

async def test_shared_redis_is_not_asked_for_a_while_after_it_failed_then_again(caplog):
    require_service(shutil.which("redis-server") is not None, "redis-server")
    server, clock = RedisServer(), Clock(0.0)
    shared = SharedRedis(f"redis://127.0.0.1:{server.port}/0", what="the test's state",
                         meanwhile="nothing is kept", clock=clock)

    def ping(client):
        return client.ping()

    try:
        assert await shared.run(ping, otherwise=False)
        server.stop()
        with caplog.at_level(logging.WARNING, logger="channels.shared_state"):
            assert not await shared.run(ping, otherwise=False)
            server.start()
            clock.now += RETRY_SECONDS - 0.1
            assert not await shared.run(ping, otherwise=False)   # not asked yet
            clock.now += 0.2
            assert await shared.run(ping, otherwise=False)
            assert await shared.run(ping, otherwise=False)
    finally:
        server.stop()
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.ERROR, "the test's state: the Redis of CHANNEL_STATE_URL does not answer "
                        "(ConnectionError); nothing is kept until it does"),
        (logging.WARNING, "the test's state: the Redis of CHANNEL_STATE_URL answers again")]
