"""The web chat's recent replies: numbered, replayed after an id, bounded and expiring."""

from __future__ import annotations

from channels.recent_replies import RecentReplies


class Clock:
    def __init__(self) -> None:
        self.now = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_recent_replies_numbers_messages_and_replays_what_came_after_an_id():
    clock = Clock()
    recent = RecentReplies(clock=clock)
    first = await recent.add("kari", {"text": "Hello"})
    # The same microsecond: still a larger id.
    second = await recent.add("kari", {"text": "Shall I ask your admins?", "quick_replies": []})
    await recent.add("ola", {"text": "Hei"})

    assert second["id"] > first["id"] >= int(clock.now * 1_000_000)
    assert second == {"text": "Shall I ask your admins?", "quick_replies": [], "id": second["id"]}
    assert await recent.since("kari", 0) == [first, second]
    assert await recent.since("kari", first["id"]) == [second]
    assert await recent.since("kari", second["id"]) == []
    assert await recent.since("nobody", 0) == []


async def test_recent_replies_ids_grow_over_a_restart():
    clock = Clock()
    before = await RecentReplies(clock=clock).add("kari", {"text": "one"})
    clock.now += 0.5
    after = await RecentReplies(clock=clock).add("kari", {"text": "two"})
    assert after["id"] > before["id"]


async def test_recent_replies_are_bounded_and_expire():
    clock = Clock()
    recent = RecentReplies(per_conversation=3, lifetime_seconds=60, conversations=2, clock=clock)
    for n in range(5):
        await recent.add("kari", {"text": str(n)})
    assert [m["text"] for m in await recent.since("kari", 0)] == ["2", "3", "4"]

    clock.now += 61
    assert await recent.since("kari", 0) == []

    await recent.add("a", {"text": "a"})
    await recent.add("b", {"text": "b"})
    await recent.add("c", {"text": "c"})  # the least recently active conversation goes
    assert await recent.since("a", 0) == [] and len(await recent.since("c", 0)) == 1


async def test_recent_replies_a_page_message_is_handled_once():
    recent = RecentReplies(clock=Clock())
    assert await recent.first_time("kari", "m1")
    assert not await recent.first_time("kari", "m1")
    assert await recent.kept("kari", "m1") is None  # still being handled
    answer = {"id": "m1", "text": "my password is [secret removed]", "failed": False}
    await recent.keep("kari", "m1", answer)
    assert await recent.kept("kari", "m1") == answer
    assert await recent.first_time("ola", "m1")  # ids are the page's own, per conversation

    # Not handled (try again): the next time it is.
    assert await recent.first_time("kari", "m2")
    await recent.forget("kari", "m2")
    assert await recent.first_time("kari", "m2")
