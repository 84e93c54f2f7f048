"""The web chat's recent replies: numbered, replayed after an id, bounded and expiring."""

from __future__ import annotations

from channels.recent_replies import RecentReplies


class Clock:
    def __init__(self) -> None:
        self.now = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now


def test_recent_replies_numbers_messages_and_replays_what_came_after_an_id():
    clock = Clock()
    recent = RecentReplies(clock=clock)
    first = recent.add("kari", {"text": "Hello"})
    # The same microsecond: still a larger id.
    second = recent.add("kari", {"text": "Shall I ask your admins?", "quick_replies": []})
    recent.add("ola", {"text": "Hei"})

    assert second["id"] > first["id"] >= int(clock.now * 1_000_000)
    assert second == {"text": "Shall I ask your admins?", "quick_replies": [], "id": second["id"]}
    assert recent.since("kari", 0) == [first, second]
    assert recent.since("kari", first["id"]) == [second]
    assert recent.since("kari", second["id"]) == []
    assert recent.since("nobody", 0) == []


def test_recent_replies_ids_grow_over_a_restart():
    clock = Clock()
    before = RecentReplies(clock=clock).add("kari", {"text": "one"})
    clock.now += 0.5
    after = RecentReplies(clock=clock).add("kari", {"text": "two"})
    assert after["id"] > before["id"]


def test_recent_replies_are_bounded_and_expire():
    clock = Clock()
    recent = RecentReplies(per_conversation=3, lifetime_seconds=60, conversations=2, clock=clock)
    for n in range(5):
        recent.add("kari", {"text": str(n)})
    assert [m["text"] for m in recent.since("kari", 0)] == ["2", "3", "4"]

    clock.now += 61
    assert recent.since("kari", 0) == []

    recent.add("a", {"text": "a"})
    recent.add("b", {"text": "b"})
    recent.add("c", {"text": "c"})  # the least recently active conversation goes
    assert recent.since("a", 0) == [] and len(recent.since("c", 0)) == 1


def test_recent_replies_a_page_message_is_handled_once():
    recent = RecentReplies(clock=Clock())
    assert recent.first_time("kari", "m1")
    assert not recent.first_time("kari", "m1")
    assert recent.kept("kari", "m1") is None  # still being handled
    answer = {"id": "m1", "text": "my password is [secret removed]", "failed": False}
    recent.keep("kari", "m1", answer)
    assert recent.kept("kari", "m1") == answer
    assert recent.first_time("ola", "m1")  # ids are the page's own, per conversation

    # Not handled (try again): the next time it is.
    assert recent.first_time("kari", "m2")
    recent.forget("kari", "m2")
    assert recent.first_time("kari", "m2")
